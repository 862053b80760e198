"""Storing collected posts: unsafe text is repaired and flagged the same on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from crm import sentiment
from crm.models import Interaction
from crm.services.ingestion import MAX_POST_LENGTH, Provenance, ingest_posts
from tests import factories

IMPORTED = Provenance(review_reason="Imported from the file test.jsonl")


def stored(session, external_id: str) -> Interaction:
    return session.scalars(select(Interaction).where(Interaction.external_id == external_id)).one()


def test_nul_bytes_and_lone_surrogates_are_replaced_and_flagged(session):
    post = factories.post(external_id="1", text="Tea\x00 and cake \ud800 today")
    ingest_posts(session, [post], provenance=IMPORTED)
    row = stored(session, "1")
    assert row.text == "Tea and cake \ufffd today"
    assert row.text_was_repaired and not row.text_was_truncated


def test_over_long_text_is_cut_and_flagged(session):
    post = factories.post(external_id="2", text="word " * 6_000)
    ingest_posts(session, [post], provenance=IMPORTED)
    row = stored(session, "2")
    assert len(row.text) == MAX_POST_LENGTH
    assert row.text_was_truncated and not row.text_was_repaired


def test_clean_text_is_stored_as_it_came(session):
    post = factories.post(external_id="3", text="Lovely day 🌞 at the hall")
    ingest_posts(session, [post], provenance=IMPORTED)
    row = stored(session, "3")
    assert row.text == "Lovely day 🌞 at the hall"
    assert not (row.text_was_repaired or row.text_was_truncated)


def test_a_batch_with_the_same_post_twice_stores_it_once(session):
    post = factories.post(external_id="4")
    result = ingest_posts(session, [post, replace(post, text="edited")], provenance=IMPORTED)
    assert (result.new, result.duplicates) == (1, 1)
    again = ingest_posts(session, [post], provenance=IMPORTED)
    assert (again.new, again.duplicates) == (0, 1)
    assert again.interaction_ids == result.interaction_ids


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sentiment, "_usable_cpus", lambda: 2)
    assert sentiment.start_workers() and sentiment.wait_for_workers(timeout=120)
    yield
    sentiment.stop_workers()


def test_a_page_scored_in_worker_processes_stores_the_same_figures(session, workers, monkeypatch):
    texts = ["What a wonderful day!", "Terrible, awful news", "Meeting at 7pm", "Not bad"]
    posts = [
        factories.post(external_id=str(100 + n), text=f"{texts[n % 4]} #{n}") for n in range(60)
    ]
    sent_to_workers = []
    real_start = sentiment.start_scoring

    def watched(page_texts):
        scoring = real_start(page_texts)
        sent_to_workers.append(scoring.in_workers)
        return scoring

    monkeypatch.setattr(sentiment, "start_scoring", watched)

    result = ingest_posts(session, posts, provenance=IMPORTED)
    again = ingest_posts(session, posts, provenance=IMPORTED)

    assert sent_to_workers == [True, False]  # nothing new the second time: nothing to score
    assert (result.new, again.new, again.duplicates) == (60, 0, 60)
    for post in posts:
        row = stored(session, post.external_id)
        expected = sentiment.score(post.text)
        assert (row.sentiment_polarity, row.sentiment_subjectivity) == (
            expected.polarity,
            expected.subjectivity,
        )
