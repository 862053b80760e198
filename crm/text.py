"""Making untrusted text safe to store: the same result on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleanedText:
    text: str
    was_changed: bool


def clean(text: str) -> CleanedText:
    """Drop NUL bytes (PostgreSQL refuses them) and replace lone surrogates (not valid UTF-8)."""
    without_nul = text.replace("\x00", "")
    valid = without_nul.encode("utf-8", "replace").decode("utf-8")
    return CleanedText(text=valid, was_changed=valid != text)


def clean_text(text: str) -> str:
    return clean(text).text
