"""`crm scheduler`: runs the collectors' schedule in this process until stopped."""

from __future__ import annotations

import logging

import click

from collectors.scheduler import build_scheduler
from crm import migrate
from crm.config import Settings
from crm.database import Database


@click.command(help="Run scheduled jobs in the foreground. Run exactly one per database.")
def scheduler() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings.from_environment()
    with Database(settings.database_url) as database:
        migrate.require_up_to_date(database.engine)
        click.echo(f"Scheduler started: heartbeat every {settings.heartbeat_seconds} seconds.")
        jobs = build_scheduler(database, heartbeat_seconds=settings.heartbeat_seconds)
        try:
            jobs.start()
        except (KeyboardInterrupt, SystemExit):
            click.echo("Scheduler stopped.")
