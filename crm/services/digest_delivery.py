"""Sending each digest once: claim it, send it, record what happened.

A digest is one DigestDelivery row, unique per officer, kind and day or week. Its states:

- emailed: `email_sent`, at `sent_at`;
- nothing to send (no items) or email not set up: `sent_at` without `email_sent`, final;
- failed: `error` without `sent_at`; the next run in the same day or week tries again;
- claimed and never confirmed (the process stopped while sending): neither. It is not tried
  again, because the email may have gone: better one missed digest than two.

The claim is committed before the email goes, and the outcome straight after, so no database
lock is held while talking to the mail server and any other run sees the claim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.clock import london_today
from crm.mail import Mailer, MailNotSent
from crm.models import DigestDelivery, DigestKind, Officer, OfficerRole
from crm.services.digest_mail import daily_message, team_message
from crm.services.digests import (
    daily_digest,
    daily_period,
    team_digest,
    weekly_period,
)

EMAIL_NOT_SET_UP = "Email is not set up (WEAVER_SMTP_HOST is empty): recorded, not emailed"

# What a digest is built into: the message and how many items it lists.
Compose = Callable[[Officer], tuple[EmailMessage | None, int]]


@dataclass
class DeliveryReport:
    emailed: int = 0
    nothing_to_send: int = 0
    not_emailed: int = 0  # no mail server set up
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str | None:
        """What an admin should know, or None when every digest due went out."""
        said = []
        if self.not_emailed:
            said.append(f"{EMAIL_NOT_SET_UP} ({self.not_emailed} digests)")
        if self.failures:
            said.append(
                f"{len(self.failures)} digests could not be sent and will be tried again: "
                f"{self.failures[0]}"
            )
        return "; ".join(said) or None


def describe_delivery(delivery: DigestDelivery) -> str:
    """A delivery's state in words, for the admin page."""
    if delivery.email_sent:
        return "Emailed"
    if delivery.sent_at is not None:
        return f"Not emailed: {delivery.error}" if delivery.error else "Nothing to send"
    if delivery.error:
        return f"Could not be sent, will be tried again: {delivery.error}"
    return "Not confirmed: the scheduler stopped while sending it"


def deliver_digests(
    session: Session,
    *,
    now: datetime,
    mailer: Mailer | None,
    digest_hour: int,
    public_url: str | None,
) -> DeliveryReport:
    report = DeliveryReport()
    sender = mailer.sender if mailer is not None else ""
    day = daily_period(now, digest_hour)
    if day is not None:

        def compose_daily(officer: Officer) -> tuple[EmailMessage | None, int]:
            digest = daily_digest(session, officer, day=day, now=now)
            if not digest.item_count:
                return None, 0
            return daily_message(digest, sender=sender, public_url=public_url), digest.item_count

        for officer_id in _active_officer_ids(session):
            _deliver(session, officer_id, DigestKind.DAILY, day, compose_daily, mailer, now, report)
    week = weekly_period(now, digest_hour)
    if week is not None:
        today = london_today(now)

        def compose_team(lead: Officer) -> tuple[EmailMessage | None, int]:
            digest = team_digest(session, lead, week_start=week, today=today)
            if not digest.item_count:
                return None, 0
            return team_message(digest, sender=sender, public_url=public_url), digest.item_count

        for lead_id in _active_team_lead_ids(session):
            _deliver(
                session, lead_id, DigestKind.WEEKLY_TEAM, week, compose_team, mailer, now, report
            )
    return report


def _active_officer_ids(session: Session) -> list[int]:
    return list(
        session.scalars(select(Officer.id).where(Officer.is_active.is_(True)).order_by(Officer.id))
    )


def _active_team_lead_ids(session: Session) -> list[int]:
    return list(
        session.scalars(
            select(Officer.id)
            .where(
                Officer.is_active.is_(True),
                Officer.role == OfficerRole.TEAM_LEAD,
                Officer.team_id.is_not(None),
            )
            .order_by(Officer.id)
        )
    )


def _deliver(
    session: Session,
    officer_id: int,
    kind: DigestKind,
    period: date,
    compose: Compose,
    mailer: Mailer | None,
    now: datetime,
    report: DeliveryReport,
) -> None:
    session.commit()
    delivery_id = _claim(session, officer_id, kind, period)
    if delivery_id is None:
        return
    session.commit()
    try:
        officer = session.get_one(Officer, officer_id)
        message, item_count = compose(officer)
        delivery = session.get_one(DigestDelivery, delivery_id)
        delivery.item_count = item_count
        if message is None:
            delivery.sent_at = now
            report.nothing_to_send += 1
        elif mailer is None:
            delivery.sent_at = now
            delivery.error = EMAIL_NOT_SET_UP
            report.not_emailed += 1
        else:
            mailer.send(message)
            delivery.sent_at = now
            delivery.email_sent = True
            report.emailed += 1
    except MailNotSent as error:
        _record_failure(session, delivery_id, str(error), report)
    except Exception as error:
        # A fault preparing one officer's digest must not stop everyone else's.
        _record_failure(session, delivery_id, f"Could not prepare the digest: {error}", report)
    session.commit()


def _claim(session: Session, officer_id: int, kind: DigestKind, period: date) -> int | None:
    """The delivery's id when this run may send it: a new claim, or a failed one retried."""
    existing = session.scalar(
        select(DigestDelivery).where(
            DigestDelivery.officer_id == officer_id,
            DigestDelivery.kind == kind,
            DigestDelivery.period_start == period,
        )
    )
    if existing is None:
        delivery = DigestDelivery(officer_id=officer_id, kind=kind, period_start=period)
        session.add(delivery)
        try:
            session.flush()
        except IntegrityError:  # another run claimed it a moment ago
            session.rollback()
            return None
        return delivery.id
    if existing.sent_at is not None or existing.error is None:
        return None
    # Only one run can clear the error, so only one run retries it.
    retried = session.execute(
        update(DigestDelivery)
        .where(
            DigestDelivery.id == existing.id,
            DigestDelivery.sent_at.is_(None),
            DigestDelivery.error.is_not(None),
        )
        .values(error=None)
        .execution_options(synchronize_session="fetch")
    )
    return existing.id if retried.rowcount == 1 else None


def _record_failure(session: Session, delivery_id: int, error: str, report: DeliveryReport) -> None:
    session.rollback()
    delivery = session.get_one(DigestDelivery, delivery_id)
    delivery.error = error
    delivery.sent_at = None
    delivery.email_sent = False
    report.failures.append(error)
