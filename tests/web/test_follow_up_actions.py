"""The follow-up page and its actions, the team list, and adding a follow-up from a contact,
a logged interaction or a collected post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crm.clock import london_today, to_london, utc_now
from crm.models import (
    AuditEvent,
    FollowUp,
    FollowUpStatus,
    Interaction,
    OfficerRole,
    Platform,
    Team,
)
from crm.services.ingestion import store_collected_post
from crm.services.officers import officer_by_email
from crm.services.posts import CollectedPost
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import csrf_token_from


def _date_fields(name: str, day) -> dict[str, list[str]]:
    # GOV.UK date inputs send day, month and year under one name.
    return {name: [str(day.day), str(day.month), str(day.year)]}


def _follow_up(database, *, assignee_email: str = "officer@council.example", **fields) -> int:
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, fields.pop("contact_name", "Brackenford Mind"))
        item = factories.follow_up(
            session,
            group,
            due_on=fields.pop("due_on", london_today()),
            assignee=officer_by_email(session, assignee_email),
            note=fields.pop("note", "Send the grant guidance"),
        )
        return item.id


def _stored(database, follow_up_id: int) -> FollowUp:
    with unit_of_work(database.session_factory) as session:
        follow_up = session.get(FollowUp, follow_up_id)
        session.expunge(follow_up)
        return follow_up


def test_the_follow_up_page_shows_it_and_offers_the_actions(client, officers, database) -> None:
    officers.signed_in()
    officers.create(email="jo@council.example", name="Jo Colleague")
    follow_up_id = _follow_up(database, note="<script>alert(1)</script> Send the form")

    html = client.get(f"/follow-ups/{follow_up_id}").get_data(as_text=True)

    assert "Follow up with <bdi>Brackenford Mind</bdi>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Send the form" in html
    assert "<script>alert(1)" not in html
    assert "Due today" in html
    for heading in ("Mark as done", "Snooze", "Reassign", "Dismiss"):
        assert f">{heading}</h2>" in html
    for preset in ("Tomorrow", "Next week", "In 2 weeks", "In a month", "A date"):
        assert preset in html
    assert "Jo Colleague" in html  # someone to reassign it to


def test_a_viewer_sees_a_follow_up_but_no_actions(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="viewer@council.example", role=OfficerRole.VIEWER)
    officers.sign_in("viewer@council.example")
    follow_up_id = _follow_up(database, assignee_email="viewer@council.example")

    html = client.get(f"/follow-ups/{follow_up_id}").get_data(as_text=True)

    assert "Send the grant guidance" in html
    assert "Mark as done" not in html


def test_completing_with_the_call_that_did_it(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"
    an_hour_ago = to_london(utc_now() - timedelta(hours=1))

    response = officers.post_form(
        f"{page}/complete",
        {
            "log_kind": "call",
            "log_note": "Talked them through the form",
            **_date_fields("log_on", an_hour_ago.date()),
            "log_time": an_hour_ago.strftime("%H:%M"),
        },
        form_page=page,
    )

    assert response.status_code == 302
    assert response.location == page
    html = client.get(page).get_data(as_text=True)
    assert "Follow-up marked as done and the interaction logged" in html
    assert "Done" in html
    assert "Logged as a call" in html
    assert "Mark as done</h2>" not in html
    done = _stored(database, follow_up_id)
    assert done.status is FollowUpStatus.DONE
    timeline = client.get(f"/contacts/{done.contact_id}").get_data(as_text=True)
    assert "Talked them through the form" in timeline


def test_completing_with_a_note_but_no_kind_asks_for_the_kind(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"

    response = officers.post_form(
        f"{page}/complete",
        {"log_kind": "", "log_note": "A note", "log_time": "", "log_on": ["", "", ""]},
        form_page=page,
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "Choose how it was done to log the note" in html
    assert _stored(database, follow_up_id).status is FollowUpStatus.OPEN


def test_a_follow_up_done_twice_says_someone_already_did_it(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"
    token = csrf_token_from(client.get(page))

    client.post(f"{page}/complete", data={"csrf_token": token})
    again = client.post(f"{page}/complete", data={"csrf_token": token})

    assert again.status_code == 302
    assert "already been marked as done" in client.get(page).get_data(as_text=True)


def test_snoozing_to_a_preset_or_a_date(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"
    today = london_today()

    officers.post_form(f"{page}/snooze", {"when": "tomorrow"}, form_page=page)
    assert _stored(database, follow_up_id).due_on == today + timedelta(days=1)

    later = today + timedelta(days=20)
    response = officers.post_form(
        f"{page}/snooze", {"when": "date", **_date_fields("until", later)}, form_page=page
    )

    assert response.location == page
    stored = _stored(database, follow_up_id)
    assert (stored.due_on, stored.snooze_count) == (later, 2)
    html = client.get(page).get_data(as_text=True)
    assert f"Follow-up snoozed until {later.day} {later:%B %Y}" in html
    assert "2 times" in html


def test_snoozing_to_a_date_needs_a_future_date(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"

    missing = officers.post_form(
        f"{page}/snooze", {"when": "date", "until": ["", "", ""]}, form_page=page
    )
    past = officers.post_form(
        f"{page}/snooze",
        {"when": "date", **_date_fields("until", london_today() - timedelta(days=3))},
        form_page=page,
    )
    nothing = officers.post_form(f"{page}/snooze", {}, form_page=page)

    assert "Enter the date it should come back" in missing.get_data(as_text=True)
    assert 'href="#until"' in missing.get_data(as_text=True)
    assert "The new date must be in the future" in past.get_data(as_text=True)
    assert "Choose when it should come back" in nothing.get_data(as_text=True)
    assert _stored(database, follow_up_id).snooze_count == 0


def test_dismissing_needs_a_reason(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"

    empty = officers.post_form(f"{page}/dismiss", {"reason": ""}, form_page=page)
    assert "Enter why you are dismissing this follow-up" in empty.get_data(as_text=True)
    officers.post_form(f"{page}/dismiss", {"reason": "The event was cancelled"}, form_page=page)

    html = client.get(page).get_data(as_text=True)
    assert "Dismissed" in html
    assert "The event was cancelled" in html
    assert _stored(database, follow_up_id).status is FollowUpStatus.DISMISSED


def test_an_officer_passes_on_their_own_but_not_a_colleagues(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        colleague = factories.officer(session, email="jo@council.example", name="Jo Colleague").id
    mine = _follow_up(database)
    theirs = _follow_up(database, assignee_email="jo@council.example")

    assert "Reassign</h2>" not in client.get(f"/follow-ups/{theirs}").get_data(as_text=True)
    refused = officers.post_form(
        f"/follow-ups/{theirs}/reassign", {"assignee_id": colleague}, form_page="/"
    )
    response = officers.post_form(
        f"/follow-ups/{mine}/reassign",
        {"assignee_id": colleague},
        form_page=f"/follow-ups/{mine}",
    )

    assert refused.status_code == 403
    assert response.status_code == 302
    assert _stored(database, mine).assignee_id == colleague
    assert "Follow-up reassigned" in client.get(response.location).get_data(as_text=True)


def test_a_team_lead_reassigns_from_the_team_list(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        north = Team(name="North")
        session.add(north)
        session.flush()
        lead = factories.officer(
            session, email="lead@council.example", name="Lee Lead", role=OfficerRole.TEAM_LEAD
        )
        sam = factories.officer(session, email="sam@council.example", name="Sam Officer")
        jo = factories.officer(session, email="jo@council.example", name="Jo Officer")
        outsider = factories.officer(session, email="out@council.example", name="Out Sider")
        for officer in (lead, sam, jo):
            officer.team_id = north.id
        jo_id = jo.id
    follow_up_id = _follow_up(database, assignee_email="sam@council.example")
    _follow_up(database, assignee_email="out@council.example", note="Not the team's")
    officers.sign_in("lead@council.example")

    html = client.get("/follow-ups/team").get_data(as_text=True)
    assert "Send the grant guidance" in html
    assert "Not the team&#39;s" not in html
    assert f'<option value="{jo_id}">Jo Officer</option>' in html
    assert outsider.name not in html
    response = officers.post_form(
        f"/follow-ups/{follow_up_id}/reassign",
        {"assignee_id": jo_id, "next": "/follow-ups/team"},
        form_page="/follow-ups/team",
    )

    assert response.location == "/follow-ups/team"
    assert _stored(database, follow_up_id).assignee_id == jo_id


def test_a_list_action_never_redirects_off_the_site(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)

    response = officers.post_form(
        f"/follow-ups/{follow_up_id}/complete",
        {"next": "https://evil.example/"},
        form_page="/",
    )

    assert response.location == "/"


def test_an_action_without_a_csrf_token_is_refused(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)

    response = client.post(f"/follow-ups/{follow_up_id}/complete")

    assert response.status_code == 400
    assert _stored(database, follow_up_id).status is FollowUpStatus.OPEN


def test_a_hidden_follow_up_is_not_found(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        owner = factories.officer(session, email="olive@council.example")
        private = factories.person(session, "Jo Private")
        private.is_restricted = True
        private.owner_id = owner.id
        follow_up_id = factories.follow_up(
            session, private, due_on=london_today(), assignee=owner
        ).id
    officers.signed_in()
    token = csrf_token_from(client.get("/"))

    assert client.get(f"/follow-ups/{follow_up_id}").status_code == 404
    assert (
        client.post(
            f"/follow-ups/{follow_up_id}/dismiss", data={"csrf_token": token, "reason": "x"}
        ).status_code
        == 404
    )


def test_every_action_is_in_the_audit_log(client, officers, database) -> None:
    officers.signed_in()
    follow_up_id = _follow_up(database)
    page = f"/follow-ups/{follow_up_id}"

    officers.post_form(f"{page}/snooze", {"when": "next_week"}, form_page=page)
    officers.post_form(f"{page}/complete", {}, form_page=page)

    with unit_of_work(database.session_factory) as session:
        summaries = session.scalars(
            select(AuditEvent.summary)
            .where(AuditEvent.subject_type == "follow_up", AuditEvent.subject_id == follow_up_id)
            .order_by(AuditEvent.id)
        ).all()
    assert summaries[0].startswith("Snoozed a follow-up for Brackenford Mind until")
    assert summaries[1] == "Completed a follow-up for Brackenford Mind"


# Adding a follow-up


def test_adding_a_follow_up_from_a_contact_page(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        owner = factories.officer(session, email="priya@council.example", name="Priya Owner")
        group = factories.organisation(session, "Saltings Lunch Club", owner_id=owner.id)
        group_id, owner_id = group.id, owner.id

    contact_page = client.get(f"/contacts/{group_id}").get_data(as_text=True)
    assert f'href="/follow-ups/new?contact={group_id}"' in contact_page
    form = client.get(f"/follow-ups/new?contact={group_id}").get_data(as_text=True)
    assert f'<option value="{group_id}" selected' in form
    due = london_today() + timedelta(days=3)
    response = officers.post_form(
        f"/follow-ups/new?contact={group_id}",
        {
            "contact_id": group_id,
            "note": "Ask about the winter menu",
            **_date_fields("due_on", due),
        },
    )

    assert response.status_code == 302
    assert response.location == f"/contacts/{group_id}"
    assert "Follow-up added" in client.get(response.location).get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert (follow_up.note, follow_up.due_on) == ("Ask about the winter menu", due)
        assert follow_up.assignee_id == owner_id


def test_adding_a_follow_up_shows_what_is_missing(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session, "Saltings Lunch Club").id

    response = officers.post_form(
        "/follow-ups/new",
        {
            "contact_id": group_id,
            "note": "",
            **_date_fields("due_on", london_today() - timedelta(days=1)),
        },
    )

    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert "Enter what needs doing" in html
    assert "The date must be today or in the future" in html
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(FollowUp)).all() == []


def test_adding_a_follow_up_from_a_logged_interaction(client, officers, database) -> None:
    me = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club")
        chair = factories.person(session, "Ada Chair")
        coffee = factories.logged_interaction(
            session, [group, chair], when=utc_now() - timedelta(days=1), note="Coffee"
        )
        ids = (group.id, chair.id, coffee.id)
    group_id, chair_id, coffee_id = ids

    timeline = client.get(f"/contacts/{group_id}").get_data(as_text=True)
    assert f"/follow-ups/new?interaction={coffee_id}" in timeline
    form = client.get(f"/follow-ups/new?interaction={coffee_id}").get_data(as_text=True)
    assert "From a coffee logged" in form
    assert "Ada Chair" in form and "Saltings Lunch Club" in form
    response = officers.post_form(
        f"/follow-ups/new?interaction={coffee_id}",
        {
            "contact_id": chair_id,
            "note": "Send Ada the minutes",
            **_date_fields("due_on", london_today()),
        },
    )

    assert response.location == f"/contacts/{chair_id}"
    with unit_of_work(database.session_factory) as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert (follow_up.interaction_id, follow_up.contact_id) == (coffee_id, chair_id)
        assert follow_up.assignee_id == me.id  # Ada has no owner, so it is mine


def test_adding_a_follow_up_from_a_collected_post(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club")
        stored = store_collected_post(
            session,
            CollectedPost(
                platform=Platform.X,
                external_id="1980000000000000077",
                author_platform_id="9090",
                author_handle="saltingslunch",
                text="We may have to close in January",
                created_at=datetime(2026, 11, 20, tzinfo=UTC),
            ),
            [group.id],
        )
        group_id, post_id = group.id, stored.interaction_id

    post_page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert f"/follow-ups/new?interaction={post_id}" in post_page
    form = client.get(f"/follow-ups/new?interaction={post_id}").get_data(as_text=True)
    assert "From a post by <bdi>@saltingslunch</bdi>" in form
    assert f'<option value="{group_id}" selected' in form
    response = officers.post_form(
        f"/follow-ups/new?interaction={post_id}",
        {
            "contact_id": group_id,
            "note": "Call about the closure",
            **_date_fields("due_on", london_today()),
        },
    )

    assert response.location == f"/posts/{post_id}"
    with unit_of_work(database.session_factory) as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert follow_up.interaction_id == post_id
        assert session.get(Interaction, post_id) is not None
    follow_up_page = client.get(f"/follow-ups/{follow_up.id}").get_data(as_text=True)
    assert "A post by <bdi>@saltingslunch</bdi>" in follow_up_page
