"""In a real browser, with a mouse and with the keyboard alone: an admin imports a CSV file
with a bad row and reads the error report; an officer finds an organisation by search and
opens it. Every page visited is checked with axe-core, and the new pages reflow at 320 CSS
pixels."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from crm.database import Database
from crm.models import OfficerRole
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.actors import KeyboardOfficer, MouseOfficer, Officer, sign_in
from tests.browser.conftest import check_accessibility, has_no_horizontal_scroll

pytestmark = pytest.mark.usefixtures("demo_borough")

ADMIN = "ada.admin@brackenford.example"
ORGANISATION = "Marshby Community Pantry"
CSV_FILE = (
    "Group name,Charity number,Email,Notes\r\n"
    "Heronsgate Repair Café,1190001,fixit@heronsgate.example,Second Saturday of the month\r\n"
    ",1190002,nameless@example.org,A row with no name\r\n"
    "Quayside Book Swap,,books@quayside.example,\r\n"
)


@pytest.fixture
def admin_secret(database: Database) -> str:
    with unit_of_work(database.session_factory) as session:
        admin = factories.officer(session, email=ADMIN, name="Ada Admin", role=OfficerRole.ADMIN)
        return admin.totp_secret


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "community groups.csv"
    path.write_text(CSV_FILE, encoding="utf-8")
    return path


def sign_in_as_admin(officer: Officer, secret: str) -> None:
    officer.open("/")
    page = officer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Weaver")
    officer.type_into(page.get_by_label("Email address"), ADMIN)
    officer.type_into(page.get_by_label("Password", exact=True), factories.PASSWORD)
    officer.submit(page.get_by_role("button", name="Sign in"))
    officer.type_into(
        page.get_by_label("Code from your authenticator app"), pyotp.TOTP(secret).now()
    )
    officer.submit(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Ada Admin")


def choose_file(officer: Officer, path: Path) -> None:
    """The file dialogue is the operating system's: the keyboard officer reaches the control
    with Tab, and the file is handed over as that dialogue would."""
    control = officer.page.get_by_label("CSV file")
    if isinstance(officer, KeyboardOfficer):
        officer.focus_by_tabbing(control)
    control.set_input_files(path)


def test_an_admin_imports_a_file_with_a_bad_row_and_reads_the_report(
    officer: Officer, admin_secret: str, csv_file: Path
) -> None:
    sign_in_as_admin(officer, admin_secret)
    page = officer.page
    officer.follow(page.get_by_role("link", name="Contacts", exact=True))
    officer.follow(page.get_by_role("link", name="Import contacts from a spreadsheet (CSV)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import contacts")

    choose_file(officer, csv_file)
    officer.submit(page.get_by_role("button", name="Upload and choose columns"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose what each column holds")
    officer.choose_option(page.get_by_label(re.compile("Column 4: ‘Notes’")), "Description")
    officer.submit(page.get_by_role("button", name="Check the import"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#dry-run")).to_contain_text("2 contacts")
    officer.submit(page.get_by_role("button", name="Import 2 contacts"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
    expect(page.locator("#import-summary")).to_contain_text("Added")
    bad_row = page.get_by_role("row").filter(has_text="The name is missing")
    expect(bad_row.get_by_role("cell").first).to_have_text("3")

    officer.follow(page.get_by_role("link", name="Go to contacts"))
    officer.type_into(page.get_by_label("Search by name or email"), "heronsgate")
    officer.submit(page.get_by_role("button", name="Search"))
    officer.follow(page.get_by_role("link", name="Heronsgate Repair Café"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Heronsgate Repair Café")
    expect(page.get_by_text("Second Saturday of the month")).to_be_visible()


def test_finding_an_organisation_by_search_and_opening_it(officer: Officer) -> None:
    sign_in(officer)
    page = officer.page
    officer.follow(page.get_by_role("link", name="Search", exact=True))
    officer.type_into(page.get_by_label("Search contacts and interactions"), "pantr")
    officer.submit(page.get_by_role("button", name="Search", exact=True))

    expect(page.get_by_role("status")).to_contain_text("matching ‘pantr’")
    expect(page.locator("mark").first).to_be_visible()
    officer.follow(page.get_by_role("link", name=ORGANISATION, exact=True).first)

    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)


def test_the_new_pages_are_accessible_and_reflow_at_320_pixels(
    page: Page, live_server: str, admin_secret: str, csv_file: Path
) -> None:
    sign_in_as_admin(MouseOfficer(page, live_server), admin_secret)
    too_wide = []

    def check(path: str | None = None) -> None:
        if path:
            page.goto(live_server + path)
        check_accessibility(page)
        page.set_viewport_size({"width": 320, "height": 800})
        if not has_no_horizontal_scroll(page):
            too_wide.append(page.url)
        page.set_viewport_size({"width": 1280, "height": 900})

    check("/search/?q=marshby")
    check("/contacts/?type=charity&theme=1&locality=1")
    check("/import/contacts/")
    page.get_by_label("CSV file").set_input_files(csv_file)
    page.get_by_role("button", name="Upload and choose columns").click()
    check()
    page.get_by_role("button", name="Check the import").click()
    check()
    page.get_by_role("button", name=re.compile("^Import")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import finished")
    check()

    assert too_wide == []
