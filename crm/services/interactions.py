"""Recording what happened: interactions officers log, and posts the collectors hear."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.clock import as_utc, london_today, utc_now
from crm.errors import InvalidInput
from crm.models import (
    LOGGABLE_KINDS,
    AuditAction,
    Contact,
    Interaction,
    InteractionKind,
    Officer,
)
from crm.services import audit
from crm.services.contacts import contacts_by_ids
from crm.services.follow_ups import create_follow_up
from crm.services.officers import get_officer
from crm.services.search import contacts_matching
from crm.services.visibility import visible_contacts
from crm.text import clean_text

MAX_NOTE_LENGTH = 10_000
CONTACTS_TO_OFFER = 10


@dataclass(frozen=True)
class LoggedInteraction:
    interaction: Interaction
    follow_up_id: int | None


def record_interaction(
    session: Session,
    *,
    officer_id: int,
    contact_ids: Sequence[int],
    kind: InteractionKind,
    occurred_at: datetime,
    note: str,
    follow_up_on: date | None = None,
    follow_up_note: str = "",
) -> LoggedInteraction:
    """Log an informal interaction with one or more contacts, and perhaps a follow-up."""
    if not contact_ids:
        raise InvalidInput("Choose who the interaction was with", field="contact_ids")
    if kind not in LOGGABLE_KINDS:
        raise InvalidInput("Choose what kind of interaction it was", field="kind")
    _check_not_in_future(occurred_at)
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(f"Note must be {MAX_NOTE_LENGTH:,} characters or fewer", field="note")
    officer = get_officer(session, officer_id)
    contacts = contacts_by_ids(session, list(contact_ids), viewer=officer)
    interaction = Interaction(
        kind=kind,
        occurred_at=as_utc(occurred_at),
        text=clean_text(note).strip(),
        logged_by_id=officer_id,
        contacts=contacts,
    )
    session.add(interaction)
    session.flush()
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CREATED,
        subject_type="interaction",
        subject_id=interaction.id,
        summary=f"Logged a {kind.value.replace('_', ' ')} with "
        + ", ".join(contact.name for contact in contacts),
        after={
            **audit.snapshot(interaction, "kind", "occurred_at", "text"),
            "contact_ids": sorted(contact.id for contact in contacts),
        },
    )
    follow_up_id = None
    if follow_up_on is not None:
        # The follow-up belongs to the first contact named; the note says what it was about.
        follow_up_id = create_follow_up(
            session,
            contact_id=contact_ids[0],
            due_on=follow_up_on,
            assignee_id=officer_id,
            created_by_id=officer_id,
            note=follow_up_note or note,
            interaction_id=interaction.id,
        ).id
    return LoggedInteraction(interaction=interaction, follow_up_id=follow_up_id)


def _check_not_in_future(occurred_at: datetime) -> None:
    now = utc_now()
    if occurred_at <= now:
        return
    if london_today(occurred_at) > london_today(now):
        raise InvalidInput(
            "The date of the interaction must be today or in the past", field="occurred_on"
        )
    raise InvalidInput(
        "The time of the interaction must be now or earlier today", field="occurred_time"
    )


def contacts_to_log_with(
    session: Session, text: str, *, viewer: Officer, limit: int = CONTACTS_TO_OFFER
) -> list[Contact]:
    """A few contacts matching the words typed (each word the start of a word, as search
    finds them), by name: the quick log's contact finder."""
    matching = contacts_matching(session, text)
    if matching is None:
        return []
    return list(
        session.scalars(
            select(Contact)
            .where(matching, visible_contacts(viewer))
            .order_by(func.lower(Contact.name), Contact.id)
            .limit(limit)
        )
    )


def chosen_contacts(
    session: Session, contact_ids: Sequence[int], *, viewer: Officer
) -> list[Contact]:
    """The contacts a form has chosen that the viewer may see, in the order chosen."""
    if not contact_ids:
        return []
    found = {
        contact.id: contact
        for contact in session.scalars(
            select(Contact).where(Contact.id.in_(set(contact_ids)), visible_contacts(viewer))
        )
    }
    return [found[contact_id] for contact_id in dict.fromkeys(contact_ids) if contact_id in found]
