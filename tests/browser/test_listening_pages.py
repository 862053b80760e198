"""The listening pages in the browser: axe-core and reflow at 320 CSS pixels, and an admin
asking for a run with the keyboard alone."""

from __future__ import annotations

import json
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Page, expect

from crm.clock import london_today
from crm.database import Database
from crm.models import OfficerRole, OrganisationType, Platform, RunStatus, TargetKind
from crm.services import collection, targets
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.actors import KeyboardOfficer
from tests.browser.conftest import check_accessibility, has_no_horizontal_scroll
from tests.browser.test_account_pages import sign_in, visit_and_check

ADMIN = "admin@council.example"


@pytest.fixture
def listening(database: Database) -> dict[str, int]:
    with unit_of_work(database.session_factory) as session:
        admin = factories.officer(session, email=ADMIN, name="Ada Admin", role=OfficerRole.ADMIN)
        council = factories.organisation(
            session, "Brackenford Council", organisation_type=OrganisationType.PUBLIC_BODY
        )
        council_account = factories.account(session, council, handle="brackenfordcouncil")
        person_account = factories.account(
            session, factories.person(session, "Sam Campaigner"), handle="samcampaigns"
        )
        query = targets.create_search_target(
            session,
            name="Flooding in Marshby",
            query='"Marshby flood" OR #MarshbyFloods OR "Brackenford flood warning"',
            purpose="To see where residents report flooding, so crews go where needed",
            created_by_id=admin.id,
        )
        targets.create_account_target(
            session, account_id=council_account.id, kind=TargetKind.MENTIONS, created_by_id=admin.id
        )
        personal = targets.create_account_target(
            session,
            account_id=person_account.id,
            kind=TargetKind.ACCOUNT_POSTS,
            created_by_id=admin.id,
            justification="Leads the Marshby flood action group",
            review_on=london_today() + timedelta(days=90),
        )
        for status, error in [(RunStatus.OK, None), (RunStatus.FAILED, "X answered 503")]:
            run = collection.start_run(
                session, platform=Platform.X, target_id=query.id, name=query.name
            )
            run.pages, run.fetched, run.new, run.duplicates = 3, 250, 40, 210
            collection.finish_run(session, run.id, status, error)
        collection.record_heartbeat(session)
        collection.set_monthly_cap(session, Platform.X, 10_000, officer_id=None)
        # One long line, as platforms send it: it must scroll in its box, not the page.
        payload = json.dumps({"data": [{"id": "1" * 40, "text": "word " * 200}]})
        collection.quarantine(
            session, platform=Platform.X, payload=payload, reason="A post had no author"
        )
        collection.quarantine(
            session, platform=Platform.X, payload="not json {" * 50, reason="Unreadable page"
        )
        session.flush()
        return {"query": query.id, "personal": personal.id}


def test_listening_pages_are_accessible_and_reflow(
    page: Page, live_server: str, database: Database, listening: dict[str, int]
) -> None:
    sign_in(page, live_server, ADMIN, database)
    visit_and_check(
        page,
        live_server,
        [
            "/listening",
            f"/listening/targets/{listening['query']}",
            "/listening/quarantine",
            "/listening/targets/new-query",
            "/listening/targets/new-account",
        ],
    )
    with unit_of_work(database.session_factory) as session:
        collection.pause_source(
            session,
            Platform.X,
            until=None,
            reason="X refused the council's credentials: renew them in the developer portal",
        )
    # The warning on the status page, and the banner every other admin page then shows.
    visit_and_check(
        page,
        live_server,
        ["/listening", f"/listening/targets/{listening['personal']}", "/contacts/"],
    )
    expect(page.get_by_text("has stopped and needs an admin")).to_be_visible()
    page.goto(live_server + "/listening/targets/new-query")
    page.get_by_role("button", name="Start listening").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_page_at_320(page)


def check_page_at_320(page: Page) -> None:
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert has_no_horizontal_scroll(page), page.url
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_asks_for_a_run_with_the_keyboard_alone(
    page: Page, live_server: str, database: Database, listening: dict[str, int]
) -> None:
    admin = KeyboardOfficer(page, live_server)
    admin.open("/")
    admin.type_into(page.get_by_label("Email address"), ADMIN)
    admin.type_into(page.get_by_label("Password", exact=True), factories.PASSWORD)
    admin.submit(page.get_by_role("button", name="Sign in"))
    with unit_of_work(database.session_factory) as session:
        secret = officer_by_email(session, ADMIN).totp_secret
    admin.type_into(page.get_by_label("Code from your authenticator app"), pyotp.TOTP(secret).now())
    admin.submit(page.get_by_role("button", name="Continue"))

    admin.follow(page.get_by_role("link", name="Listening", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Listening")
    admin.follow(page.get_by_role("link", name="Flooding in Marshby"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Flooding in Marshby")
    admin.submit(page.get_by_role("button", name="Run now"))

    expect(page.get_by_text("Flooding in Marshby will run within a minute")).to_be_visible()
    expect(page.get_by_text("Within a minute", exact=True)).to_be_visible()
