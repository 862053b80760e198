"""Pages work without JavaScript and reflow at 320 CSS pixels and at 200% zoom."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    AccessibilityProblems,
    check_accessibility,
    has_no_horizontal_scroll,
    sign_in_quickly,
)

pytestmark = pytest.mark.usefixtures("demo_borough")

PAGES = ["/", "/contacts/", "/contacts/5", "/interactions/new", "/follow-ups/", "/accessibility"]


def test_logging_an_interaction_works_without_javascript(
    page_without_javascript: Page, live_server: str
) -> None:
    page = page_without_javascript
    sign_in_quickly(page, live_server)
    page.goto(live_server + "/interactions/new?contact=5")
    assert page.evaluate("1 + 1") == 2  # evaluate still works: only the page's scripts are off
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    page.get_by_label("Meeting").check()
    page.get_by_label("Note").fill("Logged with scripts turned off")
    page.get_by_role("button", name="Save interaction").click()

    expect(page.get_by_text("Interaction saved")).to_be_visible()
    expect(page.locator(".weaver-timeline__item").first).to_contain_text(
        "Logged with scripts turned off"
    )


@pytest.mark.parametrize(
    "width", [320, 640], ids=["320 CSS pixels", "200 percent zoom of 1280 pixels"]
)
def test_pages_reflow_without_horizontal_scrolling(
    browser: Browser, live_server: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in_quickly(page, live_server)
    too_wide = []
    for path in PAGES:
        page.goto(live_server + path)
        if not has_no_horizontal_scroll(page):
            too_wide.append(path)
    context.close()
    assert too_wide == []


def test_the_sign_in_and_error_pages_are_accessible(page: Page, live_server: str) -> None:
    page.goto(live_server + "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_accessibility(page)
    page.goto(live_server + "/accessibility")
    check_accessibility(page)


def test_the_accessibility_check_fails_on_a_real_problem(page: Page) -> None:
    page.set_content(
        "<html lang='en'><head><title>Broken</title></head><body><main>"
        "<h1>Form</h1><input type='text'><img src='data:,'>"
        "</main></body></html>"
    )
    with pytest.raises(AccessibilityProblems, match="label"):
        check_accessibility(page)
