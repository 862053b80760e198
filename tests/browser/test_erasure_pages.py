"""Information governance answers an erasure request in the browser, every page checked with
axe-core and for reflow at 320 CSS pixels."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from crm.clock import london_today
from crm.database import Database
from crm.models import OfficerRole
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.test_account_pages import sign_in, visit_and_check


def test_information_governance_erases_a_person(
    page: Page, live_server: str, database: Database
) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(
            session,
            email="ig@council.example",
            name="Ida Governance",
            role=OfficerRole.INFORMATION_GOVERNANCE,
        )
        factories.person(session, "Jo Private")
    sign_in(page, live_server, "ig@council.example", database)

    page.get_by_role("link", name="Erasure requests").click()
    visit_and_check(page, live_server, ["/erasure/", "/erasure/new?q=jo"])
    page.get_by_role("link", name="Jo Private").click()
    visit_and_check(page, live_server, [page.url.removeprefix(live_server)])

    received = london_today() - timedelta(days=3)
    page.get_by_label("Case reference").fill("IG-2026-7")
    page.get_by_label("Day").fill(str(received.day))
    page.get_by_label("Month").fill(str(received.month))
    page.get_by_label("Year").fill(str(received.year))
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", name="What erasing this person removes")).to_be_visible()
    visit_and_check(page, live_server, [page.url.removeprefix(live_server)])

    page.get_by_role("button", name="Erase this person").click()
    expect(page.get_by_role("link", name="Confirm you have checked before erasing")).to_be_visible()
    page.get_by_label("I have checked this is the right person").check()
    page.get_by_role("button", name="Erase this person").click()

    expect(page.get_by_role("heading", name="What was erased")).to_be_visible()
    visit_and_check(page, live_server, [page.url.removeprefix(live_server)])
    expect(page.get_by_text("Jo Private")).to_have_count(0)
