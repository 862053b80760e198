"""A person using Weaver in a browser, with a mouse or with the keyboard alone.

Journeys are written once against `Officer`; the keyboard officer never sends a mouse event.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DEMO_EMAIL, DEMO_PASSWORD, check_accessibility

MAX_TABS = 150


class Officer:
    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.pages_checked: set[str] = set()

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check_page()

    def check_page(self) -> None:
        """Every page a journey visits is checked for accessibility once per journey."""
        self.page.wait_for_load_state()
        key = self.page.url.split("?")[0]
        if key not in self.pages_checked:
            check_accessibility(self.page)
            self.pages_checked.add(key)

    def activate(self, target: Locator) -> None:
        raise NotImplementedError

    def type_into(self, target: Locator, text: str) -> None:
        raise NotImplementedError

    def choose_radio(self, target: Locator) -> None:
        raise NotImplementedError

    def choose_option(self, select: Locator, label: str) -> None:
        raise NotImplementedError

    def choose_suggestion(self, option: Locator) -> None:
        """Picks one of the suggestions a combobox shows under the box being typed in."""
        raise NotImplementedError

    def submit(self, button: Locator) -> None:
        with self.page.expect_navigation():
            self.activate(button)
        self.check_page()

    def follow(self, link: Locator) -> None:
        self.submit(link)


class MouseOfficer(Officer):
    def activate(self, target: Locator) -> None:
        target.click()

    def type_into(self, target: Locator, text: str) -> None:
        target.click()
        target.fill(text)

    def choose_radio(self, target: Locator) -> None:
        target.check()

    def choose_option(self, select: Locator, label: str) -> None:
        select.select_option(label=label)

    def choose_suggestion(self, option: Locator) -> None:
        option.click()


class KeyboardOfficer(Officer):
    """Reaches everything with Tab, like someone who cannot use a mouse."""

    def focus_by_tabbing(self, target: Locator) -> None:
        target.wait_for()
        for _ in range(MAX_TABS):
            if target.evaluate("element => element === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"could not reach {target} with the Tab key")

    def activate(self, target: Locator) -> None:
        self.focus_by_tabbing(target)
        self.page.keyboard.press("Enter")

    def type_into(self, target: Locator, text: str) -> None:
        self.focus_by_tabbing(target)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose_radio(self, target: Locator) -> None:
        # Tab reaches one radio of a group; the arrow keys move to the others.
        group = self.page.locator(f"input[type=radio][name='{target.get_attribute('name')}']")
        self.focus_by_tabbing(group.first)
        for _ in range(group.count()):
            if target.is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"could not choose {target} with the arrow keys")

    def choose_option(self, select: Locator, label: str) -> None:
        self.focus_by_tabbing(select)
        for _ in range(select.locator("option").count()):
            if select.evaluate("s => s.options[s.selectedIndex].text") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"could not choose {label!r} with the arrow keys")

    def choose_suggestion(self, option: Locator) -> None:
        # The focus stays in the box; the arrow keys move through the suggestions.
        option.wait_for()
        for _ in range(option.locator("xpath=..").locator("[role=option]").count()):
            self.page.keyboard.press("ArrowDown")
            if option.get_attribute("aria-selected") == "true":
                self.page.keyboard.press("Enter")
                return
        raise AssertionError(f"could not reach {option} with the arrow keys")


def sign_in(officer: Officer) -> None:
    """The demo officer signs in from the signed-out home page, as a journey's first step."""
    officer.open("/")
    page = officer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Weaver")
    officer.type_into(page.get_by_label("Email address"), DEMO_EMAIL)
    officer.type_into(page.get_by_label("Password", exact=True), DEMO_PASSWORD)
    officer.submit(page.get_by_role("button", name="Sign in"))
