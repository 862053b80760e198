"""When a snoozed follow-up comes back: the presets officers choose from, as London dates."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum


class SnoozePreset(StrEnum):
    TOMORROW = "tomorrow"
    NEXT_WEEK = "next_week"
    TWO_WEEKS = "two_weeks"
    A_MONTH = "a_month"


PRESET_NAMES = {
    SnoozePreset.TOMORROW: "Tomorrow",
    SnoozePreset.NEXT_WEEK: "Next week",
    SnoozePreset.TWO_WEEKS: "In 2 weeks",
    SnoozePreset.A_MONTH: "In a month",
}


def snooze_date(preset: SnoozePreset, today: date) -> date:
    """The day a preset means, counted from `today` (a London date)."""
    if preset is SnoozePreset.TOMORROW:
        return today + timedelta(days=1)
    if preset is SnoozePreset.NEXT_WEEK:
        # Next Monday: on a Monday that is a week away, never today.
        return today + timedelta(days=7 - today.weekday())
    if preset is SnoozePreset.TWO_WEEKS:
        return today + timedelta(days=14)
    return _same_day_next_month(today)


def _same_day_next_month(today: date) -> date:
    """31 January comes back on the last day of February, not in March."""
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
