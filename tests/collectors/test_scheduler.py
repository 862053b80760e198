"""The scheduler runs in its own process and proves it is alive with a heartbeat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from collectors.lock import SchedulerLock
from collectors.scheduler import JOB_DEFAULTS, build_scheduler, heartbeat
from crm.database import Database
from crm.models import CollectorRun, RunStatus
from crm.services.collection import HEARTBEAT_SOURCE, latest_run
from crm.unit_of_work import unit_of_work


def test_a_heartbeat_records_a_finished_run(database: Database) -> None:
    heartbeat(database)
    with unit_of_work(database.session_factory) as session:
        run = latest_run(session, HEARTBEAT_SOURCE)
        assert run is not None
        assert run.status is RunStatus.OK
        assert run.finished_at is not None


def test_jobs_never_overlap_and_survive_a_late_start(database: Database) -> None:
    scheduler = build_scheduler(database, heartbeat_seconds=60)
    assert JOB_DEFAULTS["max_instances"] == 1
    assert JOB_DEFAULTS["coalesce"] is True
    assert JOB_DEFAULTS["misfire_grace_time"] >= 60
    assert [job.id for job in scheduler.get_jobs()] == ["heartbeat"]


def test_crm_scheduler_runs_in_the_foreground_and_records_heartbeats(
    database: Database, database_url: str, tmp_path
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WEAVER_INSTANCE_PATH": str(tmp_path),
        "WEAVER_HEARTBEAT_SECONDS": "1",
    }
    command = [sys.executable, "-c", "from crm.cli import main; main()", "scheduler"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        runs: list[CollectorRun] = []
        deadline = time.monotonic() + 30
        while len(runs) < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
            with unit_of_work(database.session_factory) as session:
                runs = list(session.scalars(select(CollectorRun)))
        assert len(runs) >= 2, "the scheduler recorded fewer than two heartbeats in 30 seconds"
        assert process.poll() is None, "the scheduler stopped by itself"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert "Scheduler started" in output.decode()


def test_a_scheduler_waiting_for_the_lock_stops_when_told(
    database: Database, database_url: str, tmp_path
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "WEAVER_INSTANCE_PATH": str(tmp_path)}
    command = [sys.executable, "-c", "from crm.cli import main; main()", "scheduler"]
    with SchedulerLock(database) as held:
        assert held.try_acquire()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            assert process.stdout is not None
            first_line = process.stdout.readline().decode()
            process.send_signal(signal.SIGTERM)
            output = first_line + process.communicate(timeout=20)[0].decode()
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert "Another scheduler is running for this database" in output
    assert "Scheduler stopped before it started." in output
    assert process.returncode == 0
