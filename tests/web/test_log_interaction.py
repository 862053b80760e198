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
    # The contact page's button ticks its contact in advance.
    assert re.search(rf'name="contact_id" type="checkbox" value="{group_id}"[^>]* checked>', form)
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


def test_finding_contacts_by_name_without_javascript_and_logging_with_several(
    client, officers, database
) -> None:
    officer = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        pantry = factories.organisation(session, "Marshby Community Pantry")
        chair = factories.person(session, "Cara Pantry-Chair")
        factories.organisation(session, "Riverside Arts Collective")
        pantry_id, chair_id = pantry.id, chair.id
    form_page = f"/interactions/new?contact={pantry_id}"
    today = london_today()
    typed = {
        "kind": "meeting",
        **_date_fields("occurred_on", today),
        "occurred_time": "00:01",
        "note": "Planning the winter food drive",
    }

    # Find: the form comes back with the matches to tick, and everything typed kept.
    found = officers.post_form(
        "/interactions/new",
        {"contact_id": pantry_id, "find": "pantry", "find_contacts": "Find", **typed},
        form_page=form_page,
    )
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and "There is a problem" not in page
    assert "1 contact matches ‘pantry’" in page  # the pantry itself is already ticked
    assert re.search(rf'type="checkbox" value="{chair_id}"[^>]*>', page)
    assert not re.search(rf'type="checkbox" value="{chair_id}"[^>]* checked', page)
    assert re.search(rf'type="checkbox" value="{pantry_id}"[^>]* checked', page)
    assert "Riverside Arts Collective" not in page
    assert "Planning the winter food drive" in page
    assert 'name="occurred_time" type="text" value="00:01"' in page

    # Save with both ticked.
    saved = officers.post_form(
        "/interactions/new",
        {"contact_id": [pantry_id, chair_id], "find": "", **typed},
        form_page=form_page,
    )

    assert saved.status_code == 302 and saved.location == f"/contacts/{pantry_id}"
    with unit_of_work(database.session_factory) as session:
        logged = session.scalars(select(Interaction)).one()
        assert sorted(contact.id for contact in logged.contacts) == sorted([pantry_id, chair_id])
        assert logged.logged_by_id == officer.id
    for contact_id in (pantry_id, chair_id):
        assert "Planning the winter food drive" in client.get(f"/contacts/{contact_id}").get_data(
            as_text=True
        )


def test_enter_with_nothing_to_find_saves_the_interaction(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session).id
    # Enter in a text box presses the form's first button, which is Find.
    response = officers.post_form(
        "/interactions/new",
        {
            "contact_id": group_id,
            "find": "  ",
            "find_contacts": "Find",
            "kind": "call",
            **_date_fields("occurred_on", london_today()),
            "occurred_time": "00:00",
        },
    )
    assert response.status_code == 302


def test_finding_nobody_says_so(client, officers, database) -> None:
    officers.signed_in()
    response = officers.post_form("/interactions/new", {"find": "zzz", "find_contacts": "Find"})
    page = response.get_data(as_text=True)
    assert "No contacts match ‘zzz’" in page
    # Nothing ticked yet, so the finder carries the field's id for the error summary's link.
    assert 'id="contact_id" name="find"' in page


def test_saving_with_nobody_ticked_asks_who_it_was_with(client, officers, database) -> None:
    officers.signed_in()
    response = officers.post_form(
        "/interactions/new",
        {"kind": "call", **_date_fields("occurred_on", london_today()), "occurred_time": "00:00"},
    )
    page = response.get_data(as_text=True)
    assert "Choose who the interaction was with" in page
    assert 'href="#contact_id"' in page


def test_the_finders_json_lists_matching_contacts_the_officer_may_see(
    client, officers, database
) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        pantry = factories.organisation(session, "Marshby Community Pantry")
        secret = factories.person(session, "Pat Pantry")
        secret.is_restricted = True
        secret.owner = factories.officer(session, name="Someone else")
        factories.person(session, "Priya Pantry")
        pantry_id = pantry.id

    response = client.get("/interactions/contacts.json?q=pant")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    names = [contact["name"] for contact in response.json["contacts"]]
    assert names == ["Marshby Community Pantry", "Priya Pantry"]
    assert response.json["contacts"][0] == {
        "id": pantry_id,
        "name": "Marshby Community Pantry",
        "kind": "Organisation",
    }
    assert client.get("/interactions/contacts.json?q=").json == {"contacts": []}
