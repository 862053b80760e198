"""Template filters: how times, sentiment and names read on screen."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup, escape

from crm.clock import to_london
from crm.sentiment import label_for


def london_time(moment: datetime | None) -> str:
    """'24 November 2026 at 2:05pm GMT': the zone is shown so clock changes are unambiguous."""
    if moment is None:
        return ""
    local = to_london(moment)
    hour = local.strftime("%I").lstrip("0")
    minute = local.strftime("%M")
    suffix = local.strftime("%p").lower()
    return f"{local.day} {local:%B %Y} at {hour}:{minute}{suffix} {local.tzname()}"


def london_moment(moment: datetime | None) -> str:
    """'Sunday 27 October 2024, 1:30am GMT': the day of the week and the zone, so the hour
    that happens twice when the clocks go back reads as two different times."""
    if moment is None:
        return ""
    local = to_london(moment)
    hour = local.strftime("%I").lstrip("0")
    suffix = local.strftime("%p").lower()
    return f"{local:%A} {local.day} {local:%B %Y}, {hour}:{local:%M}{suffix} {local.tzname()}"


def long_date(day: date | None) -> str:
    return "" if day is None else f"{day.day} {day:%B %Y}"


def sentiment_label(polarity: float | None) -> str:
    return "" if polarity is None else label_for(polarity).value


def humanise(value: object) -> str:
    """An enum value as words: 'social_reply' reads 'Social reply'."""
    text = str(getattr(value, "value", value)).replace("_", " ")
    return text[:1].upper() + text[1:]


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence is rarely part of the link before it.
_TRAILING = ".,;:!?)]}'\""


def linkify(text: str | None) -> Markup:
    """Untrusted text as inert HTML in which only http(s) links are clickable."""
    if not text:
        return Markup("")
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = _without_trailing_punctuation(match.group(0))
        end = match.start() + len(url)
        pieces.append(str(escape(text[position : match.start()])))
        pieces.append(
            f'<a class="govuk-link" href="{escape(url)}" rel="noopener noreferrer nofollow">'
            f"{escape(url)}</a>"
        )
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


def _without_trailing_punctuation(url: str) -> str:
    while url and url[-1] in _TRAILING:
        # A closing bracket belongs to the link when the link opened one: /wiki/Foo_(bar)
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def http_url(url: str | None) -> str | None:
    """The URL if it is http(s); anything else (javascript:, data:) is dropped."""
    if url and urlsplit(url).scheme.lower() in {"http", "https"}:
        return url
    return None


def init_app(app: Flask) -> None:
    app.add_template_filter(london_time)
    app.add_template_filter(london_moment)
    app.add_template_filter(long_date)
    app.add_template_filter(sentiment_label)
    app.add_template_filter(humanise)
    app.add_template_filter(linkify)
    app.add_template_filter(http_url)
