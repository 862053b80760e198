"""Suggested follow-ups, the going-cold list and the cadence tiers in a real browser: an
officer accepts one suggestion and dismisses another with a mouse and with the keyboard alone,
and every page is checked with axe-core and for reflow at 320 CSS pixels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from crm.database import Database
from crm.models import CadenceTier, OfficerRole
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.actors import Officer, sign_in
from tests.browser.conftest import (
    check_accessibility,
    has_no_horizontal_scroll,
    sign_in_quickly,
)
from tests.browser.test_account_pages import sign_in as sign_in_as
from tests.browser.test_account_pages import visit_and_check

pytestmark = pytest.mark.usefixtures("demo_borough")

ADMIN = "admin@council.example"


def test_accepting_and_dismissing_suggestions(officer: Officer) -> None:
    sign_in(officer)
    page = officer.page

    officer.follow(page.get_by_role("link", name=re.compile(r"^Suggestions \(\d+\)$")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggested follow-ups")
    expect(page.get_by_role("heading", name="Why am I seeing this?").first).to_be_visible()
    items = page.locator("li.weaver-timeline__item")
    waiting = items.count()
    assert waiting >= 2

    first = items.nth(0)
    handle = first.get_by_role("heading", level=2).inner_text().split("@")[-1]
    officer.activate(first.locator("summary").filter(has_text="Dismiss"))
    officer.type_into(first.get_by_label("Why dismiss it?"), "Already spoken to them")
    officer.submit(first.get_by_role("button", name=f"Dismiss the suggestion about @{handle}"))
    expect(page.get_by_text("Suggestion dismissed. It will not come back")).to_be_visible()
    expect(items).to_have_count(waiting - 1)

    first = items.nth(0)
    handle = first.get_by_role("heading", level=2).inner_text().split("@")[-1]
    officer.activate(first.locator("summary").filter(has_text="Accept"))
    officer.type_into(first.get_by_label("Note (optional)"), "Ring them this week")
    officer.submit(first.get_by_role("button", name=f"Accept the suggestion about @{handle}"))
    expect(page.get_by_text(re.compile(r"Follow-up added for .+, due "))).to_be_visible()
    expect(items).to_have_count(waiting - 2)

    officer.follow(page.get_by_role("link", name="Going cold", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Going cold")
    officer.follow(page.get_by_role("link", name="Show everyone’s"))
    expect(page.get_by_role("status")).to_contain_text("going cold, most overdue first")
    expect(page.get_by_role("columnheader", name="Last touched")).to_be_visible()


def test_a_mistake_in_the_accept_form_is_shown_and_accessible(page: Page, live_server: str) -> None:
    sign_in_quickly(page, live_server)
    page.goto(live_server + "/suggestions/")
    first = page.locator("li.weaver-timeline__item").first
    first.locator("summary").filter(has_text="Accept").click()
    first.get_by_label("Day").fill("")
    first.get_by_role("button", name=re.compile("^Accept the suggestion")).click()

    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the date to follow up by")).to_be_visible()
    check_accessibility(page)


def test_the_pages_reflow_at_320_pixels(page: Page, live_server: str) -> None:
    sign_in_quickly(page, live_server)
    visit_and_check(page, live_server, ["/suggestions/?who=everyone", "/going-cold/?who=everyone"])
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server + "/suggestions/")
    page.locator("summary").first.click()
    assert has_no_horizontal_scroll(page)


def test_an_admin_changes_a_cadence_tier(page: Page, live_server: str, database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email=ADMIN, name="Ada Admin", role=OfficerRole.ADMIN)
        tier_id = session.scalars(
            select(CadenceTier.id).where(CadenceTier.name == "Strategic partner")
        ).one()
    sign_in_as(page, live_server, ADMIN, database)
    visit_and_check(page, live_server, ["/admin/cadence-tiers/", f"/admin/cadence-tiers/{tier_id}"])

    page.goto(live_server + "/admin/cadence-tiers/")
    page.get_by_label("Name").fill("Key partner")
    page.get_by_label("Be in touch every (days)").fill("")
    page.get_by_role("button", name="Add tier").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Be in touch every (days)").fill("14")
    page.get_by_role("button", name="Add tier").click()
    expect(page.get_by_text("Tier Key partner added")).to_be_visible()
    expect(page.locator("dt", has_text="Key partner")).to_be_visible()
