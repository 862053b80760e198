"""`crm scheduler` runs the collectors' schedule; `crm import posts` reads a JSONL file."""

from __future__ import annotations

import logging
import time
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


@click.command(help="Run scheduled jobs in the foreground. Only one runs per database.")
def scheduler() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_environment()
    with Database(settings.database_url) as database, SchedulerLock(database) as lock:
        migrate.require_up_to_date(database.engine)
        _wait_for(lock)
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
        if settings.x_bearer_token:
            # Collection scores sentiment in worker processes while it stores pages.
            sentiment.start_workers()
        try:
            jobs.start()
        except (KeyboardInterrupt, SystemExit):
            click.echo("Scheduler stopped.")
        finally:
            sentiment.stop_workers()


def _wait_for(lock: SchedulerLock) -> None:
    if lock.try_acquire():
        return
    click.echo(
        "Another scheduler is running for this database. Waiting for it to stop "
        f"(checking every {LOCK_RETRY_SECONDS} seconds)..."
    )
    while not lock.try_acquire():
        time.sleep(LOCK_RETRY_SECONDS)
    click.echo("The other scheduler has stopped: this one takes over.")


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
