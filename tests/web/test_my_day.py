"""My day: the home page. Follow-ups by when they are due with buttons to deal with them,
who is going cold, what was escalated, the team's day for leads, and when reminders ran."""

from __future__ import annotations

import re
from datetime import timedelta

from crm.clock import london_today, utc_now
from crm.models import (
    CadenceTier,
    FollowUp,
    FollowUpStatus,
    OfficerRole,
    ReminderRun,
    ReminderRunStatus,
    Suggestion,
    SuggestionKind,
    Team,
)
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import csrf_token_from


def section(html: str, heading_id: str) -> str:
    """The part of the page from one section's heading to the next heading."""
    start = html.index(f'id="{heading_id}"')
    following = re.search(r"<h2 ", html[start:])
    return html[start : start + following.start()] if following else html[start:]


def add_follow_ups(database, email: str = "officer@council.example") -> dict[str, int]:
    today = london_today()
    with unit_of_work(database.session_factory) as session:
        me = officer_by_email(session, email)
        group = factories.organisation(session, "Brackenford Mind")
        made = {}
        for note, offset in (
            ("Chase the lease", -2),
            ("Ring the chair", 0),
            ("Send the minutes", 3),
            ("Plan the spring fair", 10),
        ):
            made[note] = factories.follow_up(
                session, group, due_on=today + timedelta(days=offset), assignee=me, note=note
            ).id
        return made


def test_my_day_sorts_my_follow_ups_by_when_they_are_due(client, officers, database) -> None:
    officers.signed_in()
    add_follow_ups(database)
    with unit_of_work(database.session_factory) as session:
        colleague = factories.officer(session, email="jo@council.example")
        factories.follow_up(
            session,
            factories.organisation(session, "Other Group"),
            due_on=london_today(),
            assignee=colleague,
            note="Jo's job",
        )

    html = client.get("/").get_data(as_text=True)

    assert "<title>My day" in html
    assert "Chase the lease" in section(html, "overdue")
    assert "Ring the chair" in section(html, "due-today")
    assert "Send the minutes" in section(html, "due-this-week")
    assert "Plan the spring fair" not in html
    assert "Jo&#39;s job" not in html
    assert "1 overdue follow-up, 1 due today and 1 later this week" in html


def test_marking_done_straight_from_my_day(client, officers, database) -> None:
    officers.signed_in()
    made = add_follow_ups(database)
    token = csrf_token_from(client.get("/"))

    response = client.post(
        f"/follow-ups/{made['Chase the lease']}/complete",
        data={"csrf_token": token, "next": "/", "when": "tomorrow"},
    )

    assert response.status_code == 302
    assert response.location == "/"
    html = client.get("/").get_data(as_text=True)
    assert "Follow-up marked as done" in html
    assert "Chase the lease" not in html
    with unit_of_work(database.session_factory) as session:
        assert session.get(FollowUp, made["Chase the lease"]).status is FollowUpStatus.DONE


def test_snoozing_straight_from_my_day(client, officers, database) -> None:
    officers.signed_in()
    made = add_follow_ups(database)
    html = client.get("/").get_data(as_text=True)
    overdue = section(html, "overdue")
    assert f'formaction="/follow-ups/{made["Chase the lease"]}/snooze"' in overdue
    assert "In 2 weeks (" in overdue

    response = client.post(
        f"/follow-ups/{made['Chase the lease']}/snooze",
        data={"csrf_token": csrf_token_from(client.get("/")), "next": "/", "when": "two_weeks"},
    )

    assert response.location == "/"
    html = client.get("/").get_data(as_text=True)
    assert "Chase the lease" not in section(html, "overdue")
    with unit_of_work(database.session_factory) as session:
        snoozed = session.get(FollowUp, made["Chase the lease"])
        assert snoozed.due_on == london_today() + timedelta(days=14)
        assert snoozed.snooze_count == 1


def test_a_viewer_sees_their_day_without_buttons(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="viewer@council.example", role=OfficerRole.VIEWER)
    officers.sign_in("viewer@council.example")
    add_follow_ups(database, email="viewer@council.example")

    html = client.get("/").get_data(as_text=True)

    assert "Chase the lease" in html
    assert "Mark as done" not in html


def test_a_team_lead_switches_to_the_teams_day(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        north = Team(name="North")
        session.add(north)
        session.flush()
        lead = factories.officer(
            session, email="lead@council.example", name="Lee Lead", role=OfficerRole.TEAM_LEAD
        )
        sam = factories.officer(session, email="sam@council.example", name="Sam Officer")
        lead.team_id = sam.team_id = north.id
        factories.follow_up(
            session,
            factories.organisation(session, "Brackenford Mind"),
            due_on=london_today(),
            assignee=sam,
            note="Sam's call",
        )
    officers.sign_in("lead@council.example")

    own = client.get("/").get_data(as_text=True)
    team = client.get("/?view=team").get_data(as_text=True)

    assert "Show your team’s day" in own
    assert "Sam&#39;s call" not in own
    assert "<title>Your team’s day" in team
    assert "Sam&#39;s call" in section(team, "due-today")
    assert "Sam Officer" in section(team, "due-today")


def test_an_officer_cannot_see_someone_elses_day(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        factories.follow_up(
            session,
            factories.organisation(session, "Brackenford Mind"),
            due_on=london_today(),
            assignee=factories.officer(session),
            note="Not mine",
        )

    html = client.get("/?view=team").get_data(as_text=True)

    assert "Show your team’s day" not in html
    assert "Not mine" not in html


def test_follow_ups_escalated_to_a_lead_are_on_their_day(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        lead = factories.officer(session, email="lead@council.example", role=OfficerRole.TEAM_LEAD)
        gone = factories.officer(session, name="Gone Officer")
        gone.is_active = False
        item = factories.follow_up(
            session,
            factories.organisation(session, "Brackenford Mind"),
            due_on=london_today() - timedelta(days=20),
            assignee=gone,
            note="Left behind",
        )
        item.escalated_to_id = lead.id
        item.escalated_at = utc_now()
    officers.sign_in("lead@council.example")

    html = client.get("/").get_data(as_text=True)

    escalated = section(html, "escalated")
    assert "Escalated to you (1)" in escalated
    assert "Left behind" in escalated
    assert "Gone Officer" in escalated


def test_contacts_going_cold_are_on_my_day(client, officers, database) -> None:
    me = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        tier = CadenceTier(name="Strategic partner", days=30)
        session.add(tier)
        session.flush()
        factories.organisation(
            session,
            "Quiet Partners",
            owner_id=me.id,
            cadence_tier_id=tier.id,
            created_at=utc_now() - timedelta(days=50),
        )
        factories.organisation(
            session,
            "Someone Else's",
            owner_id=factories.officer(session).id,
            cadence_tier_id=tier.id,
            created_at=utc_now() - timedelta(days=50),
        )

    going_cold = section(client.get("/").get_data(as_text=True), "going-cold")

    assert "Going cold (1)" in going_cold
    assert "Quiet Partners" in going_cold
    assert "20 days overdue" in going_cold
    assert "Never touched since it was added" in going_cold
    assert "Someone Else" not in going_cold


def test_the_footer_says_when_reminders_last_ran_and_what_they_sent(
    client, officers, database
) -> None:
    officers.signed_in()
    assert "Reminders have not run yet" in client.get("/").get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        session.add(
            ReminderRun(
                started_at=utc_now() - timedelta(minutes=5),
                finished_at=utc_now() - timedelta(minutes=4),
                status=ReminderRunStatus.OK,
                digests_sent=3,
                suggestions_made=1,
                escalations=0,
            )
        )

    html = client.get("/").get_data(as_text=True)

    footer = html[html.index('id="reminders-ran"') :]
    assert "Reminders last ran on " in footer
    assert "and sent 3 digests, made 1 suggestion and escalated 0 follow-ups" in footer


def test_suggestions_waiting_are_on_my_day_with_why(client, officers, database) -> None:
    me = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Saltings Lunch Club", owner_id=me.id)
        post = factories.logged_interaction(session, [group], when=utc_now(), note="x")
        session.add(
            Suggestion(
                kind=SuggestionKind.NEGATIVE_MENTION,
                interaction_id=post.id,
                contact_id=group.id,
                assignee_id=me.id,
                reason="A negative post that mentions the council's account",
            )
        )

    suggestions = section(client.get("/").get_data(as_text=True), "suggestions")

    assert "Suggestions waiting (1)" in suggestions
    assert "Saltings Lunch Club" in suggestions
    assert "a negative post to the council" in suggestions
    assert "A negative post that mentions the council&#39;s account" in suggestions
    assert 'href="/suggestions/"' in suggestions
