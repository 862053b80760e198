"""Officers' journeys in a real browser, each with a mouse and with the keyboard alone.

Every journey starts signed out on the home page, and every page it visits is checked with
axe-core.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from crm.clock import london_today
from tests.browser.actors import Officer, sign_in

pytestmark = pytest.mark.usefixtures("demo_borough")

ORGANISATION = "Marshby Community Pantry"


def test_signing_in_and_out(officer: Officer) -> None:
    sign_in(officer)
    page = officer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Demo Officer")

    officer.submit(page.get_by_role("button", name="Sign out"))

    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto(officer.base_url + "/contacts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Weaver")


def test_finding_an_organisation_and_opening_its_timeline(officer: Officer) -> None:
    sign_in(officer)
    page = officer.page
    officer.follow(page.get_by_role("link", name="Contacts", exact=True))
    officer.type_into(page.get_by_label("Search by name or email"), "pantry")
    officer.submit(page.get_by_role("button", name="Search"))
    expect(page.get_by_role("status")).to_contain_text("matching ‘pantry’")

    officer.follow(page.get_by_role("link", name=ORGANISATION))

    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    items = page.locator(".weaver-timeline__item time")
    expect(items.first).to_be_visible()
    moments = items.evaluate_all("nodes => nodes.map(n => n.getAttribute('datetime'))")
    assert moments == sorted(moments, reverse=True), "the timeline is not newest first"


def test_logging_an_interaction_with_a_follow_up(officer: Officer) -> None:
    sign_in(officer)
    page = officer.page
    officer.follow(page.get_by_role("link", name="Log interaction", exact=True))
    officer.type_into(page.get_by_label("Find a person or organisation by name"), "pantry")
    officer.choose_suggestion(page.get_by_role("option", name=ORGANISATION))
    expect(page.get_by_role("checkbox", name=ORGANISATION)).to_be_checked()
    officer.choose_radio(page.get_by_label("Coffee"))
    note = f"Coffee with the pantry's new coordinator ({officer.__class__.__name__})"
    officer.type_into(page.get_by_label("Note"), note)
    due = london_today() + timedelta(days=10)
    follow_up = page.get_by_role("group", name="Follow up by (optional)")
    officer.type_into(follow_up.get_by_label("Day"), str(due.day))
    officer.type_into(follow_up.get_by_label("Month"), str(due.month))
    officer.type_into(follow_up.get_by_label("Year"), str(due.year))

    officer.submit(page.get_by_role("button", name="Save interaction"))

    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(page.get_by_text("Interaction saved with a follow-up")).to_be_visible()
    expect(page.locator(".weaver-timeline__item").first).to_contain_text(note)
    open_follow_ups = page.locator("h2:has-text('Open follow-ups') + ul")
    expect(open_follow_ups).to_contain_text(f"due {due.day} {due:%B %Y}")
