"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The bank holidays are a fixed list (gov.uk/bank-holidays) rather than a download: Weaver
never calls out to the internet from a web worker. Add the next year's dates each autumn;
a year missing from the list only means its bank holidays count as working days.
"""

from __future__ import annotations

from datetime import date, timedelta

BANK_HOLIDAYS = frozenset(
    {
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
        date(2028, 1, 3),
        date(2028, 4, 14),
        date(2028, 4, 17),
        date(2028, 5, 1),
        date(2028, 5, 29),
        date(2028, 8, 28),
        date(2028, 12, 25),
        date(2028, 12, 26),
    }
)
SATURDAY = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY and day not in BANK_HOLIDAYS


def working_days_after(day: date, count: int) -> date:
    """The `count`th working day after `day` (which itself does not count)."""
    found = 0
    while found < count:
        day += timedelta(days=1)
        if is_working_day(day):
            found += 1
    return day
