"""Suggested follow-ups, the going-cold list and the cadence tiers, through the web client."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.clock import london_today, utc_now
from crm.models import (
    CadenceTier,
    FollowUp,
    OfficerRole,
    Organisation,
    Suggestion,
    SuggestionStatus,
    Team,
)
from crm.services.officers import officer_by_email
from crm.services.suggestions import suggest_follow_ups
from crm.unit_of_work import unit_of_work
from crm.working_days import working_days_after
from tests import factories
from tests.crm.listening_world import listening_world
from tests.web.conftest import Officers, csrf_token_from

EMAIL = "officer@council.example"
ANGRY = "This is terrible <script>alert(1)</script>, the worst bin service ever @riversidecouncil"


def an_angry_post(database, *, owned_by: str | None = EMAIL) -> int:
    """A negative post to the council from a contact (owned by `owned_by`), suggested."""
    with unit_of_work(database.session_factory) as session:
        world = listening_world(session)
        if owned_by:
            world.owner = officer_by_email(session, owned_by)
        hub = world.organisation("Northgate Youth Hub", created_at=utc_now())
        world.post(
            world.account_of(hub, "northgateyouth"),
            ANGRY,
            at=utc_now() - timedelta(hours=1),
            mentions=(world.council_account,),
        )
        assert suggest_follow_ups(session, now=utc_now()) == 1
        return session.scalars(select(Suggestion.id)).one()


def suggestion(database, suggestion_id: int) -> Suggestion:
    with unit_of_work(database.session_factory) as session:
        return session.get_one(Suggestion, suggestion_id)


def test_the_suggestions_page_shows_the_post_inert_and_why(client, officers: Officers, database):
    officers.signed_in()
    an_angry_post(database)

    page = client.get("/suggestions/").get_data(as_text=True)

    assert "Negative post to the council" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "Why am I seeing this?" in page
    assert "Northgate Youth Hub (@northgateyouth) posted something negative" in page
    assert "Suggestions (1)" in page
    assert "Northgate Youth Hub" in page


def test_accepting_makes_a_follow_up(client, officers: Officers, database) -> None:
    officers.signed_in()
    suggestion_id = an_angry_post(database)
    due = working_days_after(london_today(), 3)
    prefix = f"suggestion-{suggestion_id}-"

    response = officers.post_form(
        f"/suggestions/{suggestion_id}/accept",
        {
            f"{prefix}due_on": [str(due.day), str(due.month), str(due.year)],
            f"{prefix}note": "Ring the hub",
        },
        form_page="/suggestions/",
    )

    assert response.status_code == 302
    assert response.location == "/suggestions/"
    accepted = suggestion(database, suggestion_id)
    assert accepted.status is SuggestionStatus.ACCEPTED
    with unit_of_work(database.session_factory) as session:
        follow_up = session.get_one(FollowUp, accepted.follow_up_id)
        assert (follow_up.due_on, follow_up.note) == (due, "Ring the hub")
    page = client.get("/suggestions/").get_data(as_text=True)
    assert "Follow-up added for Northgate Youth Hub" in page
    assert "There are no suggestions waiting" in page


def test_accepting_without_a_date_shows_the_error_beside_the_item(
    client, officers: Officers, database
) -> None:
    officers.signed_in()
    suggestion_id = an_angry_post(database)
    prefix = f"suggestion-{suggestion_id}-"

    response = officers.post_form(
        f"/suggestions/{suggestion_id}/accept",
        {f"{prefix}due_on": ["", "", ""], f"{prefix}note": ""},
        form_page="/suggestions/",
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the date to follow up by" in page
    assert f'href="#{prefix}due_on"' in page
    assert suggestion(database, suggestion_id).status is SuggestionStatus.WAITING

    yesterday = london_today() - timedelta(days=1)
    past = officers.post_form(
        f"/suggestions/{suggestion_id}/accept",
        {f"{prefix}due_on": [str(yesterday.day), str(yesterday.month), str(yesterday.year)]},
        form_page="/suggestions/",
    )
    assert "must be today or in the future" in past.get_data(as_text=True)


def test_dismissing_needs_a_reason_and_then_it_is_gone(
    client, officers: Officers, database
) -> None:
    officers.signed_in()
    suggestion_id = an_angry_post(database)
    prefix = f"suggestion-{suggestion_id}-"
    url = f"/suggestions/{suggestion_id}/dismiss"

    empty = officers.post_form(url, {f"{prefix}reason": " "}, form_page="/suggestions/")
    assert "Say why you are dismissing it" in empty.get_data(as_text=True)

    done = officers.post_form(url, {f"{prefix}reason": "Spoke to them"}, form_page="/suggestions/")
    assert done.status_code == 302
    dismissed = suggestion(database, suggestion_id)
    assert (dismissed.status, dismissed.dismissed_reason) == (
        SuggestionStatus.DISMISSED,
        "Spoke to them",
    )
    again = officers.post_form(url, {f"{prefix}reason": "Twice"}, form_page="/suggestions/")
    assert again.status_code == 302
    assert "already accepted or dismissed" in client.get("/suggestions/").get_data(as_text=True)


def test_others_suggestions_show_only_when_asked_for_everyone(
    client, officers: Officers, database
) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="colleague@council.example")
    an_angry_post(database, owned_by="colleague@council.example")

    assert "There are no suggestions waiting" in client.get("/suggestions/").get_data(as_text=True)
    everyone = client.get("/suggestions/?who=everyone").get_data(as_text=True)
    assert "Northgate Youth Hub" in everyone


def test_a_viewer_sees_suggestions_but_no_forms(client, officers: Officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="viewer@council.example", role=OfficerRole.VIEWER)
    officers.sign_in("viewer@council.example")
    an_angry_post(database, owned_by=None)

    page = client.get("/suggestions/?who=everyone").get_data(as_text=True)
    assert "Northgate Youth Hub" in page
    assert "Accept<span" not in page
    token = csrf_token_from(client.get("/suggestions/"))
    assert client.post("/suggestions/1/dismiss", data={"csrf_token": token}).status_code == 403


def test_going_cold_lists_who_how_overdue_and_the_last_touch(
    client, officers: Officers, database
) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        me = officer_by_email(session, EMAIL)
        tier = CadenceTier(name="Monthly for the web test", days=30)
        session.add(tier)
        session.flush()
        mine = factories.organisation(session, "Quiet Hub", owner_id=me.id, cadence_tier_id=tier.id)
        mine.created_at = utc_now() - timedelta(days=100)
        factories.logged_interaction(session, [mine], when=utc_now() - timedelta(days=40))
        theirs = factories.organisation(session, "Someone Else’s Hub", cadence_days=7)
        theirs.created_at = utc_now() - timedelta(days=9)

    page = client.get("/going-cold/").get_data(as_text=True)
    assert "Quiet Hub" in page
    assert "Every 30 days" in page
    assert "Monthly for the web test" in page
    assert "10 days" in page
    assert "Coffee logged" in page
    assert "Someone Else’s Hub" not in page

    everyone = client.get("/going-cold/?who=everyone").get_data(as_text=True)
    assert "Someone Else’s Hub" in everyone
    assert ">Owner</th>" in everyone and ">Owner</th>" not in page
    assert "Never (added" in everyone
    assert everyone.index("Quiet Hub") < everyone.index("Someone Else’s Hub")


def test_an_admin_adds_changes_and_deletes_a_cadence_tier(
    client, officers: Officers, database
) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="admin@council.example", role=OfficerRole.ADMIN)
    officers.sign_in("admin@council.example")

    bad = officers.post_form("/admin/cadence-tiers/", {"name": "Weekly", "days": "0"})
    assert "Enter a number of days from 1 to 3650" in bad.get_data(as_text=True)
    added = officers.post_form("/admin/cadence-tiers/", {"name": "Weekly", "days": "7"})
    assert added.status_code == 302
    with unit_of_work(database.session_factory) as session:
        tier = session.scalars(select(CadenceTier).where(CadenceTier.name == "Weekly")).one()
        session.add(Organisation(name="Uses Weekly", cadence_tier_id=tier.id))
    duplicate = officers.post_form("/admin/cadence-tiers/", {"name": "weekly", "days": "8"})
    assert "There is already a tier called weekly" in duplicate.get_data(as_text=True)

    edit_url = f"/admin/cadence-tiers/{tier.id}"
    assert "1 contact uses this tier" in client.get(edit_url).get_data(as_text=True)
    changed = officers.post_form(edit_url, {"name": "Fortnightly", "days": "14"})
    assert changed.status_code == 302
    listing = client.get("/admin/cadence-tiers/").get_data(as_text=True)
    assert "Fortnightly" in listing
    assert "14 days" in listing

    deleted = officers.post_form(f"{edit_url}/delete", {}, form_page=edit_url)
    assert deleted.status_code == 302
    assert "Tier Fortnightly deleted. 1 contact has no tier now" in client.get(
        "/admin/cadence-tiers/"
    ).get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        assert session.get(CadenceTier, tier.id) is None
        orphan = session.scalars(select(Organisation).where(Organisation.name == "Uses Weekly"))
        assert orphan.one().cadence_tier_id is None


def test_officers_may_not_manage_cadence_tiers(client, officers: Officers) -> None:
    officers.signed_in()
    assert client.get("/admin/cadence-tiers/").status_code == 403
    assert "Cadence tiers" not in client.get("/going-cold/").get_data(as_text=True)


def test_a_team_lead_can_list_their_teams_contacts_going_cold(
    client, officers: Officers, database
) -> None:
    with unit_of_work(database.session_factory) as session:
        team = Team(name="North")
        session.add(team)
        session.flush()
        lead = factories.officer(session, email="lead@council.example", role=OfficerRole.TEAM_LEAD)
        member = factories.officer(session, name="Sam Member")
        outsider = factories.officer(session, name="Lee Elsewhere")
        lead.team_id = member.team_id = team.id
        for owner, name in ((member, "Team Hub"), (outsider, "Other Team Hub")):
            cold = factories.organisation(session, name, owner_id=owner.id, cadence_days=7)
            cold.created_at = utc_now() - timedelta(days=30)
    officers.sign_in("lead@council.example")

    mine = client.get("/going-cold/").get_data(as_text=True)
    teams = client.get("/going-cold/?who=team").get_data(as_text=True)

    assert "Team Hub" not in mine and "Show your team’s" in mine
    assert ">Owner</th>" not in mine
    assert "Showing contacts your team owns." in teams
    assert "Team Hub" in teams and "Other Team Hub" not in teams
    assert ">Owner</th>" in teams and "Sam Member" in teams


def test_an_officer_asking_for_a_team_list_sees_their_own(client, officers: Officers) -> None:
    officers.signed_in()
    page = client.get("/going-cold/?who=team").get_data(as_text=True)
    assert "Showing contacts you own." in page
    assert "Show your team’s" not in page
