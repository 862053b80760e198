"""The pages for admins, information governance and an officer's own account, in the browser:
each checked with axe-core and for reflow at 320 CSS pixels."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from crm.database import Database
from crm.models import OfficerRole
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.browser.conftest import check_accessibility, check_here


@pytest.fixture
def people(database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(
            session, email="admin@council.example", name="Ada Admin", role=OfficerRole.ADMIN
        )
        factories.officer(
            session,
            email="ig@council.example",
            name="Ida Governance",
            role=OfficerRole.INFORMATION_GOVERNANCE,
        )
        factories.person(session, "Jo Private")


def sign_in(page: Page, base: str, email: str, database: Database) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "/sign-in/code" in page.url:
        check_accessibility(page)
        with unit_of_work(database.session_factory) as session:
            secret = officer_by_email(session, email).totp_secret
        page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def visit_and_check(page: Page, base: str, paths: list[str]) -> None:
    for path in paths:
        page.goto(base + path)
        check_here(page)


@pytest.mark.usefixtures("people")
def test_admin_pages(page: Page, live_server: str, database: Database) -> None:
    sign_in(page, live_server, "admin@council.example", database)
    with unit_of_work(database.session_factory) as session:
        ig_id = officer_by_email(session, "ig@council.example").id
    visit_and_check(
        page, live_server, ["/admin/officers", "/admin/officers/new", f"/admin/officers/{ig_id}"]
    )


@pytest.mark.usefixtures("people")
def test_information_governance_pages(page: Page, live_server: str, database: Database) -> None:
    sign_in(page, live_server, "ig@council.example", database)
    visit_and_check(
        page, live_server, ["/audit/", "/audit/?from=nonsense", "/audit/repeated-views"]
    )


@pytest.mark.usefixtures("people")
def test_account_pages(browser: Browser, page: Page, live_server: str, database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="me@council.example")
    sign_in(page, live_server, "me@council.example", database)
    visit_and_check(
        page, live_server, ["/account/password", "/account/two-factor", "/account/api-tokens"]
    )
    page.get_by_label("Name").fill("Ward dashboard")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy it now")).to_be_visible()
    check_accessibility(page)
