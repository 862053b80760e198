"""The demo borough has something on the going-cold list and suggestions of every kind."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from crm.demo.loader import DEMO_OFFICER_EMAIL, ensure_demo_officer, load_demo_data
from crm.models import Organisation, Suggestion, SuggestionKind
from crm.services.cadences import going_cold
from crm.services.officers import officer_by_email
from crm.services.suggestions import waiting_suggestions


def test_the_demo_has_contacts_going_cold_and_suggestions_waiting(session) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    ensure_demo_officer(session, "a demo password")
    load_demo_data(session, now=now)
    demo = officer_by_email(session, DEMO_OFFICER_EMAIL)

    tiered = session.scalars(select(Organisation).where(Organisation.cadence_tier_id.is_not(None)))
    assert len(tiered.all()) >= 40
    assert going_cold(session, viewer=demo, owner_ids=None, now=now)
    kinds = {s.kind for s in session.scalars(select(Suggestion))}
    assert kinds == set(SuggestionKind)
    assert waiting_suggestions(session, viewer=demo, assignee_ids=[demo.id])
