from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from crm.clock import london_today, utc_now
from crm.errors import InvalidInput, NotFound
from crm.models import FollowUp, InteractionKind
from crm.services.interactions import record_interaction
from tests import factories


def test_logging_an_interaction_with_a_follow_up(session) -> None:
    officer = factories.officer(session)
    group = factories.organisation(session)
    chair = factories.person(session, member_of=group)
    when = datetime(2026, 11, 2, 11, 0, tzinfo=UTC)

    logged = record_interaction(
        session,
        officer_id=officer.id,
        contact_ids=[group.id, chair.id],
        kind=InteractionKind.COFFEE,
        occurred_at=when,
        note="Talked about the winter programme",
        follow_up_on=date(2026, 12, 1),
    )

    assert {c.name for c in logged.interaction.contacts} == {group.name, chair.name}
    assert logged.interaction.logged_by_id == officer.id
    assert logged.interaction.occurred_at == when
    follow_up = session.scalars(select(FollowUp)).one()
    assert follow_up.id == logged.follow_up_id
    assert follow_up.contact_id == group.id
    assert follow_up.assignee_id == officer.id
    assert follow_up.due_on == date(2026, 12, 1)
    assert follow_up.interaction_id == logged.interaction.id


def test_an_interaction_needs_someone_and_a_real_kind_and_a_past_date(session) -> None:
    officer = factories.officer(session)
    group = factories.organisation(session)
    common = {"officer_id": officer.id, "note": "", "occurred_at": utc_now()}
    with pytest.raises(InvalidInput, match="Choose who"):
        record_interaction(session, contact_ids=[], kind=InteractionKind.CALL, **common)
    with pytest.raises(InvalidInput, match="what kind"):
        record_interaction(session, contact_ids=[group.id], kind=InteractionKind.POST, **common)
    with pytest.raises(InvalidInput, match="today or in the past") as future_day:
        record_interaction(
            session,
            officer_id=officer.id,
            contact_ids=[group.id],
            kind=InteractionKind.CALL,
            occurred_at=utc_now() + timedelta(days=2),
            note="",
        )
    with pytest.raises(NotFound):
        record_interaction(
            session, contact_ids=[group.id + 100], kind=InteractionKind.CALL, **common
        )
    assert future_day.value.field == "occurred_on"


def test_a_later_time_today_is_explained_as_a_time_problem(session) -> None:
    officer = factories.officer(session)
    group = factories.organisation(session)
    # Two minutes ahead is still today, except in the two minutes before midnight.
    later = utc_now() + timedelta(minutes=2)
    if london_today(later) != london_today():
        pytest.skip("too close to midnight for 'later today' to exist")
    with pytest.raises(InvalidInput, match="now or earlier today") as error:
        record_interaction(
            session,
            officer_id=officer.id,
            contact_ids=[group.id],
            kind=InteractionKind.CALL,
            occurred_at=later,
            note="",
        )
    assert error.value.field == "occurred_time"


def test_text_postgresql_would_refuse_is_cleaned_on_every_database(session) -> None:
    officer = factories.officer(session)
    group = factories.organisation(session)
    logged = record_interaction(
        session,
        officer_id=officer.id,
        contact_ids=[group.id],
        kind=InteractionKind.OTHER,
        occurred_at=utc_now(),
        note="before\x00after \ud800 end",
    )
    session.flush()
    session.expire_all()
    assert logged.interaction.text == "beforeafter \ufffd end"
