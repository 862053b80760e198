from __future__ import annotations

from datetime import date, timedelta

from crm.models import FollowUp, FollowUpStatus
from crm.services.follow_ups import due_within, overdue


def test_due_this_week_means_today_and_the_six_days_after() -> None:
    today = date(2026, 11, 24)
    items = [
        FollowUp(
            due_on=today + timedelta(days=offset), status=FollowUpStatus.OPEN, note=str(offset)
        )
        for offset in (-1, 0, 6, 7)
    ]
    assert [f.note for f in due_within(items, today, days=7)] == ["0", "6"]
    assert [f.note for f in overdue(items, today)] == ["-1"]
