"""Writing and reading the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from crm.clock import utc_now
from crm.models import AuditAction, AuditEvent, Contact, ContactKind, Officer
from crm.models.base import UTCDateTime
from crm.pagination import Page, paginate

AUDIT_PER_PAGE = 50


def record(
    session: Session,
    *,
    officer_id: int | None,
    action: AuditAction,
    subject_type: str,
    subject_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        officer_id=officer_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=summary,
        before=before,
        after=after,
    )
    session.add(event)
    session.flush()
    return event


def record_about_officer(
    session: Session,
    officer: Officer,
    *,
    by: int | None,
    action: AuditAction,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """An event whose subject is an officer's own account."""
    return record(
        session,
        officer_id=by,
        action=action,
        subject_type="officer",
        subject_id=officer.id,
        summary=summary,
        before=before,
        after=after,
    )


def record_view(session: Session, officer_id: int, contact: Contact) -> None:
    """Views of a person's record are logged; an organisation's record is not personal data."""
    if contact.kind is ContactKind.PERSON:
        record(
            session,
            officer_id=officer_id,
            action=AuditAction.VIEWED,
            subject_type="contact",
            subject_id=contact.id,
            summary=f"Viewed {contact.name}",
        )


def snapshot(thing: object, *fields: str) -> dict[str, Any]:
    """The named fields as plain JSON values, for an event's before and after."""
    values = {}
    for name in fields:
        value = getattr(thing, name)
        if isinstance(value, date | datetime):
            value = value.isoformat()
        values[name] = getattr(value, "value", value)
    return values


@dataclass(frozen=True)
class AuditFilter:
    officer_id: int | None = None
    action: AuditAction | None = None
    subject_type: str | None = None
    subject_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[Any]:
        conditions = []
        if self.officer_id is not None:
            conditions.append(AuditEvent.officer_id == self.officer_id)
        if self.action is not None:
            conditions.append(AuditEvent.action == self.action)
        if self.subject_type:
            conditions.append(AuditEvent.subject_type == self.subject_type)
        if self.subject_id is not None:
            conditions.append(AuditEvent.subject_id == self.subject_id)
        if self.since is not None:
            conditions.append(AuditEvent.occurred_at >= self.since)
        if self.until is not None:
            conditions.append(AuditEvent.occurred_at < self.until)
        return conditions


def _events(audit_filter: AuditFilter):
    return (
        select(AuditEvent)
        .where(*audit_filter.conditions())
        .options(selectinload(AuditEvent.officer))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )


def subject_types(session: Session) -> list[str]:
    """Every kind of thing the log has entries about, for choosing one to search by."""
    return list(
        session.scalars(
            select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
        )
    )


def search_audit(
    session: Session, audit_filter: AuditFilter, *, page: int = 1, per_page: int = AUDIT_PER_PAGE
) -> Page[AuditEvent]:
    return paginate(session, _events(audit_filter), page=page, per_page=per_page)


def all_matching(session: Session, audit_filter: AuditFilter) -> Iterator[AuditEvent]:
    """Every matching event, newest first, read in batches so an export stays small in memory."""
    yield from session.scalars(_events(audit_filter).execution_options(yield_per=500))


@dataclass(frozen=True)
class RepeatedViews:
    officer: Officer
    contact_id: int
    contact_name: str
    views: int
    last_viewed_at: datetime


def repeated_views(
    session: Session, *, days: int, threshold: int, now: datetime | None = None
) -> list[RepeatedViews]:
    """Officers who opened the same person's record at least `threshold` times in `days` days:
    for information governance to review, not an accusation."""
    since = (now or utc_now()) - timedelta(days=days)
    views = func.count(AuditEvent.id)
    rows = session.execute(
        select(
            AuditEvent.officer_id,
            AuditEvent.subject_id,
            views,
            # max() loses the column's type on SQLite; coerce it back so it reads as UTC.
            type_coerce(func.max(AuditEvent.occurred_at), UTCDateTime()),
        )
        .where(
            AuditEvent.action == AuditAction.VIEWED,
            AuditEvent.subject_type == "contact",
            AuditEvent.occurred_at >= since,
        )
        .group_by(AuditEvent.officer_id, AuditEvent.subject_id)
        .having(views >= threshold)
        .order_by(views.desc())
    ).all()
    officers = {o.id: o for o in session.scalars(select(Officer))}
    contacts = {
        contact_id: name
        for contact_id, name in session.execute(
            select(Contact.id, Contact.name).where(Contact.id.in_([row[1] for row in rows]))
        )
    }
    return [
        RepeatedViews(
            officer=officers[officer_id],
            contact_id=contact_id,
            contact_name=contacts.get(contact_id, "A deleted contact"),
            views=count,
            last_viewed_at=last_viewed,
        )
        for officer_id, contact_id, count, last_viewed in rows
    ]
