"""Storing a collected post is idempotent: the database's unique key decides."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.database import Database
from crm.models import Interaction, interaction_contacts
from crm.sentiment import SentimentLabel, label_for
from crm.services.ingestion import store_collected_post
from crm.unit_of_work import unit_of_work
from tests import factories


def test_a_post_stored_twice_stays_one_row(database: Database) -> None:
    post = factories.post(external_id="1860000000000000001")
    with unit_of_work(database.session_factory) as session:
        organisation = factories.organisation(session)
        first = store_collected_post(session, post, [organisation.id])
        organisation_id = organisation.id
    with unit_of_work(database.session_factory) as session:
        second = store_collected_post(session, post, [organisation_id])

    assert first.is_new is True
    assert second.is_new is False
    assert second.interaction_id == first.interaction_id
    with unit_of_work(database.session_factory) as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 1
        assert session.scalar(select(func.count()).select_from(interaction_contacts)) == 1


def test_a_refetched_post_can_gain_a_contact_link(database: Database) -> None:
    post = factories.post()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club")
        council = factories.organisation(session, "Brackenford Borough Council")
        store_collected_post(session, post, [group.id])
        store_collected_post(session, post, [group.id, council.id])
        stored = session.scalars(select(Interaction)).one()
        assert {contact.name for contact in stored.contacts} == {
            "Saltings Lunch Club",
            "Brackenford Borough Council",
        }


def test_a_stored_post_carries_its_sentiment(session) -> None:
    store_collected_post(session, factories.post(text="Awful, terrible news about the closure"))
    stored = session.scalars(select(Interaction)).one()
    assert stored.sentiment_polarity is not None
    assert label_for(stored.sentiment_polarity) is SentimentLabel.NEGATIVE
