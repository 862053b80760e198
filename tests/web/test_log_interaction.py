"""Logging an informal interaction, with a follow-up, in one form."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from crm.clock import london_today, to_london, utc_now
from crm.models import FollowUp, Interaction
from crm.unit_of_work import unit_of_work
from tests import factories


def _date_fields(name: str, day) -> dict[str, str]:
    # GOV.UK date inputs send day, month and year under one name.
    return {name: [str(day.day), str(day.month), str(day.year)]}


def test_a_logged_interaction_appears_at_the_top_of_the_timeline(
    client, officers, database
) -> None:
    officer = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club")
        factories.logged_interaction(
            session, [group], when=utc_now() - timedelta(days=3), note="An older call"
        )
        group_id = group.id
    form = client.get(f"/interactions/new?contact={group_id}").get_data(as_text=True)
    assert f'<option value="{group_id}" selected' in form
    for question in ("What kind of interaction was it?", "When was it?", "Follow up by (optional)"):
        assert re.search(rf"<legend[^>]*>\s*{re.escape(question)}\s*</legend>", form), question

    today = london_today()
    response = officers.post_form(
        "/interactions/new",
        {
            "contact_id": group_id,
            "kind": "coffee",
            **_date_fields("occurred_on", today),
            "occurred_time": "00:05",
            "note": "Coffee with the new chair about the lunch club's future",
            **_date_fields("follow_up_on", today + timedelta(days=14)),
        },
    )

    assert response.status_code == 302
    assert response.location == f"/contacts/{group_id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Interaction saved with a follow-up" in page
    timeline = page[page.index('id="timeline"') :]
    assert timeline.index("Coffee with the new chair") < timeline.index("An older call")
    with unit_of_work(database.session_factory) as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert follow_up.due_on == today + timedelta(days=14)
        assert follow_up.assignee_id == officer.id
        logged = session.scalars(
            select(Interaction).where(Interaction.id == follow_up.interaction_id)
        ).one()
        assert logged.logged_by_id == officer.id
        assert to_london(logged.occurred_at).strftime("%H:%M") == "00:05"


def test_the_form_explains_mistakes_and_saves_nothing(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session).id

    response = officers.post_form(
        "/interactions/new",
        {
            "contact_id": group_id,
            "occurred_on": ["31", "2", "2026"],
            "occurred_time": "25:99",
            "note": "",
            **_date_fields("follow_up_on", london_today() - timedelta(days=1)),
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose what kind of interaction it was" in page
    assert "Enter a time in the 24-hour clock" in page
    assert "Not a valid date value" in page
    assert "The follow-up date must be today or in the future" in page
    assert "<title>Error: Log an interaction" in page
    with unit_of_work(database.session_factory) as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 0


def test_an_interaction_in_the_future_is_refused(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session).id
    tomorrow = london_today() + timedelta(days=1)
    response = officers.post_form(
        "/interactions/new",
        {
            "contact_id": group_id,
            "kind": "call",
            **_date_fields("occurred_on", tomorrow),
            "occurred_time": "10:00",
            "note": "Not yet",
        },
    )
    assert "must be today or in the past" in response.get_data(as_text=True)
