"""The demo borough has the shape the README promises."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from crm.clock import london_today
from crm.demo.loader import demo_data_loaded, ensure_demo_officer, load_demo_data
from crm.models import (
    Affiliation,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Locality,
    Organisation,
    Person,
    Ward,
)
from crm.services.officers import authenticate


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_borough_is_a_year_of_realistic_activity(session) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert not demo_data_loaded(session)
    ensure_demo_officer(session, "a demo password")

    load_demo_data(session, now=now)

    assert demo_data_loaded(session)
    assert count(session, Locality) == 3
    assert count(session, Ward) >= 9
    assert 40 <= count(session, Organisation) <= 42
    assert count(session, Person) == 80
    assert count(session, Affiliation) >= 80
    interactions = count(session, Interaction)
    assert 550 <= interactions <= 650
    posts = count(session, Interaction, Interaction.kind == InteractionKind.POST)
    assert 0 < posts < interactions
    assert count(session, Interaction, Interaction.sentiment_polarity < -0.1) > 0
    oldest = session.scalar(select(func.min(Interaction.occurred_at)))
    assert (now - oldest).days <= 366
    today = london_today(now)
    open_follow_ups = FollowUp.status == FollowUpStatus.OPEN
    assert count(session, FollowUp, open_follow_ups, FollowUp.due_on < today) > 0
    assert count(session, FollowUp, open_follow_ups, FollowUp.due_on >= today) > 0


def test_the_demo_officer_gets_a_fresh_password_each_run(session) -> None:
    ensure_demo_officer(session, "first demo password")
    officer = ensure_demo_officer(session, "second demo password")
    email = officer.email
    assert authenticate(session, email, "first demo password") is None
    assert authenticate(session, email, "second demo password") is officer
