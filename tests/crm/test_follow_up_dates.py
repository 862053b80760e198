from __future__ import annotations

from datetime import date, timedelta

from crm.models import FollowUp, FollowUpStatus
from crm.services.follow_ups import overdue


def test_overdue_means_open_and_due_before_today() -> None:
    today = date(2026, 11, 24)
    items = [
        FollowUp(
            due_on=today + timedelta(days=offset), status=FollowUpStatus.OPEN, note=str(offset)
        )
        for offset in (-1, 0, 6, 7)
    ]
    assert [f.note for f in overdue(items, today)] == ["-1"]
