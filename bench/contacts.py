"""Benchmark: a contact's timeline and search, on a borough of 50,000 contacts and
1,000,000 interactions.

    python -m bench.contacts [--database-url URL] [--reuse] [--runs 30]

Without --database-url the borough is built in a temporary SQLite file. With one (for
PostgreSQL, a throwaway database such as bench_weaver), the database must be empty: the
benchmark migrates it and fills it. --reuse skips the build and measures a borough an earlier
run left there.

It signs in through the real sign-in form with Flask's test client, then times whole requests
for the first page of the timeline of an organisation with 10,000 items, the next page (by
its "Older" link), the same organisation with its people's items, and a filtered page; and
`crm.services.search.search` for a name and for words in interaction notes. Figures are
medians of --runs runs, after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import inspect

from bench import borough
from crm import migrate
from crm.database import Database
from crm.services.officers import get_officer

TARGETS_MS = {"timeline": 50.0, "search": 100.0}
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OLDER_LINK = re.compile(r'href="([^"]*cursor=[^"#]*)[^"]*"[^>]*rel="next"')


def main() -> None:
    arguments = _arguments()
    with tempfile.TemporaryDirectory() as directory:
        url = arguments.database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
        with Database(url) as database:
            built = _borough(database, arguments)
            print(f"database: {database.engine.url.render_as_string(hide_password=True)}")
            print(_describe(built))
            load_before = os.getloadavg()[0]
            rows = measure(database, url, directory, built, arguments.runs)
            print(f"machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before")
            print(f"measuring and {os.getloadavg()[0]:.1f} after")
    print(f"\nmedians of {arguments.runs} runs; a timeline is a whole request through the Flask")
    print("test client. CPU is this process's alone (with SQLite, all of the work).\n")
    print("| measure | ms | CPU ms | target |\n| --- | --- | --- | --- |")
    for name, timing, target in rows:
        print(f"| {name} | {timing.wall_ms:.1f} | {timing.cpu_ms:.1f} | {target} |")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: temporary SQLite)")
    parser.add_argument("--reuse", action="store_true", help="measure a borough built before")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    return parser.parse_args()


def _borough(database: Database, arguments: argparse.Namespace) -> borough.Borough | None:
    if arguments.reuse:
        return None
    if inspect(database.engine).get_table_names():
        raise SystemExit("The database is not empty: give an empty one, or --reuse a borough")
    migrate.upgrade(database.engine)
    shape = borough.Shape(contacts=arguments.contacts, interactions=arguments.interactions)
    started = time.perf_counter()
    with database.engine.begin() as connection:
        built = borough.build(connection, shape, random.Random(20261130))
    borough.settle(database.engine)
    print(f"built in {time.perf_counter() - started:.0f} s")
    return built


def _describe(built: borough.Borough | None) -> str:
    if built is None:
        return "reusing the borough already there"
    return (
        f"{built.contacts:,} contacts, {built.interactions:,} interactions, "
        f"{built.follow_ups:,} follow-ups; {built.busy_items:,} items on the busy timeline"
    )


def measure(
    database: Database, url: str, directory: str, built: borough.Borough | None, runs: int
) -> list[tuple[str, Timing, str]]:
    client = _signed_in_client(url, directory)
    busy = f"/contacts/{borough.BUSY_ORGANISATION_ID}"
    first = client.get(busy).get_data(as_text=True)
    older = OLDER_LINK.search(first)
    if older is None:
        raise SystemExit("The timeline's first page has no link to older items")
    older_url = older.group(1).replace("&amp;", "&")
    timeline_target = f"under {TARGETS_MS['timeline']:.0f}"
    rows = [
        ("timeline, first page", _median_ms(runs, lambda: _get(client, busy)), timeline_target),
        ("timeline, next page (cursor)", _median_ms(runs, lambda: _get(client, older_url)), ""),
        (
            "timeline with the organisation's people",
            _median_ms(runs, lambda: _get(client, busy + "?people=on")),
            "",
        ),
        (
            "timeline of a contact with a few dozen items",
            _median_ms(runs, lambda: _get(client, f"/contacts/{borough.BUSY_ORGANISATION_ID + 1}")),
            "",
        ),
        (
            "timeline filtered to meetings",
            _median_ms(runs, lambda: _get(client, busy + "?kind=meeting")),
            "",
        ),
    ]
    rows.extend(_search_rows(database, runs))
    return rows


def _signed_in_client(url: str, directory: str) -> FlaskClient:
    os.environ.update(
        DATABASE_URL=url,
        WEAVER_INSTANCE_PATH=str(Path(directory) / "instance"),
        SECRET_KEY="bench-secret-key",
    )
    from web import create_app  # after the environment names the database

    client = create_app({"RATELIMIT_ENABLED": False}).test_client()
    form = client.get("/sign-in").get_data(as_text=True)
    token = CSRF_FIELD.search(form)
    assert token is not None
    signed_in = client.post(
        "/sign-in",
        data={
            "csrf_token": token.group(1),
            "email": borough.OFFICER_EMAIL,
            "password": borough.OFFICER_PASSWORD,
        },
    )
    if signed_in.status_code != 302:
        raise SystemExit("The bench officer could not sign in")
    return client


def _get(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")


def _search_rows(database: Database, runs: int) -> list[tuple[str, Timing, str]]:
    try:
        from crm.services.search import search
    except ImportError:
        nothing = Timing(float("nan"), float("nan"))
        return [("search", nothing, "crm.services.search is not there yet")]
    target = f"under {TARGETS_MS['search']:.0f}"
    rows = []
    with database.session_factory() as session:
        viewer = get_officer(session, borough.BENCH_OFFICER_ID)
        for label, query in (("search, a name", "saltings pantry"), ("search, notes", "lease")):
            rows.append(
                (label, _median_ms(runs, lambda q=query: search(session, q, viewer=viewer)), target)
            )
    return rows


@dataclass(frozen=True)
class Timing:
    wall_ms: float
    cpu_ms: float  # this process only: SQLite's work, not a PostgreSQL server's


def _median_ms(runs: int, work: Callable[[], object]) -> Timing:
    work()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Timing(statistics.median(wall), statistics.median(cpu))


if __name__ == "__main__":
    main()
