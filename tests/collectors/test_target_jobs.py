"""The scheduler keeps one job per active target, runs them on request, and runs alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from collectors import quarantine
from collectors.lock import SchedulerLock
from collectors.scheduler import (
    JOB_DEFAULTS,
    build_scheduler,
    record_overlap,
    run_target,
    sync_targets,
)
from crm.database import Database
from crm.models import (
    CollectionTarget,
    CollectorRun,
    Interaction,
    Platform,
    QuarantinedItem,
    QuarantineStatus,
    RunStatus,
)
from crm.services import collection, targets
from crm.unit_of_work import unit_of_work
from tests.collectors import x_wire as wire
from tests.collectors.listening import GROUP_ID, Listening, set_up_listening


@pytest.fixture
def listening(database: Database) -> Listening:
    return set_up_listening(database)


@pytest.fixture
def scheduler(database: Database):
    jobs = BackgroundScheduler(job_defaults=JOB_DEFAULTS, timezone="UTC")
    # Not started: jobs are added and inspected, never fired, so the tests stay in control.
    build_scheduler(database, heartbeat_seconds=60, source_factory=lambda _p: None, scheduler=jobs)
    yield jobs


def target_job_ids(scheduler) -> set[str]:
    return {job.id for job in scheduler.get_jobs() if job.id.startswith("target-")}


def test_each_active_target_gets_a_job_and_stopped_ones_lose_it(database, listening, scheduler):
    sync_targets(scheduler, database, lambda _p: None)
    assert target_job_ids(scheduler) == {
        f"target-{listening.mentions_target_id}",
        f"target-{listening.group_target_id}",
        f"target-{listening.search_target_id}",
    }
    with unit_of_work(database.session_factory) as session:
        targets.set_active(
            session, listening.search_target_id, False, officer_id=listening.admin_id
        )
    sync_targets(scheduler, database, lambda _p: None)
    assert f"target-{listening.search_target_id}" not in target_job_ids(scheduler)


def test_jobs_follow_interval_changes_and_record_their_next_run(database, listening, scheduler):
    sync_targets(scheduler, database, lambda _p: None)
    with unit_of_work(database.session_factory) as session:
        session.get(CollectionTarget, listening.group_target_id).interval_minutes = 120
    sync_targets(scheduler, database, lambda _p: None)
    job = scheduler.get_job(f"target-{listening.group_target_id}")
    assert job.trigger.interval.total_seconds() == 120 * 60
    with unit_of_work(database.session_factory) as session:
        assert session.get(CollectionTarget, listening.group_target_id).next_run_at is not None


def test_run_now_brings_the_next_run_forward(database, listening, scheduler):
    sync_targets(scheduler, database, lambda _p: None)
    job_id = f"target-{listening.search_target_id}"
    scheduler.get_job(job_id).modify(next_run_time=datetime(2099, 1, 1, tzinfo=UTC))
    with unit_of_work(database.session_factory) as session:
        targets.request_run(session, listening.search_target_id, officer_id=None)
    sync_targets(scheduler, database, lambda _p: None)
    assert scheduler.get_job(job_id).next_run_time < datetime(2099, 1, 1, tzinfo=UTC)


def test_an_overlapping_run_is_recorded_as_skipped(database, listening):
    event = JobSubmissionEvent(
        EVENT_JOB_MAX_INSTANCES, f"target-{listening.search_target_id}", None, []
    )
    record_overlap(database, event)
    with unit_of_work(database.session_factory) as session:
        run = session.scalars(select(CollectorRun)).one()
    assert (run.status, run.target_id) == (RunStatus.SKIPPED, listening.search_target_id)
    assert run.error == "The previous run was still going"


def test_a_platform_without_credentials_skips_and_says_why(database, listening):
    run_target(database, listening.search_target_id, lambda _platform: None)
    with unit_of_work(database.session_factory) as session:
        run = session.scalars(select(CollectorRun)).one()
    assert run.status is RunStatus.SKIPPED
    assert "no credentials for X" in run.error


def test_only_one_scheduler_holds_the_lock_per_database(database):
    first, second = SchedulerLock(database), SchedulerLock(database)
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        first.release()
        assert second.try_acquire()
    finally:
        first.release()
        second.release()


def test_runs_cut_off_by_a_crash_are_marked_failed_by_the_next_scheduler(database, listening):
    with unit_of_work(database.session_factory) as session:
        collection.start_run(
            session, platform=Platform.X, target_id=listening.search_target_id, name="cut off"
        )
    with unit_of_work(database.session_factory) as session:
        assert collection.abandon_stale_runs(session) == 1
    with unit_of_work(database.session_factory) as session:
        run = session.scalars(select(CollectorRun)).one()
    assert run.status is RunStatus.FAILED


def test_a_quarantined_item_is_read_again_when_an_admin_asks(database, listening):
    readable = {"item": wire.tweet("501", "Back again", GROUP_ID), "includes": {"users": []}}
    unreadable = {"item": wire.tweet("502", "still bad", GROUP_ID, created_at="never")}
    with unit_of_work(database.session_factory) as session:
        for payload in (readable, unreadable):
            item = collection.quarantine(
                session,
                platform=Platform.X,
                payload=json.dumps(payload),
                reason="was unreadable",
                target_id=listening.group_target_id,
            )
            session.flush()
            collection.request_retry(session, item.id, officer_id=None)
    assert quarantine.retry_requested(database) == 1
    with unit_of_work(database.session_factory) as session:
        statuses = {i.payload: i.status for i in session.scalars(select(QuarantinedItem))}
        stored = set(session.scalars(select(Interaction.external_id)))
    assert statuses[json.dumps(readable)] is QuarantineStatus.STORED
    assert statuses[json.dumps(unreadable)] is QuarantineStatus.WAITING
    assert stored == {"501"}
