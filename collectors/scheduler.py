"""The scheduler process: APScheduler in the foreground, never inside a web worker.

One job per collection target, kept in step with the database by a sync job: targets added,
changed, stopped or asked to "run now" in the web interface take effect within
`sync_seconds`. The scheduler writes each target's next run time back for the admin page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from collectors import pipeline, quarantine
from collectors.account_lookup import (
    ACCOUNT_LOOKUP_JOB_ID,
    ACCOUNT_LOOKUP_MINUTES,
    HandleLookUp,
    look_up_accounts,
)
from collectors.sources.base import Source
from crm.clock import utc_now
from crm.database import Database
from crm.mail import Mailer
from crm.models import CollectionTarget, Platform
from crm.services import collection
from crm.services.reminders import ReminderPolicy, run_reminders
from crm.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

# APScheduler's default grace of 1 second would silently drop runs after a restart or a pause;
# coalesce turns a backlog into one run, and one instance per job stops runs overlapping.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60}
TARGET_JOB_PREFIX = "target-"
REMINDERS_JOB_ID = "reminders"

SourceFactory = Callable[[Platform], Source | None]


@dataclass(frozen=True)
class ReminderSchedule:
    """How the reminder job runs: `mailer` None when email is not set up."""

    mailer: Mailer | None
    policy: ReminderPolicy
    every_minutes: int = 15


def build_scheduler(
    database: Database,
    *,
    heartbeat_seconds: int,
    source_factory: SourceFactory | None = None,
    sync_seconds: int = 30,
    scheduler: BaseScheduler | None = None,
    reminders: ReminderSchedule | None = None,
    handle_look_up: HandleLookUp | None = None,
) -> BaseScheduler:
    # In the background: the process's main thread waits for a signal to stop (see
    # collectors.commands), since an interrupt raised inside APScheduler's loop is swallowed.
    scheduler = scheduler or BackgroundScheduler(job_defaults=JOB_DEFAULTS, timezone="UTC")
    scheduler.add_job(
        heartbeat,
        "interval",
        args=[database],
        seconds=heartbeat_seconds,
        id="heartbeat",
        name="Heartbeat",
        next_run_time=utc_now(),
    )
    if source_factory is not None:
        scheduler.add_job(
            sync_targets,
            "interval",
            args=[scheduler, database, source_factory],
            seconds=sync_seconds,
            id="sync-targets",
            name="Keep target jobs in step with the database",
            next_run_time=utc_now(),
        )
        scheduler.add_listener(
            lambda event: record_overlap(database, event), EVENT_JOB_MAX_INSTANCES
        )
    if reminders is not None:
        scheduler.add_job(
            send_reminders,
            "interval",
            args=[database, reminders],
            minutes=reminders.every_minutes,
            id=REMINDERS_JOB_ID,
            name="Reminders: suggestions, escalation and digests",
            # Said here as well as in JOB_DEFAULTS: two runs at once would race for digests.
            max_instances=1,
            coalesce=True,
            next_run_time=utc_now(),
        )
    if handle_look_up is not None:
        scheduler.add_job(
            look_up_accounts,
            "interval",
            args=[database, handle_look_up],
            minutes=ACCOUNT_LOOKUP_MINUTES,
            id=ACCOUNT_LOOKUP_JOB_ID,
            name="Look up X accounts added by handle",
            next_run_time=utc_now(),
        )
    return scheduler


def heartbeat(database: Database) -> None:
    """Record that the scheduler is alive; the app warns when this goes quiet."""
    with unit_of_work(database.session_factory) as session:
        run = collection.record_heartbeat(session)
    log.info("Heartbeat recorded (run %s)", run.id)


def send_reminders(database: Database, reminders: ReminderSchedule) -> None:
    """The reminder job, in its own unit of work (run_reminders commits as it sends)."""
    with unit_of_work(database.session_factory) as session:
        run = run_reminders(
            session, now=utc_now(), mailer=reminders.mailer, policy=reminders.policy
        )
        outcome = (run.status.value, run.digests_sent, run.escalations, run.error or "")
    log.info("Reminders %s: %s digests emailed, %s escalations %s", *outcome)


@dataclass(frozen=True)
class _TargetSchedule:
    id: int
    name: str
    platform: Platform
    is_active: bool
    interval_minutes: int
    jitter_seconds: int
    run_requested: bool


def sync_targets(
    scheduler: BaseScheduler, database: Database, source_factory: SourceFactory
) -> None:
    with unit_of_work(database.session_factory) as session:
        schedules = [
            _TargetSchedule(
                t.id,
                t.name,
                t.platform,
                t.is_active,
                t.interval_minutes,
                t.jitter_seconds,
                t.run_requested_at is not None,
            )
            for t in session.scalars(select(CollectionTarget))
        ]
    wanted = {f"{TARGET_JOB_PREFIX}{s.id}": s for s in schedules if s.is_active}
    for job in scheduler.get_jobs():
        if job.id.startswith(TARGET_JOB_PREFIX) and job.id not in wanted:
            job.remove()
    for job_id, schedule in wanted.items():
        _schedule_target(scheduler, job_id, schedule, database, source_factory)
    _record_next_runs(scheduler, database, schedules)
    quarantine.retry_requested(database)


def _schedule_target(
    scheduler: BaseScheduler,
    job_id: str,
    schedule: _TargetSchedule,
    database: Database,
    source_factory: SourceFactory,
) -> None:
    interval = timedelta(minutes=schedule.interval_minutes)
    job = scheduler.get_job(job_id)
    if job is None:
        job = scheduler.add_job(
            run_target,
            IntervalTrigger(minutes=schedule.interval_minutes, jitter=schedule.jitter_seconds),
            args=[database, schedule.id, source_factory],
            id=job_id,
            name=schedule.name,
            # A new target runs at once; after that, on its interval.
            next_run_time=utc_now(),
        )
    elif job.trigger.interval != interval or job.trigger.jitter != schedule.jitter_seconds:
        job.reschedule(
            IntervalTrigger(minutes=schedule.interval_minutes, jitter=schedule.jitter_seconds)
        )
    if schedule.run_requested and job.next_run_time is not None:
        job.modify(next_run_time=utc_now())


def _record_next_runs(
    scheduler: BaseScheduler, database: Database, schedules: list[_TargetSchedule]
) -> None:
    with unit_of_work(database.session_factory) as session:
        for schedule in schedules:
            job = scheduler.get_job(f"{TARGET_JOB_PREFIX}{schedule.id}")
            target = session.get(CollectionTarget, schedule.id)
            if target is not None:
                target.next_run_at = job.next_run_time if job is not None else None


def run_target(database: Database, target_id: int, source_factory: SourceFactory) -> None:
    with unit_of_work(database.session_factory) as session:
        target = session.get(CollectionTarget, target_id)
        if target is None:
            return
        platform, name = target.platform, target.name
    source = source_factory(platform)
    if source is None:
        with unit_of_work(database.session_factory) as session:
            collection.record_skipped_run(
                session,
                source=platform.value,
                target_id=target_id,
                name=name,
                reason=f"Weaver has no credentials for {platform.value.upper()}: "
                "see 'Connecting to X' in the README",
            )
        return
    outcome = pipeline.collect(database, target_id, source)
    log.info("Target %s (%s): %s %s", target_id, name, outcome.status, outcome.error or "")


def record_overlap(database: Database, event: JobSubmissionEvent) -> None:
    """APScheduler would only log this; officers see it as a skipped run instead."""
    if not event.job_id.startswith(TARGET_JOB_PREFIX):
        return
    target_id = int(event.job_id.removeprefix(TARGET_JOB_PREFIX))
    with unit_of_work(database.session_factory) as session:
        target = session.get(CollectionTarget, target_id)
        if target is None:
            return
        collection.record_skipped_run(
            session,
            source=target.platform.value,
            target_id=target_id,
            name=target.name,
            reason="The previous run was still going",
        )
