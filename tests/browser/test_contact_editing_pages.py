"""Adding, changing and merging contacts in a real browser, with a mouse and with the keyboard
alone; every editing page checked with axe-core and for reflow at 320 CSS pixels."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Locator, Page, expect

from crm.database import Database
from crm.models import Affiliation, CadenceTier, HandleChange, Locality, Theme, Ward
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.actors import KeyboardOfficer, Officer
from tests.browser.conftest import check_accessibility
from tests.browser.test_account_pages import sign_in, visit_and_check

EMAIL = "editor@council.example"
WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def borough(database: Database) -> dict[str, int]:
    with unit_of_work(database.session_factory) as session:
        me = factories.officer(session, email=EMAIL, name="Eddie Editor")
        factories.officer(session, email="colleague@council.example", name="Cora Colleague")
        north = Locality(name="Northgate", wards=[Ward(name="Abbey"), Ward(name="Castle")])
        session.add_all([north, Theme(name="Lunch clubs"), CadenceTier(name="Monthly", days=30)])
        session.flush()
        kept = factories.organisation(session, "Marshby Pantry", owner_id=me.id)
        twin = factories.organisation(session, "Marshby pantry", charity_number="1123456")
        factories.logged_interaction(session, [twin], when=WHEN, note="Met at the pantry")
        person = factories.person(session, "Jo Bloggs", member_of=kept)
        account = factories.account(session, kept, handle="marshbypantry")
        session.add(HandleChange(account_id=account.id, old_handle="pantrymarshby", new_handle="x"))
        session.flush()
        return {
            "kept": kept.id,
            "twin": twin.id,
            "person": person.id,
            "account": account.id,
            "affiliation": session.query(Affiliation.id).scalar(),
        }


def tick(officer: Officer, box: Locator) -> None:
    """Tick a checkbox (or choose a radio Tab reaches first) with the mouse or the keyboard."""
    if isinstance(officer, KeyboardOfficer):
        officer.focus_by_tabbing(box)
        officer.page.keyboard.press("Space")
    else:
        box.check()


@pytest.mark.usefixtures("borough")
def test_adding_and_changing_an_organisation(officer: Officer, database: Database) -> None:
    page = officer.page
    sign_in(page, officer.base_url, EMAIL, database)
    officer.open("/contacts/")
    officer.follow(page.get_by_role("link", name="Add an organisation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation")

    officer.type_into(page.get_by_label("Charity number (optional)"), "12345")
    officer.submit(page.get_by_role("button", name="Save organisation"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the organisation’s name")
    expect(summary).to_contain_text("Enter a charity number of 6 to 8 digits")
    check_accessibility(page)

    officer.type_into(page.get_by_label("Name", exact=True), "Saltings Lunch Club")
    officer.choose_option(page.get_by_label("Type of organisation (optional)"), "Community group")
    officer.type_into(page.get_by_label("Charity number (optional)"), "1187654")
    officer.type_into(page.get_by_label("Website (optional)"), "saltings.example.org")
    tick(officer, page.get_by_label("Lunch clubs"))
    officer.choose_option(
        page.get_by_label("How often to keep in touch (optional)"), "Monthly: every 30 days"
    )
    officer.submit(page.get_by_role("button", name="Save organisation"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Saltings Lunch Club")
    expect(page.get_by_text("Added Saltings Lunch Club")).to_be_visible()
    details = page.locator(".govuk-summary-list").first
    expect(details).to_contain_text("Community group")
    expect(details).to_contain_text("Lunch clubs")
    expect(details).to_contain_text("Monthly: every 30 days")
    expect(page.get_by_role("link", name="https://saltings.example.org")).to_be_visible()

    officer.follow(page.get_by_role("link", name="Change details"))
    expect(page.get_by_label("Name", exact=True)).to_have_value("Saltings Lunch Club")
    officer.type_into(page.get_by_label("Name", exact=True), "Saltings Lunch Club CIO")
    officer.submit(page.get_by_role("button", name="Save organisation"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Saltings Lunch Club CIO")
    expect(page.get_by_text("Saved the details of Saltings Lunch Club CIO")).to_be_visible()


def test_merging_two_duplicates(
    officer: Officer, database: Database, borough: dict[str, int]
) -> None:
    page = officer.page
    sign_in(page, officer.base_url, EMAIL, database)
    officer.open(f"/contacts/{borough['kept']}")
    officer.follow(page.get_by_role("link", name="Merge with a duplicate"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Step 2 of 3")

    officer.follow(page.get_by_role("link", name="Compare with Marshby pantry"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("1123456")
    officer.submit(page.get_by_role("button", name="Merge records"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose which record should stay")
    check_accessibility(page)

    # The first radio of a group nothing is chosen in: Tab lands on it and Space chooses it.
    tick(officer, page.get_by_label(f"Marshby Pantry (record {borough['kept']})"))
    officer.submit(page.get_by_role("button", name="Merge records"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Marshby Pantry")
    expect(page.get_by_text("Merged Marshby pantry into this record")).to_be_visible()
    expect(page.get_by_text("Met at the pantry")).to_be_visible()
    expect(page.locator("h2:has-text('Merged records') + ul")).to_contain_text("Marshby pantry")


def test_every_editing_page_is_accessible_and_reflows(
    page: Page, live_server: str, database: Database, borough: dict[str, int]
) -> None:
    sign_in(page, live_server, EMAIL, database)
    with unit_of_work(database.session_factory) as session:
        colleague = officer_by_email(session, "colleague@council.example").id
    kept, person = borough["kept"], borough["person"]
    page.goto(f"{live_server}/contacts/{kept}/owner")
    page.get_by_label("Who will manage this relationship?").select_option(str(colleague))
    page.get_by_label("Handover note (optional)").fill("The chair prefers calls")
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text("Cora Colleague now manages this relationship")).to_be_visible()

    visit_and_check(
        page,
        live_server,
        [
            f"/contacts/{kept}",
            f"/contacts/{person}",
            "/contacts/new/person",
            f"/contacts/{person}/edit",
            f"/contacts/{kept}/owner",
            f"/contacts/{kept}/delete",
            f"/contacts/{kept}/accounts",
            f"/contacts/{kept}/accounts/new",
            f"/contacts/{kept}/accounts/{borough['account']}/remove",
            f"/contacts/{kept}/affiliations/new?q=jo",
            f"/contacts/{person}/affiliations/new?q=nothing-matches",
            f"/contacts/{person}/affiliations/{borough['affiliation']}/end",
            "/contacts/merge",
            "/contacts/merge?q=marshby",
            f"/contacts/merge/compare?first={kept}&second={borough['twin']}",
        ],
    )
    page.goto(f"{live_server}/contacts/{kept}")
    expect(page.get_by_text("Earlier: @pantrymarshby")).to_be_visible()
    expect(page.locator("h2:has-text('Handover history') + ol")).to_contain_text(
        "The chair prefers calls"
    )
