"""The reminder job: what it did, and whether officers can trust that it is running.

`run_reminders` is the body of the scheduler's reminder job (wired in collectors.scheduler).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from crm.mail import Mailer
from crm.models import DigestDelivery, Officer, ReminderRun, ReminderRunStatus
from crm.models.base import UTCDateTime
from crm.services.digest_delivery import deliver_digests
from crm.services.escalation import escalate, escalated_to
from crm.services.suggestions import suggest_follow_ups

__all__ = ["escalated_to", "last_reminder_run", "reminders_look_stopped", "run_reminders"]

# Officers are warned when no run has finished for longer than this.
STOPPED_AFTER = timedelta(days=1)
# A run still going after this long was cut off: no run takes anywhere near it.
CUT_OFF_AFTER = timedelta(hours=1)

# How many runs and digests the admin page lists.
RECENT = 50

log = logging.getLogger(__name__)
T = TypeVar("T")


def last_reminder_run(session: Session) -> ReminderRun | None:
    """The newest run that has finished, well or not, for the My day footer: what it sent
    (digests_sent, escalations, suggestions_made) and when (finished_at)."""
    return session.scalar(
        select(ReminderRun)
        .where(ReminderRun.finished_at.is_not(None))
        .order_by(ReminderRun.finished_at.desc(), ReminderRun.id.desc())
        .limit(1)
    )


def recent_runs(session: Session, *, limit: int = RECENT) -> list[ReminderRun]:
    return list(
        session.scalars(
            select(ReminderRun)
            .order_by(ReminderRun.started_at.desc(), ReminderRun.id.desc())
            .limit(limit)
        )
    )


def recent_deliveries(session: Session, *, limit: int = RECENT) -> list[DigestDelivery]:
    """The newest digests first: by the day or week they cover, then as claimed."""
    return list(
        session.scalars(
            select(DigestDelivery)
            .options(selectinload(DigestDelivery.officer))
            .order_by(DigestDelivery.period_start.desc(), DigestDelivery.id.desc())
            .limit(limit)
        )
    )


def last_finished_run(session: Session) -> ReminderRun | None:
    return session.scalar(
        select(ReminderRun)
        .where(ReminderRun.status == ReminderRunStatus.OK)
        .order_by(ReminderRun.finished_at.desc(), ReminderRun.id.desc())
        .limit(1)
    )


def reminders_look_stopped(session: Session, *, now: datetime) -> bool:
    """True when no run has finished in the last day.

    A new installation gets a day's grace, counted from its first officer, so the warning
    means "the job stopped", never "the job has not had its first chance yet".
    """
    finished = last_finished_run(session)
    if finished is not None and finished.finished_at is not None:
        return now - finished.finished_at > STOPPED_AFTER
    # min() loses the column's type on SQLite; coerce it back so it reads as UTC.
    set_up_at = session.scalar(select(type_coerce(func.min(Officer.created_at), UTCDateTime())))
    return set_up_at is not None and now - set_up_at > STOPPED_AFTER


@dataclass(frozen=True)
class ReminderPolicy:
    """The settings a run needs (crm.config reads them from the environment)."""

    digest_hour: int = 7
    escalate_after_days: int = 7
    public_url: str | None = None


def run_reminders(
    session: Session, *, now: datetime, mailer: Mailer | None, policy: ReminderPolicy | None = None
) -> ReminderRun:
    """One run of the reminder job: suggestions, escalation, then digests, recorded.

    It commits as it goes: an email cannot be taken back, so each digest's claim is committed
    before it is sent and its outcome straight after (crm.services.digest_delivery). A step
    that fails is recorded and the later steps still run: a fault in suggestions must not stop
    the digests. `mailer` None means email is not set up: digests are recorded, not emailed.
    """
    policy = policy or ReminderPolicy()
    clock = time.monotonic()
    _mark_cut_off_runs(session, now=now)
    run = ReminderRun(started_at=now, status=ReminderRunStatus.RUNNING)
    session.add(run)
    session.commit()
    problems: list[str] = []

    made = _step(
        session, problems, "Suggesting follow-ups", lambda: suggest_follow_ups(session, now=now)
    )
    escalation = _step(
        session,
        problems,
        "Escalation",
        lambda: escalate(session, now=now, overdue_after_days=policy.escalate_after_days),
    )
    delivery = _step(
        session,
        problems,
        "Digests",
        lambda: deliver_digests(
            session,
            now=now,
            mailer=mailer,
            digest_hour=policy.digest_hour,
            public_url=policy.public_url,
        ),
    )
    notes = [*problems, delivery.summary()] if delivery is not None else problems
    run.suggestions_made = made or 0
    run.escalations = escalation.total if escalation is not None else 0
    run.digests_sent = delivery.emailed if delivery is not None else 0
    run.status = ReminderRunStatus.FAILED if problems else ReminderRunStatus.OK
    run.error = "; ".join(note for note in notes if note) or None
    run.finished_at = now + timedelta(seconds=time.monotonic() - clock)
    session.commit()
    return run


def _step(session: Session, problems: list[str], name: str, work: Callable[[], T]) -> T | None:
    try:
        result = work()
        session.commit()
    except Exception as error:
        # Recorded on the run for admins, logged in full for whoever runs the scheduler.
        session.rollback()
        log.exception("%s failed in the reminder job", name)
        problems.append(f"{name} failed: {error}")
        return None
    return result


def _mark_cut_off_runs(session: Session, *, now: datetime) -> None:
    """Runs still 'running' long after they began were cut off by a stop or a crash."""
    for run in session.scalars(
        select(ReminderRun).where(
            ReminderRun.status == ReminderRunStatus.RUNNING,
            ReminderRun.started_at < now - CUT_OFF_AFTER,
        )
    ):
        run.status = ReminderRunStatus.FAILED
        run.finished_at = now
        run.error = "Cut off: the scheduler stopped during this run"
    session.commit()
