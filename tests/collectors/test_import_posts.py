"""`crm import posts`: a JSONL file of X pages through the same pipeline."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import func, select

from collectors import importer
from crm.database import Database
from crm.models import Interaction, PostReview, QuarantinedItem
from crm.unit_of_work import unit_of_work
from tests.collectors import x_wire as wire
from tests.collectors.listening import COUNCIL_ID, GROUP_ID, STRANGER_ID, set_up_listening

USERS = [wire.user(GROUP_ID, "millbrookfood"), wire.user(STRANGER_ID, "stranger")]


def lines(*documents) -> list[bytes]:
    return [
        (document if isinstance(document, bytes) else json.dumps(document).encode()) + b"\n"
        for document in documents
    ]


def sample_file() -> list[bytes]:
    return lines(
        wire.page(
            [wire.tweet("11", "Open today", GROUP_ID), wire.tweet("12", "hi", STRANGER_ID)], USERS
        ),
        b"{not json",
        wire.tweet(
            "13", "@BrackenfordBC thanks", STRANGER_ID, mentions=[(COUNCIL_ID, "BrackenfordBC")]
        ),
        b"",
        wire.page(
            [
                wire.tweet("14", "bad date", GROUP_ID, created_at="soon"),
                wire.tweet("11", "Open today", GROUP_ID),
            ],
            USERS,
        ),
        b"[1, 2, 3]",
        b"\xff\xfe not text",
    )


def test_a_file_imports_reports_bad_lines_by_number_and_keeps_the_rest(database: Database):
    set_up_listening(database)
    report = importer.import_posts(database, sample_file(), file_name="pages.jsonl")
    assert report.lines == 7
    assert (report.posts, report.new, report.duplicates, report.quarantined) == (5, 3, 1, 1)
    assert [number for number, _reason in report.bad_lines] == [2, 5, 6, 7]
    assert "not valid JSON" in report.bad_lines[0][1]
    assert "UTF-8" in report.bad_lines[3][1]
    with unit_of_work(database.session_factory) as session:
        stored = set(session.scalars(select(Interaction.external_id)))
        queued = set(session.scalars(select(Interaction.external_id).join(PostReview)))
        reason = session.scalars(select(QuarantinedItem.reason)).one()
    assert stored == {"11", "12", "13"}
    # Strangers go to the review queue; a single post object with no author data still goes.
    assert queued == {"12", "13"}
    assert reason.startswith("Line 5 of pages.jsonl")


def test_importing_the_same_file_again_stores_nothing_twice(database: Database):
    set_up_listening(database)
    importer.import_posts(database, sample_file(), file_name="pages.jsonl")
    again = importer.import_posts(database, sample_file(), file_name="pages.jsonl")
    assert again.new == 0
    assert again.duplicates == 4
    with unit_of_work(database.session_factory) as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 3
        assert session.scalar(select(func.count()).select_from(PostReview)) == 2


def test_posts_are_stored_in_batches(database: Database):
    set_up_listening(database)
    tweets = [wire.tweet(str(1000 + n), f"post {n}", GROUP_ID) for n in range(25)]
    pages = [wire.page(tweets[start : start + 5], USERS) for start in range(0, 25, 5)]
    report = importer.import_posts(database, lines(*pages), file_name="f", batch_size=7)
    assert report.new == 25


def test_crm_import_posts_shows_progress_and_a_report(database: Database, database_url, tmp_path):
    set_up_listening(database)
    path = tmp_path / "pages.jsonl"
    path.write_bytes(b"".join(sample_file()))
    env = {**os.environ, "DATABASE_URL": database_url, "WEAVER_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "from crm.cli import main; main()", "import", "posts", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Importing pages.jsonl" in result.stdout
    assert "3 new" in result.stdout
    assert "Line 2: The line is not valid JSON" in result.stderr
