"""Storing collected posts: unsafe text is repaired and flagged the same on both databases."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

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
