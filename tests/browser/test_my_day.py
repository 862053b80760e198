"""My day in a real browser: complete one follow-up and snooze another straight from the list,
with a mouse and with the keyboard alone; and the follow-up pages checked with axe-core and at
320 CSS pixels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from crm.clock import london_today
from crm.database import Database
from crm.models import FollowUp, Officer, OfficerRole, Organisation, Team
from crm.services.officers import officer_by_email
from crm.services.snoozing import SnoozePreset, snooze_date
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.actors import Officer as Actor
from tests.browser.actors import sign_in
from tests.browser.conftest import DEMO_EMAIL, check_accessibility, has_no_horizontal_scroll
from web.follow_ups.forms import snooze_options

pytestmark = pytest.mark.usefixtures("demo_borough")

ORGANISATION = "Marshby Community Pantry"
LEAD_EMAIL = "lead.officer@brackenford.example"


def about(action: str, note: str) -> re.Pattern[str]:
    """A list's button or field for one follow-up: its words, then (hidden but read out)
    which follow-up it acts on."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(note)}")


@dataclass(frozen=True)
class Overdue:
    to_complete: str
    to_snooze: str
    snoozed_id: int


@pytest.fixture
def overdue(database: Database) -> Overdue:
    """Two of the demo officer's follow-ups, more overdue than any in the demo data, so they
    come first on My day."""
    notes = ("Return the pantry’s grant form", "Book the pantry’s volunteer fair")
    with unit_of_work(database.session_factory) as session:
        demo = officer_by_email(session, DEMO_EMAIL)
        pantry = session.scalars(select(Organisation).where(Organisation.name == ORGANISATION))
        pantry = pantry.one()
        made = [
            factories.follow_up(
                session,
                pantry,
                due_on=london_today() - timedelta(days=90 - index),
                assignee=demo,
                note=note,
            )
            for index, note in enumerate(notes)
        ]
        return Overdue(to_complete=notes[0], to_snooze=notes[1], snoozed_id=made[1].id)


def test_completing_and_snoozing_follow_ups_from_my_day(officer: Actor, overdue: Overdue) -> None:
    sign_in(officer)
    page = officer.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Demo Officer")
    expect(page.locator("#overdue + ul")).to_contain_text(overdue.to_complete)

    officer.submit(page.get_by_role("button", name=about("Mark as done", overdue.to_complete)))

    expect(page.get_by_text("Follow-up marked as done")).to_be_visible()
    expect(page.get_by_text(overdue.to_complete)).to_have_count(0)

    tomorrow = snooze_date(SnoozePreset.TOMORROW, london_today())
    [tomorrow_label] = [
        label for value, label in snooze_options(london_today()) if value == "tomorrow"
    ]
    officer.choose_option(
        page.get_by_label(about("Or snooze until", overdue.to_snooze)), tomorrow_label
    )
    officer.submit(page.get_by_role("button", name=about("Snooze", overdue.to_snooze)))

    expect(
        page.get_by_text(f"Follow-up snoozed until {tomorrow.day} {tomorrow:%B %Y}")
    ).to_be_visible()
    expect(page.locator("#overdue + ul")).not_to_contain_text(overdue.to_snooze)
    expect(page.locator("#due-this-week + ul")).to_contain_text(overdue.to_snooze)

    officer.follow(page.get_by_role("link", name=overdue.to_snooze))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Follow up with {ORGANISATION}")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Once")


@pytest.fixture
def team_lead(database: Database) -> Iterator[Officer]:
    """A team lead whose team includes the demo officer."""
    with unit_of_work(database.session_factory) as session:
        north = Team(name="Marshby team")
        session.add(north)
        session.flush()
        lead = factories.officer(
            session, email=LEAD_EMAIL, name="Lee Lead", role=OfficerRole.TEAM_LEAD
        )
        lead.team_id = north.id
        officer_by_email(session, DEMO_EMAIL).team_id = north.id
    yield lead


def _sign_in_as_lead(page: Page, base_url: str) -> None:
    page.goto(base_url + "/sign-in")
    page.get_by_label("Email address").fill(LEAD_EMAIL)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def _follow_up_pages(database: Database, overdue: Overdue) -> list[str]:
    with unit_of_work(database.session_factory) as session:
        pantry_id = session.scalar(
            select(FollowUp.contact_id).where(FollowUp.id == overdue.snoozed_id)
        )
    return [
        "/?view=team",
        "/follow-ups/team",
        f"/follow-ups/{overdue.snoozed_id}",
        f"/follow-ups/new?contact={pantry_id}",
    ]


def test_follow_up_pages_are_accessible_with_and_without_errors(
    page: Page, live_server: str, database: Database, overdue: Overdue, team_lead: Officer
) -> None:
    _sign_in_as_lead(page, live_server)
    for path in _follow_up_pages(database, overdue):
        page.goto(live_server + path)
        check_accessibility(page)

    page.goto(f"{live_server}/follow-ups/{overdue.snoozed_id}")
    page.get_by_label("A date").check()
    page.get_by_role("button", name="Snooze", exact=True).click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the date it should come back")).to_be_visible()
    check_accessibility(page)

    page.goto(f"{live_server}/follow-ups/new")
    page.get_by_role("button", name="Add follow-up").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_accessibility(page)


def test_follow_up_pages_fit_320_css_pixels(
    browser: Browser, live_server: str, database: Database, overdue: Overdue, team_lead: Officer
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    _sign_in_as_lead(page, live_server)
    too_wide = []
    for path in _follow_up_pages(database, overdue):
        page.goto(live_server + path)
        if not has_no_horizontal_scroll(page):
            too_wide.append(path)
    context.close()
    assert too_wide == []
