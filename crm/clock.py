"""Time in Weaver: timezone-aware UTC inside, Europe/London at the edges."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utc_now() -> datetime:
    return datetime.now(UTC)


def london_today(now: datetime | None = None) -> date:
    return (now or utc_now()).astimezone(LONDON).date()


def to_london(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def as_utc(moment: datetime) -> datetime:
    """An aware moment in UTC; a naive one is refused rather than guessed at."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: Weaver stores only timezone-aware moments")
    return moment.astimezone(UTC)
