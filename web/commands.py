"""`crm serve` and `crm demo`: the web server, and the whole app with demo data."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import click

from crm import migrate
from crm.config import Settings
from crm.database import Database
from crm.demo.loader import (
    DEMO_OFFICER_EMAIL,
    demo_data_loaded,
    ensure_demo_officer,
    load_demo_data,
)
from crm.unit_of_work import unit_of_work
from web import create_app

STATIC_BUILD_HINT = "Run `make assets` (or `npm ci && npm run build`) to build the stylesheet."
# How long the demo gives its scheduler to finish running jobs when it stops.
SCHEDULER_STOP_SECONDS = 10


@click.command(help="Run the web app (a production WSGI server; use gunicorn behind a proxy).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    with Database(Settings.from_environment().database_url) as database:
        migrate.require_up_to_date(database.engine)
    _serve(host, port, threads)


@click.command(help="Run Weaver with a fictional borough's data, on this machine, with SQLite.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and sign-in, then stop.")
def demo(host: str, port: int, no_serve: bool) -> None:
    password = secrets.token_urlsafe(12)
    with Database(Settings.from_environment().database_url) as database:
        if not database.is_sqlite:
            raise click.ClickException(
                "The demo runs on its own SQLite file: unset DATABASE_URL to use it."
            )
        migrate.upgrade(database.engine)
        with unit_of_work(database.session_factory) as session:
            ensure_demo_officer(session, password)
            if not demo_data_loaded(session):
                summary = load_demo_data(session)
                click.echo(
                    f"Loaded the demo borough: {summary.organisations} organisations, "
                    f"{summary.people} people, {summary.interactions} interactions."
                )
    url = f"http://{host}:{port}/"
    click.echo("")
    click.echo(f"Weaver is running at {url}")
    click.echo(f"Sign in as {DEMO_OFFICER_EMAIL} with the password {password}")
    click.echo("(a new password is made each time the demo starts). Press Ctrl+C to stop.")
    if no_serve:
        return
    scheduler_log = Settings.from_environment().instance_path / "scheduler.log"
    scheduler = _start_scheduler(scheduler_log)
    click.echo(f"The scheduler runs beside it, as in production; its log is {scheduler_log}")
    click.echo("")
    try:
        _serve(host, port, threads=8)
    finally:
        _stop_scheduler(scheduler)


def _start_scheduler(log_path: Path) -> subprocess.Popen:
    """`crm scheduler` in its own process: the web server never runs scheduled jobs."""
    command = [sys.executable, "-c", "from crm.cli import main; main()", "scheduler"]
    with log_path.open("ab") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)


def _stop_scheduler(scheduler: subprocess.Popen) -> None:
    """Ask it to stop (it lets running jobs finish), and end it if that takes too long: the
    demo's data is on the same machine, and the next start carries on from the cursors."""
    scheduler.terminate()
    try:
        scheduler.wait(timeout=SCHEDULER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        scheduler.kill()
        scheduler.wait()


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    app = create_app()
    if not Path(app.static_folder or "", "build", "weaver.css").exists():
        click.echo(STATIC_BUILD_HINT, err=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="Weaver")
