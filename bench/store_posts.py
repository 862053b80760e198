"""Benchmark: storing collected posts, first pass and re-fetch, beside TextBlob alone.

Run with `make bench` (or `python -m bench.store_posts --posts 5000`). Prints throughputs
measured in this one run and the ratios between them; the figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crm import migrate, sentiment
from crm.database import Database
from crm.models import Platform
from crm.services.ingestion import store_collected_post
from crm.services.posts import CollectedPost
from crm.unit_of_work import unit_of_work

TEXTS = [
    "Huge thanks to everyone who came to our open day, a brilliant turnout!",
    "Really disappointed that the bus route to our centre is being cut.",
    "Reminder: our drop-in runs every Tuesday from 10am to 2pm.",
    "@council when will the consultation on the new community centre open?",
]
BATCH = 500


def make_posts(count: int) -> list[CollectedPost]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        CollectedPost(
            platform=Platform.X,
            external_id=str(1_900_000_000_000_000_000 + n),
            author_platform_id=str(9_000_000 + n % 700),
            author_handle=f"group{n % 700}",
            text=f"{TEXTS[n % len(TEXTS)]} #{n}",
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count)
    ]


def store_all(database: Database, posts: list[CollectedPost]) -> None:
    # One transaction a batch, as a collector commits a page at a time.
    for offset in range(0, len(posts), BATCH):
        with unit_of_work(database.session_factory) as session:
            for post in posts[offset : offset + BATCH]:
                store_collected_post(session, post)


def rate(count: int, action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    args = parser.parse_args()
    posts = make_posts(args.posts)
    with (
        tempfile.TemporaryDirectory() as folder,
        Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}") as database,
    ):
        migrate.upgrade(database.engine)
        sentiment_only = rate(len(posts), lambda: [sentiment.score(p.text) for p in posts])
        first = rate(len(posts), lambda: store_all(database, posts))
        again = rate(len(posts), lambda: store_all(database, posts))
    print(f"posts: {len(posts)} on SQLite")
    print(f"TextBlob sentiment alone: {sentiment_only:,.0f} posts/s")
    print(f"store, first pass:        {first:,.0f} posts/s")
    print(f"store, re-fetched posts:  {again:,.0f} posts/s")
    print(f"ratio store / sentiment alone: {first / sentiment_only:.2f}")
    print(f"ratio re-fetch / first pass:   {again / first:.2f}")


if __name__ == "__main__":
    main()
