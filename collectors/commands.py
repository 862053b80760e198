"""`crm scheduler` runs the collectors' schedule; `crm import posts` reads a JSONL file."""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

import click

from collectors import importer
from collectors.lock import SchedulerLock
from collectors.scheduler import ReminderSchedule, build_scheduler
from collectors.sources import registry
from crm import migrate, sentiment
from crm.config import Settings
from crm.database import Database
from crm.mail import mailer_from_settings
from crm.models import Platform
from crm.services import collection
from crm.services.reminders import ReminderPolicy
from crm.unit_of_work import unit_of_work

LOCK_RETRY_SECONDS = 10
# How often the main thread looks up from waiting for a stop signal.
STOP_CHECK_SECONDS = 0.5


@click.command(help="Run scheduled jobs in the foreground. Only one runs per database.")
def scheduler() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_environment()
    stop = _stop_on_signals()
    with Database(settings.database_url) as database, SchedulerLock(database) as lock:
        migrate.require_up_to_date(database.engine)
        if not _wait_for(lock, stop):
            click.echo("Scheduler stopped before it started.")
            return
        with unit_of_work(database.session_factory) as session:
            abandoned = collection.abandon_stale_runs(session)
        if abandoned:
            click.echo(f"Marked {abandoned} run(s) cut off by an earlier stop as failed.")
        click.echo(f"Scheduler started: heartbeat every {settings.heartbeat_seconds} seconds.")
        if not settings.x_bearer_token:
            click.echo("X is not connected (X_BEARER_TOKEN is not set): X targets will skip.")
        mailer = mailer_from_settings(settings)
        if mailer is None:
            click.echo("Email is not set up (WEAVER_SMTP_HOST is not set): digests will not go.")
        jobs = build_scheduler(
            database,
            heartbeat_seconds=settings.heartbeat_seconds,
            source_factory=lambda platform: registry.source_for(platform, settings),
            handle_look_up=registry.handle_look_up_for(Platform.X, settings),
            sync_seconds=settings.target_sync_seconds,
            reminders=ReminderSchedule(
                mailer=mailer,
                policy=ReminderPolicy(
                    digest_hour=settings.digest_hour,
                    escalate_after_days=settings.escalate_after_days,
                    public_url=settings.public_url,
                ),
                every_minutes=settings.reminder_minutes,
            ),
        )
        try:
            if settings.x_bearer_token:
                # Collection scores sentiment in worker processes while it stores pages.
                sentiment.start_workers()
            jobs.start()
            while not stop.wait(STOP_CHECK_SECONDS):
                pass
            click.echo("Stopping: waiting for running jobs to finish (signal again to stop now).")
            jobs.shutdown(wait=True)
        finally:
            sentiment.stop_workers()
        click.echo("Scheduler stopped.")


def _stop_on_signals() -> threading.Event:
    """Ctrl-C (SIGINT) and `docker stop` (SIGTERM) set the returned event, and do nothing
    else: APScheduler catches every exception inside its loop, KeyboardInterrupt included,
    so an interrupt raised there would be logged and ignored. A second signal ends the
    process at once: a run cut off like that is rolled back, the next start marks it
    failed, and the target's cursor picks up after its last stored page."""
    stop = threading.Event()

    def on_signal(_signum: int, _frame: object) -> None:
        if stop.is_set():
            os._exit(1)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    return stop


def _wait_for(lock: SchedulerLock, stop: threading.Event) -> bool:
    """Hold the scheduler lock; False if told to stop while waiting for it."""
    if lock.try_acquire():
        return True
    click.echo(
        "Another scheduler is running for this database. Waiting for it to stop "
        f"(checking every {LOCK_RETRY_SECONDS} seconds)..."
    )
    while not lock.try_acquire():
        if stop.wait(LOCK_RETRY_SECONDS):
            return False
    click.echo("The other scheduler has stopped: this one takes over.")
    return True


@click.command("posts", help="Import X API v2 pages (one per line, as twarc2 writes) or posts.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_posts(file: Path) -> None:
    settings = Settings.from_environment()
    with Database(settings.database_url) as database, file.open("rb") as stream:
        migrate.require_up_to_date(database.engine)
        size = file.stat().st_size
        with click.progressbar(length=size, label=f"Importing {file.name}") as bar:
            report = importer.import_posts(
                database, stream, file_name=file.name, on_line=bar.update
            )
    click.echo(
        f"Read {report.lines:,} lines and {report.posts:,} posts: {report.new:,} new, "
        f"{report.duplicates:,} already stored, {report.sent_to_review:,} sent for review, "
        f"{report.quarantined:,} quarantined."
    )
    if report.skipped_erased:
        click.echo(
            f"{report.skipped_erased:,} posts were left out: their authors' data was erased."
        )
    for line_number, reason in report.bad_lines:
        click.echo(f"Line {line_number}: {reason}", err=True)
    hidden = report.bad_line_count - len(report.bad_lines)
    if hidden:
        click.echo(f"...and {hidden:,} more problems.", err=True)
    if report.bad_line_count:
        raise SystemExit(1)
