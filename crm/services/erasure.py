"""Erasure requests: recording one, showing what erasing a person would remove, and doing it.

Information governance answers these (UK GDPR Article 17). Erasing a person removes their
record, their accounts and what hangs off them, every post they wrote, and every logged
interaction that was about them alone. An interaction that also involved someone else is
kept, without its link to them, because it is the other contact's record too; the plan counts
them so the officer can review those notes. The audit log is append-only and keeps its entries
about the person: the council needs them to show what it did and who saw what.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.clock import london_today, utc_now
from crm.errors import InvalidInput, NotFound
from crm.models import (
    Affiliation,
    AuditAction,
    Contact,
    ContactKind,
    ErasedAccount,
    ErasureRequest,
    ErasureStatus,
    FollowUp,
    Interaction,
    InteractionKind,
    Officer,
    Platform,
    SocialAccount,
    interaction_contacts,
)
from crm.services import audit

SUBJECT = "erasure_request"


def respond_by(received_on: date) -> date:
    """One calendar month after receipt; when that month is shorter, its last day (the ICO's
    reading: a request received on 31 January is due on 28 or 29 February)."""
    year = received_on.year + received_on.month // 12
    month = received_on.month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(received_on.day, last_day))


def account_hash(platform: Platform, platform_user_id: str) -> str:
    return hashlib.sha256(f"{platform.value}:{platform_user_id}".encode()).hexdigest()


def erased_author_ids(session: Session, platform: Platform, author_ids: set[str]) -> set[str]:
    """Which of these platform user ids belong to people who were erased."""
    if not author_ids:
        return set()
    by_hash = {account_hash(platform, author_id): author_id for author_id in author_ids}
    found = session.scalars(
        select(ErasedAccount.user_id_hash).where(
            ErasedAccount.platform == platform, ErasedAccount.user_id_hash.in_(by_hash)
        )
    )
    return {by_hash[digest] for digest in found}


def record_request(
    session: Session, *, reference: str, contact_id: int, received_on: date, officer: Officer
) -> ErasureRequest:
    reference = reference.strip()
    if not reference:
        raise InvalidInput("Enter the case reference", field="reference")
    if received_on > london_today():
        raise InvalidInput("The date received must be today or in the past", field="received_on")
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("No contact with that id")
    if contact.kind is not ContactKind.PERSON:
        raise InvalidInput(
            "Only a person can ask to be erased: an organisation's record is not personal data",
            field="contact_id",
        )
    if session.scalar(select(ErasureRequest.id).where(ErasureRequest.reference == reference)):
        raise InvalidInput("A request with that reference already exists", field="reference")
    request = ErasureRequest(
        reference=reference,
        contact_id=contact.id,
        received_on=received_on,
        recorded_by_id=officer.id,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CREATED,
        subject_type=SUBJECT,
        subject_id=request.id,
        summary=f"Recorded erasure request {reference} about contact {contact.id}",
        after={"reference": reference, "contact_id": contact.id, "received_on": str(received_on)},
    )
    return request


def all_requests(session: Session) -> list[ErasureRequest]:
    """Open requests first, the oldest first; then answered ones, the latest first."""
    statement = select(ErasureRequest).options(selectinload(ErasureRequest.contact))
    open_requests = session.scalars(
        statement.where(ErasureRequest.status == ErasureStatus.OPEN).order_by(
            ErasureRequest.received_on, ErasureRequest.id
        )
    )
    answered = session.scalars(
        statement.where(ErasureRequest.status != ErasureStatus.OPEN).order_by(
            ErasureRequest.decided_at.desc(), ErasureRequest.id.desc()
        )
    )
    return [*open_requests, *answered]


def get_request(session: Session, request_id: int) -> ErasureRequest:
    request = session.get(ErasureRequest, request_id)
    if request is None:
        raise NotFound("No erasure request with that id")
    return request


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing one person removes, counted before anything is removed."""

    posts_they_wrote: int
    interactions_only_about_them: int
    interactions_kept_without_them: int
    follow_ups: int
    accounts: int
    affiliations: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _linked_interaction_ids(session: Session, contact_id: int) -> set[int]:
    return set(
        session.scalars(
            select(interaction_contacts.c.interaction_id).where(
                interaction_contacts.c.contact_id == contact_id
            )
        )
    )


def _posts_they_wrote(session: Session, contact: Contact) -> set[int]:
    """Posts linked to them as author, and any post from one of their accounts."""
    by_link = select(interaction_contacts.c.interaction_id).where(
        interaction_contacts.c.contact_id == contact.id,
        interaction_contacts.c.evidence == "author",
    )
    conditions = [Interaction.id.in_(by_link)]
    for account in contact.accounts:
        if account.platform_user_id is not None:
            conditions.append(
                (Interaction.platform == account.platform)
                & (Interaction.author_platform_id == account.platform_user_id)
            )
    return set(
        session.scalars(
            select(Interaction.id).where(Interaction.kind == InteractionKind.POST, or_(*conditions))
        )
    )


def _shared_interaction_ids(session: Session, contact_id: int, candidates: set[int]) -> set[int]:
    """Of these interactions, the ones linked to someone else as well."""
    if not candidates:
        return set()
    return set(
        session.scalars(
            select(interaction_contacts.c.interaction_id)
            .where(
                interaction_contacts.c.interaction_id.in_(candidates),
                interaction_contacts.c.contact_id != contact_id,
            )
            .distinct()
        )
    )


@dataclass(frozen=True)
class _Removal:
    interaction_ids: set[int]
    kept_ids: set[int]
    posts: set[int]


def _removal(session: Session, contact: Contact) -> _Removal:
    posts = _posts_they_wrote(session, contact)
    linked = _linked_interaction_ids(session, contact.id)
    others = linked - posts
    kept = _shared_interaction_ids(session, contact.id, others)
    return _Removal(interaction_ids=posts | (others - kept), kept_ids=kept, posts=posts)


def _count(session: Session, statement) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def plan_erasure(session: Session, request: ErasureRequest) -> ErasurePlan:
    contact = _subject(request)
    return _plan(session, contact, _removal(session, contact))


def _plan(session: Session, contact: Contact, removal: _Removal) -> ErasurePlan:
    return ErasurePlan(
        posts_they_wrote=len(removal.posts),
        interactions_only_about_them=len(removal.interaction_ids - removal.posts),
        interactions_kept_without_them=len(removal.kept_ids),
        follow_ups=_count(session, select(FollowUp.id).where(FollowUp.contact_id == contact.id)),
        accounts=len(contact.accounts),
        affiliations=_count(
            session, select(Affiliation.id).where(Affiliation.person_id == contact.id)
        ),
    )


def _subject(request: ErasureRequest) -> Contact:
    if request.status is not ErasureStatus.OPEN:
        raise InvalidInput("This request has already been answered")
    if request.contact is None:
        raise InvalidInput("The person in this request is no longer in Weaver")
    return request.contact


def carry_out(session: Session, request_id: int, *, officer: Officer) -> ErasureRequest:
    """Erase the person, remember their accounts only as hashes, and close the request."""
    request = get_request(session, request_id)
    contact = _subject(request)
    removal = _removal(session, contact)
    plan = _plan(session, contact, removal)
    for account in contact.accounts:
        _remember_erased(session, account, request)
    if removal.interaction_ids:
        session.execute(delete(Interaction).where(Interaction.id.in_(removal.interaction_ids)))
    contact_id = contact.id
    session.delete(contact)
    request.contact_id = None
    request.status = ErasureStatus.COMPLETED
    request.decided_by_id = officer.id
    request.decided_at = utc_now()
    request.erased = plan.as_dict()
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.DELETED,
        subject_type="contact",
        subject_id=contact_id,
        summary=f"Erased contact {contact_id} under erasure request {request.reference}",
        after=plan.as_dict(),
    )
    return request


def _remember_erased(session: Session, account: SocialAccount, request: ErasureRequest) -> None:
    if account.platform_user_id is None:
        return
    digest = account_hash(account.platform, account.platform_user_id)
    already = session.scalar(
        select(ErasedAccount.id).where(
            ErasedAccount.platform == account.platform, ErasedAccount.user_id_hash == digest
        )
    )
    if already is None:
        session.add(
            ErasedAccount(platform=account.platform, user_id_hash=digest, request_id=request.id)
        )


def refuse(session: Session, request_id: int, *, officer: Officer, reason: str) -> ErasureRequest:
    request = get_request(session, request_id)
    if request.status is not ErasureStatus.OPEN:
        raise InvalidInput("This request has already been answered")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Enter why the request is refused", field="reason")
    request.status = ErasureStatus.REFUSED
    request.refusal_reason = reason
    request.decided_by_id = officer.id
    request.decided_at = utc_now()
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type=SUBJECT,
        subject_id=request.id,
        summary=f"Refused erasure request {request.reference}",
        after={"status": "refused", "reason": reason},
    )
    return request
