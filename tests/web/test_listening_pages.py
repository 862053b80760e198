"""Admins oversee listening: what is collected and why, runs, budgets, pauses, quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.clock import london_today, utc_now
from crm.database import Database
from crm.models import (
    AuditAction,
    AuditEvent,
    CollectionTarget,
    OfficerRole,
    Organisation,
    OrganisationType,
    Platform,
    QuarantinedItem,
    QuarantineStatus,
    RunStatus,
    TargetKind,
)
from crm.services import collection, targets
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers, csrf_token_from

ADMIN = "admin@council.example"
SECOND_ADMIN = "second.admin@council.example"


@dataclass(frozen=True)
class Listening:
    query_id: int
    mentions_id: int
    organisation_posts_id: int
    personal_id: int
    person_account_id: int
    organisation_account_id: int
    item_id: int


def make_admin(database: Database, email: str = ADMIN, name: str = "Ada Admin") -> int:
    with unit_of_work(database.session_factory) as session:
        return factories.officer(session, email=email, name=name, role=OfficerRole.ADMIN).id


@pytest.fixture
def admin(officers: Officers, database: Database) -> int:
    admin_id = make_admin(database)
    assert officers.sign_in(ADMIN).status_code == 302
    return admin_id


@pytest.fixture
def listening(database: Database, admin: int) -> Listening:
    """One target of each kind, each with a run, and something in quarantine."""
    with unit_of_work(database.session_factory) as session:
        council = factories.organisation(
            session, "Brackenford Council", organisation_type=OrganisationType.PUBLIC_BODY
        )
        council_account = factories.account(session, council, handle="brackenfordcouncil")
        group = factories.organisation(session, "Northgate Youth Hub")
        group_account = factories.account(session, group, handle="northgateyouth")
        person = factories.person(session, "Sam Campaigner")
        person_account = factories.account(session, person, handle="samcampaigns")
        query = targets.create_search_target(
            session,
            name="Flooding in Marshby",
            query='"Marshby flood"',
            purpose="To see where residents report flooding",
            created_by_id=admin,
        )
        mentions = targets.create_account_target(
            session,
            account_id=council_account.id,
            kind=TargetKind.MENTIONS,
            created_by_id=admin,
        )
        posts = targets.create_account_target(
            session,
            account_id=group_account.id,
            kind=TargetKind.ACCOUNT_POSTS,
            created_by_id=admin,
        )
        personal = targets.create_account_target(
            session,
            account_id=person_account.id,
            kind=TargetKind.ACCOUNT_POSTS,
            created_by_id=admin,
            justification="Leads the Marshby flood action group",
            review_on=london_today() + timedelta(days=90),
        )
        for target in (query, mentions, posts):
            run = collection.start_run(
                session, platform=Platform.X, target_id=target.id, name=target.name
            )
            run.pages, run.fetched, run.new, run.duplicates = 2, 150, 12, 138
            collection.finish_run(session, run.id, RunStatus.OK)
        collection.record_heartbeat(session)
        item = collection.quarantine(
            session,
            platform=Platform.X,
            payload='{"data": [{"id": "1", "text": "<script>alert(1)</script>"}]}',
            reason="A post had no author",
            target_id=query.id,
        )
        session.flush()
        return Listening(
            query.id,
            mentions.id,
            posts.id,
            personal.id,
            person_account.id,
            group_account.id,
            item.id,
        )


def post_action(client: FlaskClient, url: str, page: str, data: dict | None = None):
    token = csrf_token_from(client.get(page))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def target_row(database: Database, target_id: int) -> CollectionTarget:
    with unit_of_work(database.session_factory) as session:
        target = session.get(CollectionTarget, target_id)
        assert target is not None
        session.expunge(target)
        return target


def set_cap(client: FlaskClient, value: str):
    # The cap form is one per platform, so its fields carry the platform's prefix.
    token = csrf_token_from(client.get("/listening"))
    return client.post(
        "/listening/sources/x/cap", data={"x-csrf_token": token, "x-monthly_read_cap": value}
    )


def date_fields(name: str, day: date) -> dict[str, list[str]]:
    return {name: [str(day.day), str(day.month), str(day.year)]}


# Seeing it all ---------------------------------------------------------------------------


def test_every_listening_page_renders_for_an_admin(client, listening: Listening) -> None:
    pages = [
        "/listening",
        f"/listening/targets/{listening.query_id}",
        f"/listening/targets/{listening.mentions_id}",
        f"/listening/targets/{listening.organisation_posts_id}",
        f"/listening/targets/{listening.personal_id}",
        "/listening/targets/new-query",
        "/listening/targets/new-account",
        "/listening/quarantine",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
    assert client.get("/listening/targets/99999").status_code == 404


def test_the_status_page_says_what_is_collected_and_why_for_every_target(
    client, listening: Listening
) -> None:
    page = client.get("/listening").get_data(as_text=True)

    assert "Listening query" in page
    assert "&#34;Marshby flood&#34;" in page or "&quot;Marshby flood&quot;" in page
    assert "To see where residents report flooding" in page
    assert "Mentions of the council’s account" in page
    assert "it is one of the council’s own accounts" in page
    assert "Posts by an organisation’s account" in page
    assert "it is an organisation’s official account" in page
    assert "Posts by an individual’s account" in page
    assert "Leads the Marshby flood action group" in page
    assert "Not yet approved by a second admin" in page
    assert "Awaiting approval" in page
    assert "150 read, 12 new" in page
    assert "450 posts" in page  # read this month, across the three runs
    assert "No cap" in page
    assert "The scheduler last ran" in page and "over a day ago" not in page
    assert "1 item that could not be read" in page


def test_a_target_page_lists_its_runs(client, listening: Listening) -> None:
    page = client.get(f"/listening/targets/{listening.query_id}").get_data(as_text=True)
    assert "Flooding in Marshby" in page
    assert "Succeeded" in page
    assert "Posts read" in page and ">150<" in page and ">138<" in page
    assert "Run now" in page and "Stop collecting" in page


def test_the_scheduler_is_reported_late_or_missing(client, admin, database) -> None:
    assert "The scheduler has never run" in client.get("/listening").get_data(as_text=True)

    with unit_of_work(database.session_factory) as session:
        beat = collection.record_heartbeat(session)
        beat.started_at = beat.finished_at = utc_now() - timedelta(days=2)

    assert "over a day ago" in client.get("/listening").get_data(as_text=True)


@pytest.mark.parametrize("role", [OfficerRole.OFFICER, OfficerRole.VIEWER])
def test_officers_and_viewers_are_refused(app: Flask, listening, database, role) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="someone@council.example", role=role)
    someone = app.test_client()
    Officers(someone, database).sign_in("someone@council.example")
    assert someone.get("/contacts/").status_code == 200  # signed in
    for path in ("/listening", f"/listening/targets/{listening.query_id}", "/listening/quarantine"):
        assert someone.get(path).status_code == 403, path
    assert "Listening" not in someone.get("/contacts/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(app: Flask, listening, database) -> None:
    stranger = app.test_client()
    for path in ("/listening", "/listening/quarantine", "/listening/targets/new-query"):
        response = stranger.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/sign-in")
    refused = stranger.post(f"/listening/targets/{listening.query_id}/run")
    assert refused.status_code in (302, 400)
    assert target_row(database, listening.query_id).run_requested_at is None


# Setting up targets ----------------------------------------------------------------------


def test_an_admin_adds_a_listening_query(client, officers, admin, database) -> None:
    response = officers.post_form(
        "/listening/targets/new-query",
        {
            "name": "Library opening hours",
            "query": "Brackenford library hours",
            "purpose": "To hear what residents say about the new hours",
            "interval_minutes": "30",
        },
    )
    assert response.status_code == 302
    target_id = int(response.location.rsplit("/", 1)[1])
    target = target_row(database, target_id)
    assert target.kind is TargetKind.SEARCH
    assert target.purpose == "To hear what residents say about the new hours"
    assert target.interval_minutes == 30
    page = client.get(response.location).get_data(as_text=True)
    assert "Listening for Library opening hours" in page


def test_a_listening_query_needs_a_purpose(client, officers, admin, database) -> None:
    response = officers.post_form(
        "/listening/targets/new-query",
        {"name": "Anything", "query": "brackenford", "purpose": "  ", "interval_minutes": "15"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Say why the council needs to listen for this" in page
    assert 'href="#purpose"' in page
    with unit_of_work(database.session_factory) as session:
        assert session.query(CollectionTarget).count() == 0


def test_a_query_cannot_run_more_often_than_every_five_minutes(client, officers, admin) -> None:
    response = officers.post_form(
        "/listening/targets/new-query",
        {"name": "Fast", "query": "brackenford", "purpose": "Why", "interval_minutes": "1"},
    )
    assert "Collect at most every 5 minutes" in response.get_data(as_text=True)


def test_an_individuals_account_needs_a_second_admin_to_approve_it(
    app: Flask, client, officers, listening: Listening, database
) -> None:
    form = "/listening/targets/new-account"
    missing = officers.post_form(
        form,
        {"account_id": listening.person_account_id, "kind": "mentions", "interval_minutes": "15"},
    )
    # The service's words (the form's hint says much the same with a curly apostrophe).
    assert "Mentions can only be collected for the council&#39;s own official accounts" in (
        missing.get_data(as_text=True)
    )
    # The fixture already collects this person's posts; a new person's account is needed.
    with unit_of_work(database.session_factory) as session:
        person = factories.person(session, "Riley Resident")
        account_id = factories.account(session, person, handle="rileyresident").id
    unjustified = officers.post_form(
        form, {"account_id": account_id, "kind": "account_posts", "interval_minutes": "15"}
    )
    assert "Say why the council needs to collect this individual&#39;s posts" in (
        unjustified.get_data(as_text=True)
    )

    created = officers.post_form(
        form,
        {
            "account_id": account_id,
            "kind": "account_posts",
            "interval_minutes": "60",
            "justification": "Chairs the Marshby residents' forum",
            **date_fields("review_on", london_today() + timedelta(days=30)),
        },
    )
    assert created.status_code == 302
    target_id = int(created.location.rsplit("/", 1)[1])
    target = target_row(database, target_id)
    assert target.is_personal_account and not target.is_active
    target_page = f"/listening/targets/{target_id}"
    assert "Another admin must approve it" in client.get(target_page).get_data(as_text=True)

    own = post_action(client, f"{target_page}/approve", target_page)
    assert own.status_code == 302
    assert "Another officer must approve a target you set up" in (
        client.get(target_page).get_data(as_text=True)
    )
    assert target_row(database, target_id).approved_by_id is None

    second_id = make_admin(database, SECOND_ADMIN, "Bo Second")
    second = app.test_client()
    Officers(second, database).sign_in(SECOND_ADMIN)
    post_action(second, f"{target_page}/approve", target_page)
    approved = target_row(database, target_id)
    assert approved.approved_by_id == second_id
    assert approved.is_active
    page = second.get(target_page).get_data(as_text=True)
    assert "Approved: Posts by @rileyresident" in page
    assert "Bo Second on" in page


def test_the_same_account_is_not_collected_twice(officers, listening: Listening) -> None:
    response = officers.post_form(
        "/listening/targets/new-account",
        {
            "account_id": listening.organisation_account_id,
            "kind": "account_posts",
            "interval_minutes": "15",
        },
    )
    assert "This is already collected: Posts by @northgateyouth" in (
        response.get_data(as_text=True)
    )


def test_the_account_list_names_each_contact(client, listening: Listening) -> None:
    page = client.get("/listening/targets/new-account").get_data(as_text=True)
    assert "Northgate Youth Hub: @northgateyouth on X (official)" in page
    assert "Sam Campaigner: @samcampaigns on X" in page


# Running, stopping, budgets ----------------------------------------------------------------


def test_run_now_asks_the_scheduler(client, listening: Listening, database) -> None:
    page = f"/listening/targets/{listening.query_id}"
    response = post_action(client, f"{page}/run", page)
    assert response.status_code == 302
    assert target_row(database, listening.query_id).run_requested_at is not None
    assert "will run within a minute" in client.get(page).get_data(as_text=True)
    assert "Within a minute" in client.get("/listening").get_data(as_text=True)


def test_stopping_and_resuming_a_target(client, listening: Listening, database) -> None:
    page = f"/listening/targets/{listening.organisation_posts_id}"
    post_action(client, f"{page}/stop", page)
    assert target_row(database, listening.organisation_posts_id).is_active is False
    stopped = client.get(page).get_data(as_text=True)
    assert "Stopped collecting Posts by @northgateyouth" in stopped
    assert "Resume collecting" in stopped and "Run now" not in stopped

    post_action(client, f"{page}/resume", page)
    assert target_row(database, listening.organisation_posts_id).is_active is True


def test_an_unapproved_account_cannot_be_resumed(client, listening: Listening, database) -> None:
    page = f"/listening/targets/{listening.personal_id}"
    post_action(client, f"{page}/resume", page)
    assert target_row(database, listening.personal_id).is_active is False
    assert "needs approval" in client.get(page).get_data(as_text=True)


def test_setting_and_clearing_the_monthly_cap(client, listening, database) -> None:
    response = set_cap(client, "10,000")
    assert response.status_code == 302
    page = client.get("/listening").get_data(as_text=True)
    assert "Weaver will read at most 10,000 posts a month from X" in page
    assert "10,000 posts (9,550 left)" in page

    set_cap(client, "")
    with unit_of_work(database.session_factory) as session:
        assert collection.source_state(session, Platform.X).monthly_read_cap is None

    wrong = set_cap(client, "lots")
    assert wrong.status_code == 200
    assert "Enter the cap as a whole number" in wrong.get_data(as_text=True)
    assert post_action(client, "/listening/sources/mastodon/cap", "/listening").status_code == 404


def test_a_paused_platform_warns_every_admin_page_until_resumed(
    app: Flask, client, listening, database
) -> None:
    with unit_of_work(database.session_factory) as session:
        collection.pause_source(
            session, Platform.X, until=None, reason="X refused the council's credentials"
        )
    assert "has stopped and needs an admin" in client.get("/contacts/").get_data(as_text=True)
    status = client.get("/listening").get_data(as_text=True)
    assert "Collection from X is paused: X refused the council&#39;s credentials" in status
    assert "has stopped and needs an admin" not in status  # said in full here instead

    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="officer@council.example")
    colleague = app.test_client()
    Officers(colleague, database).sign_in("officer@council.example")
    assert "needs an admin" not in colleague.get("/contacts/").get_data(as_text=True)

    post_action(client, "/listening/sources/x/resume", "/listening")
    with unit_of_work(database.session_factory) as session:
        state = collection.source_state(session, Platform.X)
        assert state.needs_attention is False and state.pause_reason is None
    assert "needs an admin" not in client.get("/contacts/").get_data(as_text=True)


# Quarantine -------------------------------------------------------------------------------


def quarantine_status(database: Database, item_id: int) -> QuarantineStatus:
    with unit_of_work(database.session_factory) as session:
        item = session.get(QuarantinedItem, item_id)
        assert item is not None
        return item.status


def test_retrying_and_dismissing_quarantined_items(
    client, listening: Listening, database, admin
) -> None:
    page = "/listening/quarantine"
    post_action(client, f"/listening/quarantine/{listening.item_id}/retry", page)
    assert quarantine_status(database, listening.item_id) is QuarantineStatus.RETRY_REQUESTED
    assert "Retry requested" in client.get(page).get_data(as_text=True)

    post_action(client, f"/listening/quarantine/{listening.item_id}/dismiss", page)
    assert quarantine_status(database, listening.item_id) is QuarantineStatus.DISMISSED
    with unit_of_work(database.session_factory) as session:
        assert session.get(QuarantinedItem, listening.item_id).resolved_by_id == admin
    assert "Nothing is waiting" in client.get(page).get_data(as_text=True)

    again = post_action(client, f"/listening/quarantine/{listening.item_id}/retry", page)
    assert again.status_code == 302
    assert "Nothing waiting in quarantine" in client.get(page).get_data(as_text=True)


def test_quarantined_text_is_shown_inert(client, listening: Listening) -> None:
    page = client.get("/listening/quarantine").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '"data": [' in page.replace("&#34;", '"')  # laid out over lines to read


def test_posts_without_a_token_are_refused(client, listening: Listening, database) -> None:
    response = client.post(f"/listening/targets/{listening.query_id}/run")
    assert response.status_code == 400
    assert target_row(database, listening.query_id).run_requested_at is None


# The contact page -------------------------------------------------------------------------


def test_a_contact_page_says_how_its_accounts_are_collected(
    client, listening: Listening, database
) -> None:
    with unit_of_work(database.session_factory) as session:
        group = session.query(Organisation).filter_by(name="Northgate Youth Hub").one()
        factories.account(session, group, handle="northgatearchive")
        group_id = group.id

    page = client.get(f"/contacts/{group_id}").get_data(as_text=True)
    section = page[page.index(">Listening</h2>") :]
    assert "Posts by an organisation’s account" in section
    assert "Active" in section and "Succeeded" in section
    assert "@northgatearchive</bdi> on X" in section and "Not collected" in section


# The audit log -----------------------------------------------------------------------------


def _events(database, subject_type: str) -> list[AuditEvent]:
    with unit_of_work(database.session_factory) as session:
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.subject_type == subject_type)
                .order_by(AuditEvent.id)
            )
        )
        session.expunge_all()
        return events


def test_setting_the_cap_and_resuming_a_platform_are_audited(
    client, listening: Listening, database, admin
) -> None:
    set_cap(client, "12000")
    with unit_of_work(database.session_factory) as session:
        collection.pause_source(session, Platform.X, until=None, reason="Credentials refused")
    post_action(client, "/listening/sources/x/resume", "/listening")

    events = _events(database, "collection_source")
    assert [(event.officer_id, event.summary) for event in events] == [
        (admin, "Set the monthly read cap for x to 12,000"),
        (None, "Collection from x paused: Credentials refused"),
        (admin, "Collection from x resumed"),
    ]
    assert events[0].before == {"monthly_read_cap": None}
    assert events[0].after == {"monthly_read_cap": 12000}
    assert all(event.action is AuditAction.CHANGED for event in events)


def test_asking_for_a_run_now_is_audited(client, listening: Listening, database, admin) -> None:
    page = f"/listening/targets/{listening.query_id}"
    post_action(client, f"{page}/run", page)

    events = _events(database, "collection_target")
    assert (events[-1].officer_id, events[-1].summary) == (
        admin,
        "Asked for a run of Flooding in Marshby now",
    )


def test_quarantine_decisions_are_audited(client, listening: Listening, database, admin) -> None:
    page = "/listening/quarantine"
    post_action(client, f"/listening/quarantine/{listening.item_id}/retry", page)
    with unit_of_work(database.session_factory) as session:
        # The scheduler's own retry leaves no audit entry: it is recorded on the item.
        collection.resolve_quarantined(
            session, listening.item_id, QuarantineStatus.WAITING, officer_id=None
        )
    post_action(client, f"/listening/quarantine/{listening.item_id}/dismiss", page)

    events = _events(database, "quarantined_item")
    assert [(event.officer_id, event.after) for event in events] == [
        (admin, {"status": "retry_requested"}),
        (admin, {"status": "dismissed"}),
    ]
