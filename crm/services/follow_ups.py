"""Follow-ups: creating them, listing what is due, and what officers do with them: complete,
snooze, reassign and dismiss.

Every change is audited, and acts only on an open follow-up the officer may see. A change is
claimed with one conditional UPDATE, so two officers acting at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from crm.clock import london_today, utc_now
from crm.errors import InvalidInput, NotFound, WeaverError
from crm.models import (
    AuditAction,
    Contact,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Officer,
)
from crm.permissions import Permission, can
from crm.services import audit
from crm.services.visibility import visible_contacts, visible_follow_ups, visible_interactions

MAX_NOTE_LENGTH = 2_000
MAX_REASON_LENGTH = 1_000
# Further than this is more likely a mistyped year than a plan.
FURTHEST_AHEAD = timedelta(days=366)


class FollowUpNotOpen(InvalidInput):
    """Someone already completed or dismissed it."""


class FollowUpNotAllowed(WeaverError):
    """The officer may see the follow-up but not do this to it."""


@dataclass(frozen=True)
class InteractionToLog:
    """The interaction that closed a follow-up, logged on the contact's timeline."""

    kind: InteractionKind
    note: str
    occurred_at: datetime


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
    """The one way a follow-up is made. With no assignee it goes to the contact's owner, or
    to whoever created it if the contact has no active owner."""
    if assignee_id is None:
        assignee_id = _default_assignee(session, contact_id) or created_by_id
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
    audit.record(
        session,
        officer_id=created_by_id,
        action=AuditAction.CREATED,
        subject_type="follow_up",
        subject_id=follow_up.id,
        summary=f"Added a follow-up for {_contact_name(session, contact_id)}",
        after=audit.snapshot(
            follow_up, "contact_id", "due_on", "assignee_id", "note", "interaction_id"
        ),
    )
    return follow_up


def add_follow_up(
    session: Session,
    *,
    officer: Officer,
    contact_id: int,
    due_on: date,
    note: str,
    assignee_id: int | None = None,
    interaction_id: int | None = None,
    today: date | None = None,
) -> FollowUp:
    """An officer adds a follow-up from a contact, a logged interaction or a collected post."""
    _check_may_write(officer)
    contact = session.scalar(
        select(Contact).where(Contact.id == contact_id, visible_contacts(officer))
    )
    if contact is None:
        raise InvalidInput("Choose who the follow-up is about", field="contact_id")
    if interaction_id is not None:
        _check_interaction_involves(session, interaction_id, contact, officer)
    if due_on < (today or london_today()):
        raise InvalidInput("The date must be today or in the future", field="due_on")
    _check_length(note, MAX_NOTE_LENGTH, "Note", field="note")
    if assignee_id is not None:
        _check_can_be_given_contact(session, assignee_id, contact)
    return create_follow_up(
        session,
        contact_id=contact.id,
        due_on=due_on,
        assignee_id=assignee_id,
        created_by_id=officer.id,
        note=note,
        interaction_id=interaction_id,
    )


def get_follow_up(session: Session, follow_up_id: int, *, viewer: Officer) -> FollowUp:
    """Any follow-up, open or closed, if the viewer may see it."""
    follow_up = session.scalar(
        select(FollowUp)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .where(FollowUp.id == follow_up_id, visible_follow_ups(viewer))
        .options(
            selectinload(FollowUp.contact),
            selectinload(FollowUp.assignee),
            selectinload(FollowUp.closed_by),
            selectinload(FollowUp.interaction),
            selectinload(FollowUp.closing_interaction),
        )
    )
    if follow_up is None:
        raise NotFound("No follow-up with that id")
    return follow_up


def complete_follow_up(
    session: Session,
    follow_up_id: int,
    *,
    officer: Officer,
    log_interaction: InteractionToLog | None = None,
) -> FollowUp:
    """Mark it done, perhaps logging the call or meeting that did it. Either way the contact's
    stay-in-touch clock starts again."""
    follow_up = _open_follow_up(session, follow_up_id, officer)
    closing_interaction_id = None
    if log_interaction is not None:
        # interactions imports this module to make follow-ups, so it is imported here.
        from crm.services.interactions import record_interaction

        closing_interaction_id = record_interaction(
            session,
            officer_id=officer.id,
            contact_ids=[follow_up.contact_id],
            kind=log_interaction.kind,
            occurred_at=log_interaction.occurred_at,
            note=log_interaction.note,
        ).interaction.id
    _claim(
        session,
        follow_up,
        status=FollowUpStatus.DONE,
        completed_at=utc_now(),
        closed_by_id=officer.id,
        closing_interaction_id=closing_interaction_id,
    )
    _audit(
        session,
        officer,
        follow_up,
        f"Completed a follow-up for {follow_up.contact.name}",
        before={"status": FollowUpStatus.OPEN.value},
        after=audit.snapshot(follow_up, "status", "completed_at", "closing_interaction_id"),
    )
    return follow_up


def snooze_follow_up(
    session: Session,
    follow_up_id: int,
    *,
    officer: Officer,
    until: date,
    today: date | None = None,
) -> FollowUp:
    """Put it off until a later day; it counts how often that happened."""
    today = today or london_today()
    if until <= today:
        raise InvalidInput("The new date must be in the future", field="until")
    if until > today + FURTHEST_AHEAD:
        raise InvalidInput("The new date must be within a year", field="until")
    follow_up = _open_follow_up(session, follow_up_id, officer)
    if until == follow_up.due_on:
        raise InvalidInput("It is already due on that day: choose another", field="until")
    before = audit.snapshot(follow_up, "due_on", "snooze_count")
    _claim(session, follow_up, due_on=until, snooze_count=FollowUp.snooze_count + 1)
    _audit(
        session,
        officer,
        follow_up,
        f"Snoozed a follow-up for {follow_up.contact.name} until {until:%d %B %Y}",
        before=before,
        after=audit.snapshot(follow_up, "due_on", "snooze_count"),
    )
    return follow_up


def reassign_follow_up(
    session: Session, follow_up_id: int, *, officer: Officer, assignee_id: int
) -> FollowUp:
    """Give it to another officer. Officers may pass on their own; a team lead may move any
    of the team's work between the team's active officers."""
    follow_up = _open_follow_up(session, follow_up_id, officer)
    if not may_reassign(session, officer, follow_up):
        raise FollowUpNotAllowed("You can only reassign your own follow-ups or your team’s")
    if assignee_id == follow_up.assignee_id:
        raise InvalidInput("It is already assigned to them: choose someone else", "assignee_id")
    if assignee_id not in {o.id for o in reassign_choices(session, follow_up, officer=officer)}:
        raise InvalidInput(
            "Choose an active officer who can see this contact"
            + (" in your team" if follow_up.assignee_id != officer.id else ""),
            field="assignee_id",
        )
    changed = ("assignee_id", "escalated_to_id") if follow_up.escalated_to_id else ("assignee_id",)
    before = audit.snapshot(follow_up, *changed)
    _claim(session, follow_up, assignee_id=assignee_id)
    # Whoever it was escalated to has dealt with it by passing it on. It keeps its escalation
    # time, so the reminder job does not escalate it again the moment it changes hands.
    follow_up.escalated_to_id = None
    _audit(
        session,
        officer,
        follow_up,
        f"Reassigned a follow-up for {follow_up.contact.name} to {follow_up.assignee.name}",
        before=before,
        after=audit.snapshot(follow_up, *changed),
    )
    return follow_up


def dismiss_follow_up(
    session: Session, follow_up_id: int, *, officer: Officer, reason: str
) -> FollowUp:
    """Close it without doing it, saying why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Enter why you are dismissing this follow-up", field="reason")
    _check_length(reason, MAX_REASON_LENGTH, "The reason", field="reason")
    follow_up = _open_follow_up(session, follow_up_id, officer)
    _claim(
        session,
        follow_up,
        status=FollowUpStatus.DISMISSED,
        closed_by_id=officer.id,
        dismissed_reason=reason,
    )
    _audit(
        session,
        officer,
        follow_up,
        f"Dismissed a follow-up for {follow_up.contact.name}",
        before={"status": FollowUpStatus.OPEN.value},
        after=audit.snapshot(follow_up, "status", "dismissed_reason"),
    )
    return follow_up


def team_member_ids(session: Session, officer: Officer) -> list[int]:
    """The officers in the officer's team, the officer included; deactivated ones too, since
    their open work still needs someone to see it."""
    if officer.team_id is None:
        return [officer.id]
    return list(
        session.scalars(
            select(Officer.id).where(Officer.team_id == officer.team_id).order_by(Officer.id)
        )
    )


def may_reassign(session: Session, officer: Officer, follow_up: FollowUp) -> bool:
    if not can(officer, Permission.WRITE_CRM) or follow_up.status is not FollowUpStatus.OPEN:
        return False
    if _is_own(officer, follow_up):
        return True
    return can(officer, Permission.REASSIGN_TEAM_WORK) and _is_team_work(
        session, officer, follow_up
    )


def reassign_choices(session: Session, follow_up: FollowUp, *, officer: Officer) -> list[Officer]:
    """Who the officer may give the follow-up to: any active officer who can act on it for
    their own; an active member of the team for the team's."""
    if not may_reassign(session, officer, follow_up):
        return []
    if not _is_own(officer, follow_up):
        return [o for o in team_colleagues(session, officer) if o.id != follow_up.assignee_id]
    candidates = session.scalars(
        select(Officer)
        .where(Officer.is_active.is_(True), Officer.id != follow_up.assignee_id)
        .order_by(Officer.name, Officer.id)
    )
    return [o for o in candidates if _can_act_on(session, o, follow_up)]


def team_colleagues(session: Session, lead: Officer) -> list[Officer]:
    """The active officers of the lead's team who can take on work, the lead included.

    Officers in one team see the same records (crm.services.visibility), so whatever of the
    team's work the lead can see, each of them can too.
    """
    if lead.team_id is None:
        return []
    members = session.scalars(
        select(Officer)
        .where(Officer.team_id == lead.team_id, Officer.is_active.is_(True))
        .order_by(Officer.name, Officer.id)
    )
    return [o for o in members if can(o, Permission.WRITE_CRM)]


def assignable_officers(session: Session, contact: Contact | None = None) -> list[Officer]:
    """Active officers who could take on a follow-up about this contact, or about any
    unrestricted one."""
    candidates = session.scalars(
        select(Officer).where(Officer.is_active.is_(True)).order_by(Officer.name, Officer.id)
    )
    if contact is None:
        return [o for o in candidates if can(o, Permission.WRITE_CRM)]
    return [o for o in candidates if _may_be_given(session, o, contact)]


def follow_up_source(session: Session, interaction_id: int, *, viewer: Officer) -> Interaction:
    """The logged interaction or collected post a new follow-up comes from, with its
    contacts."""
    interaction = session.scalar(
        select(Interaction)
        .where(Interaction.id == interaction_id, visible_interactions(viewer))
        .options(selectinload(Interaction.contacts))
    )
    if interaction is None:
        raise NotFound("No interaction with that id")
    return interaction


def open_follow_ups(
    session: Session,
    *,
    viewer: Officer,
    assignee_id: int | None = None,
    contact_id: int | None = None,
    assignee_ids: Collection[int] | None = None,
) -> list[FollowUp]:
    """Open follow-ups about contacts the viewer may see, soonest due first, for one officer,
    several, one contact, or everyone."""
    statement = (
        select(FollowUp)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .where(FollowUp.status == FollowUpStatus.OPEN, visible_follow_ups(viewer))
        .options(selectinload(FollowUp.contact), selectinload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    if assignee_id is not None:
        statement = statement.where(FollowUp.assignee_id == assignee_id)
    if assignee_ids is not None:
        statement = statement.where(FollowUp.assignee_id.in_(list(assignee_ids)))
    if contact_id is not None:
        statement = statement.where(FollowUp.contact_id == contact_id)
    return list(session.scalars(statement))


def team_follow_ups(session: Session, *, lead: Officer) -> list[FollowUp]:
    """The team's open work: assigned to one of the team, or to nobody about a contact one of
    the team owns."""
    members = team_member_ids(session, lead)
    return list(
        session.scalars(
            select(FollowUp)
            .join(Contact, Contact.id == FollowUp.contact_id)
            .where(
                FollowUp.status == FollowUpStatus.OPEN,
                visible_follow_ups(lead),
                or_(
                    FollowUp.assignee_id.in_(members),
                    FollowUp.assignee_id.is_(None) & Contact.owner_id.in_(members),
                ),
            )
            .options(selectinload(FollowUp.contact), selectinload(FollowUp.assignee))
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


def overdue(follow_ups: list[FollowUp], today: date) -> list[FollowUp]:
    return [follow_up for follow_up in follow_ups if follow_up.is_overdue(today)]


def _default_assignee(session: Session, contact_id: int) -> int | None:
    return session.scalar(
        select(Officer.id)
        .join(Contact, Contact.owner_id == Officer.id)
        .where(Contact.id == contact_id, Officer.is_active.is_(True))
    )


def _contact_name(session: Session, contact_id: int) -> str:
    return session.scalar(select(Contact.name).where(Contact.id == contact_id)) or "a contact"


def _check_may_write(officer: Officer) -> None:
    if not can(officer, Permission.WRITE_CRM):
        raise FollowUpNotAllowed("You do not have permission to change follow-ups")


def _check_length(text: str, limit: int, what: str, *, field: str) -> None:
    if len(text) > limit:
        raise InvalidInput(f"{what} must be {limit:,} characters or fewer", field=field)


def _check_interaction_involves(
    session: Session, interaction_id: int, contact: Contact, officer: Officer
) -> None:
    try:
        interaction = follow_up_source(session, interaction_id, viewer=officer)
    except NotFound:
        raise InvalidInput(
            "The interaction this came from no longer exists", field="contact_id"
        ) from None
    if contact not in interaction.contacts:
        raise InvalidInput("Choose one of the contacts it was with", field="contact_id")


def _check_can_be_given_contact(session: Session, assignee_id: int, contact: Contact) -> None:
    assignee = session.get(Officer, assignee_id)
    if assignee is None or not assignee.is_active or not _may_be_given(session, assignee, contact):
        raise InvalidInput("Choose an active officer who can see this contact", "assignee_id")


def _open_follow_up(session: Session, follow_up_id: int, officer: Officer) -> FollowUp:
    _check_may_write(officer)
    follow_up = get_follow_up(session, follow_up_id, viewer=officer)
    if follow_up.status is FollowUpStatus.DONE:
        raise FollowUpNotOpen("This follow-up has already been marked as done")
    if follow_up.status is FollowUpStatus.DISMISSED:
        raise FollowUpNotOpen("This follow-up has already been dismissed")
    return follow_up


def _claim(session: Session, follow_up: FollowUp, **values: Any) -> None:
    claimed = session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.status == FollowUpStatus.OPEN)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise FollowUpNotOpen("Someone else has just completed or dismissed this follow-up")
    session.refresh(follow_up)


def _audit(
    session: Session,
    officer: Officer,
    follow_up: FollowUp,
    summary: str,
    *,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="follow_up",
        subject_id=follow_up.id,
        summary=summary,
        before=before,
        after=after,
    )


def _is_own(officer: Officer, follow_up: FollowUp) -> bool:
    if follow_up.assignee_id is None:
        return follow_up.contact.owner_id == officer.id
    return follow_up.assignee_id == officer.id


def _is_team_work(session: Session, lead: Officer, follow_up: FollowUp) -> bool:
    if lead.team_id is None:
        return False
    members = set(team_member_ids(session, lead))
    if follow_up.assignee_id is None:
        return follow_up.contact.owner_id in members
    return follow_up.assignee_id in members


def _can_act_on(session: Session, officer: Officer, follow_up: FollowUp) -> bool:
    return can(officer, Permission.WRITE_CRM) and (
        session.scalar(
            select(FollowUp.id)
            .join(Contact, Contact.id == FollowUp.contact_id)
            .where(FollowUp.id == follow_up.id, visible_follow_ups(officer))
        )
        is not None
    )


def _may_be_given(session: Session, officer: Officer, contact: Contact) -> bool:
    return can(officer, Permission.WRITE_CRM) and (
        session.scalar(
            select(Contact.id).where(Contact.id == contact.id, visible_contacts(officer))
        )
        is not None
    )
