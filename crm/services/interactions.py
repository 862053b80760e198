"""Recording what happened: interactions officers log, and posts the collectors hear."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm import sentiment
from crm.clock import as_utc, london_today, utc_now
from crm.errors import InvalidInput, NotFound
from crm.models import (
    LOGGABLE_KINDS,
    AuditAction,
    Interaction,
    InteractionKind,
    Officer,
    Platform,
    interaction_contacts,
)
from crm.services import audit
from crm.services.contacts import contacts_by_ids
from crm.services.follow_ups import create_follow_up
from crm.text import clean_text

MAX_NOTE_LENGTH = 10_000


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
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No officer with that id")
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


@dataclass(frozen=True)
class CollectedPost:
    """A post from any platform, in the one shape the CRM stores."""

    platform: Platform
    external_id: str
    author_platform_id: str
    author_handle: str
    text: str
    created_at: datetime
    url: str | None = None


@dataclass(frozen=True)
class StoredPost:
    interaction_id: int
    is_new: bool


def store_collected_post(
    session: Session, post: CollectedPost, contact_ids: Sequence[int] = ()
) -> StoredPost:
    """Store a post once: the database's unique key on (platform, external id) decides."""
    text = clean_text(post.text)
    scored = sentiment.score(text)
    values = {
        "kind": InteractionKind.POST,
        "occurred_at": as_utc(post.created_at),
        "text": text,
        "platform": post.platform,
        "external_id": post.external_id,
        "author_platform_id": post.author_platform_id,
        "author_handle": post.author_handle,
        "url": post.url,
        "sentiment_polarity": scored.polarity,
        "sentiment_subjectivity": scored.subjectivity,
        "created_at": utc_now(),
    }
    insert = _dialect_insert(session)
    new_id = session.scalar(
        insert(Interaction)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        .returning(Interaction.id)
    )
    interaction_id = new_id if new_id is not None else _post_id(session, post)
    _link(session, interaction_id, contact_ids)
    return StoredPost(interaction_id=interaction_id, is_new=new_id is not None)


def _post_id(session: Session, post: CollectedPost) -> int:
    return session.scalars(
        select(Interaction.id).where(
            Interaction.platform == post.platform, Interaction.external_id == post.external_id
        )
    ).one()


def _link(session: Session, interaction_id: int, contact_ids: Sequence[int]) -> None:
    if not contact_ids:
        return
    insert = _dialect_insert(session)
    session.execute(
        insert(interaction_contacts)
        .values([{"interaction_id": interaction_id, "contact_id": cid} for cid in set(contact_ids)])
        .on_conflict_do_nothing()
    )


def _dialect_insert(session: Session):
    return sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
