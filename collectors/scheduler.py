"""The scheduler process: APScheduler in the foreground, never inside a web worker."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from crm.clock import utc_now
from crm.database import Database
from crm.services.collection import record_heartbeat
from crm.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

# APScheduler's default grace of 1 second would silently drop runs after a restart or a pause;
# coalesce turns a backlog into one run, and one instance per job stops runs overlapping.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60}


def build_scheduler(database: Database, *, heartbeat_seconds: int) -> BlockingScheduler:
    scheduler = BlockingScheduler(job_defaults=JOB_DEFAULTS, timezone="UTC")
    scheduler.add_job(
        heartbeat,
        "interval",
        args=[database],
        seconds=heartbeat_seconds,
        id="heartbeat",
        name="Heartbeat",
        next_run_time=utc_now(),
    )
    return scheduler


def heartbeat(database: Database) -> None:
    """Record that the scheduler is alive; the app warns when this goes quiet."""
    with unit_of_work(database.session_factory) as session:
        run = record_heartbeat(session)
    log.info("Heartbeat recorded (run %s)", run.id)
