"""The calendar feed page, the admin reminders page and the reminders warning in the browser:
axe-core and reflow at 320 CSS pixels, and an officer adding their feed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from crm.clock import utc_now
from crm.database import Database
from crm.models import OfficerRole
from crm.services.officers import officer_by_email
from crm.services.reminders import run_reminders
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.conftest import check_here
from tests.browser.test_account_pages import sign_in

OFFICER = "priya@council.example"
ADMIN = "ada@council.example"


@pytest.fixture
def team(database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        priya = factories.officer(session, email=OFFICER, name="Priya Shah")
        factories.officer(session, email=ADMIN, name="Ada Admin", role=OfficerRole.ADMIN)
        gone = factories.officer(session, name="Lee Gone")
        hub = factories.organisation(session, "Northgate Youth Hub")
        factories.follow_up(
            session, hub, due_on=date(2026, 3, 29), assignee=priya, note="Call about the grant"
        )
        factories.follow_up(session, hub, due_on=date(2026, 3, 30), assignee=gone)
        gone.is_active = False


@pytest.mark.usefixtures("team")
def test_an_officer_puts_their_follow_ups_in_their_calendar(
    page: Page, live_server: str, database: Database
) -> None:
    sign_in(page, live_server, OFFICER, database)
    page.goto(live_server + "/account/password")
    page.get_by_role("link", name="See your follow-ups in Outlook or another calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your follow-ups in your calendar")
    check_here(page)

    page.get_by_role("button", name="Make a calendar address").click()

    expect(page.get_by_text("Copy it now")).to_be_visible()
    check_here(page)
    address = page.locator("#calendar-address").inner_text()
    assert address.startswith(live_server + "/calendar/")
    feed = page.request.get(address)
    assert feed.status == 200
    [event] = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Follow up: Northgate Youth Hub"

    page.get_by_role("button", name="Turn off the calendar feed").click()

    expect(page.get_by_text("Your calendar feed is off")).to_be_visible()
    check_here(page)
    assert page.request.get(address).status == 404


@pytest.mark.usefixtures("team")
def test_an_admin_reads_the_reminder_runs(page: Page, live_server: str, database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        run_reminders(session, now=utc_now().replace(hour=12), mailer=None)
    sign_in(page, live_server, ADMIN, database)

    page.get_by_role("link", name="Reminders").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    expect(page.get_by_text("(was Lee Gone’s)")).to_be_visible()
    check_here(page)


@pytest.mark.usefixtures("team")
def test_the_warning_when_reminders_look_stopped(
    page: Page, live_server: str, database: Database
) -> None:
    with unit_of_work(database.session_factory) as session:
        officer_by_email(session, OFFICER).created_at = utc_now() - timedelta(days=3)
    sign_in(page, live_server, OFFICER, database)

    page.goto(live_server + "/")

    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "Reminders have not run yet"
    )
    check_here(page)
