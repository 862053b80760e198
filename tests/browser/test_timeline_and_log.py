"""An organisation's timeline and the quick log in a real browser: with a mouse, with the
keyboard alone, without JavaScript, and 320 CSS pixels wide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from crm.clock import london_today
from tests.browser.actors import Officer, sign_in
from tests.browser.conftest import check_accessibility, has_no_horizontal_scroll, sign_in_quickly

pytestmark = pytest.mark.usefixtures("demo_borough")

ORGANISATION = "Marshby Community Pantry"
ANOTHER = "Hollins Green Community Fridge"


def open_organisation(officer: Officer) -> None:
    page = officer.page
    officer.follow(page.get_by_role("link", name="Contacts", exact=True))
    officer.type_into(page.get_by_label("Search by name or email"), "pantry")
    officer.submit(page.get_by_role("button", name="Search"))
    officer.follow(page.get_by_role("link", name=ORGANISATION))
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)


def test_filtering_a_timeline_then_logging_with_two_contacts_and_a_follow_up(
    officer: Officer,
) -> None:
    sign_in(officer)
    page = officer.page
    open_organisation(officer)

    officer.activate(page.locator("summary", has_text="Filter the timeline"))
    officer.choose_option(page.get_by_label("Kind"), "Post")
    officer.submit(page.get_by_role("button", name="Filter the timeline"))
    tags = page.locator(".weaver-timeline__item .govuk-tag").first
    expect(tags).to_have_text("Post")
    kinds = page.locator(".weaver-timeline__item > p:first-child > .govuk-tag:first-child")
    assert set(kinds.all_inner_texts()) == {"Post"}
    officer.follow(page.get_by_role("link", name="Clear the filters"))

    officer.follow(page.get_by_role("button", name=f"Log an interaction with {ORGANISATION}"))
    expect(page.get_by_role("checkbox", name=ORGANISATION)).to_be_checked()
    finder = page.get_by_role("combobox", name="Find a person or organisation by name")
    officer.type_into(finder, "hollins")
    suggestion = page.get_by_role("option", name=ANOTHER)
    expect(suggestion).to_be_visible()
    check_accessibility(page)  # with the suggestions open
    officer.choose_suggestion(suggestion)
    expect(page.get_by_role("checkbox", name=ANOTHER)).to_be_checked()
    officer.choose_radio(page.get_by_label("Coffee"))
    note = f"Coffee with the pantry and the fridge ({officer.__class__.__name__})"
    officer.type_into(page.get_by_label("Note"), note)
    due = london_today() + timedelta(days=10)
    follow_up = page.get_by_role("group", name="Follow up by (optional)")
    officer.type_into(follow_up.get_by_label("Day"), str(due.day))
    officer.type_into(follow_up.get_by_label("Month"), str(due.month))
    officer.type_into(follow_up.get_by_label("Year"), str(due.year))

    officer.submit(page.get_by_role("button", name="Save interaction"))

    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(page.get_by_text("Interaction saved with a follow-up")).to_be_visible()
    items = page.locator(".weaver-timeline__item")
    # The follow-up is due in ten days, so it sits above what happened today.
    expect(items.nth(0)).to_contain_text("Follow-up")
    expect(items.nth(0)).to_contain_text(f"Due {due:%A} {due.day} {due:%B %Y}")
    expect(items.nth(0)).to_contain_text(note)
    expect(items.nth(1)).to_contain_text(note)
    expect(items.nth(1)).to_contain_text(ANOTHER)


def test_logging_without_javascript_finds_contacts_with_the_find_button(
    page_without_javascript: Page, live_server: str
) -> None:
    page = page_without_javascript
    sign_in_quickly(page, live_server)
    page.goto(live_server + "/interactions/new")
    # (axe-core cannot run here: its timers need the page's JavaScript. The pages this test
    # sees are checked with JavaScript on in the test below.)
    page.get_by_label("Find a person or organisation by name").fill("pantry")
    page.get_by_role("button", name="Find contacts by name").click()
    page.get_by_role("checkbox", name=ORGANISATION).check()
    page.get_by_label("Find a person or organisation by name").fill("hollins")
    page.get_by_role("button", name="Find contacts by name").click()
    expect(page.get_by_role("checkbox", name=ORGANISATION)).to_be_checked()
    page.get_by_role("checkbox", name=ANOTHER).check()
    page.get_by_label("Meeting").check()
    page.get_by_label("Note").fill("Met both groups, scripts off")
    page.get_by_role("button", name="Save interaction").click()

    expect(page.get_by_text("Interaction saved")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    first = page.locator(".weaver-timeline__item").first
    expect(first).to_contain_text("Met both groups, scripts off")
    expect(first).to_contain_text(ANOTHER)


def test_the_log_form_and_the_timeline_fit_320_pixels(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in_quickly(page, live_server)
    page.goto(live_server + "/interactions/new")
    finder = page.get_by_role("combobox", name="Find a person or organisation by name")
    finder.fill("comm")
    expect(page.get_by_role("option").first).to_be_visible()
    assert has_no_horizontal_scroll(page)
    check_accessibility(page)
    # The Find button's answer, as someone without JavaScript sees it.
    page.get_by_role("button", name="Find contacts by name").click()
    expect(page.get_by_text("match ‘comm’")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    check_accessibility(page)
    page.get_by_role("button", name="Save interaction").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert has_no_horizontal_scroll(page)
    check_accessibility(page)

    page.goto(live_server + "/contacts/?q=pantry")
    page.get_by_role("link", name=ORGANISATION).click()
    page.get_by_role("link", name="Include items of its people").click()
    expect(page.get_by_text("Show only the organisation’s own items")).to_be_visible()
    page.locator("summary", has_text="Filter the timeline").click()
    assert has_no_horizontal_scroll(page)
    check_accessibility(page)
    # The council's own record has more than a page of items, so it has an older page.
    page.goto(live_server + "/contacts/?q=brackenford+borough")
    page.get_by_role("link", name="Brackenford Borough Council").click()
    page.get_by_role("link", name="Older items on the timeline").click()
    assert has_no_horizontal_scroll(page)
    check_accessibility(page)
    context.close()
