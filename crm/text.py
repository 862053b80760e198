"""Making untrusted text safe to store: the same result on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass

REPLACEMENT_CHARACTER = "\ufffd"
# A Python string holds a surrogate only when it stood alone in the source: JSON decoding joins
# a valid pair into one character. Alone, it cannot be encoded as UTF-8 at all.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class CleanedText:
    text: str
    was_changed: bool


def clean(text: str) -> CleanedText:
    """Drop NUL bytes (PostgreSQL refuses them) and replace lone surrogates (not valid UTF-8)."""
    without_nul = text.replace("\x00", "")
    valid = _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, without_nul)
    return CleanedText(text=valid, was_changed=valid != text)


def clean_text(text: str) -> str:
    return clean(text).text
