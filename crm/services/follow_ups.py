"""Follow-ups: creating them and listing what is due."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.models import Contact, FollowUp, FollowUpStatus, Officer
from crm.services.visibility import visible_follow_ups


def create_follow_up(
    session: Session,
    *,
    contact_id: int,
    due_on: date,
    assignee_id: int | None,
    created_by_id: int | None,
    note: str = "",
    interaction_id: int | None = None,
) -> FollowUp:
    follow_up = FollowUp(
        contact_id=contact_id,
        due_on=due_on,
        assignee_id=assignee_id,
        created_by_id=created_by_id,
        note=note.strip(),
        interaction_id=interaction_id,
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def open_follow_ups(
    session: Session,
    *,
    viewer: Officer,
    assignee_id: int | None = None,
    contact_id: int | None = None,
) -> list[FollowUp]:
    """Open follow-ups about contacts the viewer may see, soonest due first, for one officer,
    one contact, or everyone."""
    statement = (
        select(FollowUp)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .where(FollowUp.status == FollowUpStatus.OPEN, visible_follow_ups(viewer))
        .options(selectinload(FollowUp.contact), selectinload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    if assignee_id is not None:
        statement = statement.where(FollowUp.assignee_id == assignee_id)
    if contact_id is not None:
        statement = statement.where(FollowUp.contact_id == contact_id)
    return list(session.scalars(statement))


def overdue(follow_ups: list[FollowUp], today: date) -> list[FollowUp]:
    return [follow_up for follow_up in follow_ups if follow_up.is_overdue(today)]


def due_within(follow_ups: list[FollowUp], today: date, days: int) -> list[FollowUp]:
    """Open follow-ups due from today through the next `days` days, today counted as one."""
    last_day = today + timedelta(days=days - 1)
    return [
        f for f in follow_ups if f.status is FollowUpStatus.OPEN and today <= f.due_on <= last_day
    ]
