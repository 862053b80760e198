"""Showing where a search matched: a short excerpt of untrusted text, escaped, with the
matching words marked."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

EXCERPT_LENGTH = 240
ELLIPSIS = "…"


def _matcher(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # A term matches the start of a word, as the search itself does.
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)


def highlighted_excerpt(
    text: str | None, terms: Sequence[str], length: int = EXCERPT_LENGTH
) -> Markup:
    """Up to `length` characters of the text around its first match, each match in <mark>."""
    if not text:
        return Markup("")
    matcher = _matcher(terms)
    first = matcher.search(text) if matcher else None
    start = 0
    if first and first.start() > length // 3:
        start = _word_start(text, first.start() - length // 3)
    end = min(len(text), start + length)
    if end < len(text):
        end = _word_end(text, end)
    shown = text[start:end]
    pieces = [ELLIPSIS] if start > 0 else []
    position = 0
    for match in matcher.finditer(shown) if matcher else ():
        pieces.append(str(escape(shown[position : match.start()])))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(str(escape(shown[position:])))
    if end < len(text):
        pieces.append(ELLIPSIS)
    return Markup("".join(pieces))


def _word_start(text: str, position: int) -> int:
    space = text.find(" ", position)
    return space + 1 if 0 <= space < position + 20 else position


def _word_end(text: str, position: int) -> int:
    space = text.rfind(" ", position - 20, position)
    return space if space > 0 else position
