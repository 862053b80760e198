"""The reminder job belongs to the scheduler process: registered there, never overlapping, and
sending digests by the SMTP server the environment names."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from collectors.scheduler import (
    REMINDERS_JOB_ID,
    ReminderSchedule,
    build_scheduler,
    send_reminders,
)
from crm.clock import london_today
from crm.database import Database
from crm.models import ReminderRun, ReminderRunStatus
from crm.services.reminders import ReminderPolicy
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.mail_server import body_of, local_smtp_server

SCHEDULE = ReminderSchedule(mailer=None, policy=ReminderPolicy(), every_minutes=15)


def test_the_scheduler_registers_the_reminder_job(database: Database) -> None:
    scheduler = build_scheduler(database, heartbeat_seconds=60, reminders=SCHEDULE)

    job = scheduler.get_job(REMINDERS_JOB_ID)

    assert job is not None
    assert isinstance(job.trigger, IntervalTrigger)
    assert job.trigger.interval == timedelta(minutes=15)
    assert job.max_instances == 1 and job.coalesce is True
    assert job.args == (database, SCHEDULE)


def test_the_job_records_a_finished_run_in_its_own_unit_of_work(database: Database) -> None:
    send_reminders(database, SCHEDULE)

    with unit_of_work(database.session_factory) as session:
        [run] = session.scalars(select(ReminderRun)).all()
        assert run.status is ReminderRunStatus.OK
        assert run.finished_at is not None


def test_crm_scheduler_emails_digests_through_the_configured_server(
    database: Database, database_url: str, tmp_path
) -> None:
    with unit_of_work(database.session_factory) as session:
        officer = factories.officer(session, email="priya@council.example", name="Priya Shah")
        hub = factories.organisation(session, "Northgate Youth Hub")
        factories.follow_up(
            session, hub, due_on=london_today() - timedelta(days=1), assignee=officer
        )
    with local_smtp_server() as smtp:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "WEAVER_INSTANCE_PATH": str(tmp_path),
            "WEAVER_HEARTBEAT_SECONDS": "60",
            "WEAVER_SMTP_HOST": "127.0.0.1",
            "WEAVER_SMTP_PORT": str(smtp.port),
            "WEAVER_SMTP_STARTTLS": "false",
            "WEAVER_SMTP_FROM": "Weaver <weaver@council.example>",
            "WEAVER_DIGEST_HOUR": "0",  # due at any time of day, so the test never waits
            "WEAVER_PUBLIC_URL": "https://weaver.council.example/",
        }
        command = [sys.executable, "-c", "from crm.cli import main; main()", "scheduler"]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 30
            while not smtp.messages and time.monotonic() < deadline:
                time.sleep(0.3)
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=20)
    assert smtp.messages, output.decode()
    [message] = smtp.messages
    assert message["To"] == "Priya Shah <priya@council.example>"
    assert message["From"] == "Weaver <weaver@council.example>"
    assert "See your day: https://weaver.council.example/" in body_of(message)
    assert "Email is not set up" not in output.decode()
