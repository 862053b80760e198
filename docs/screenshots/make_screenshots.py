"""Screenshots of Weaver's main pages, made from the demo data: `make screenshots`.

Starts the app on a temporary SQLite database with the demo borough, signs in as the demo
officer in headless Chromium (the system's, never a download) and saves PNGs beside this file.
The listening page is an admin's, so an admin is made for it in the temporary database only.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

import pyotp
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from collectors.scheduler import heartbeat
from crm import migrate
from crm.database import Database
from crm.demo.loader import DEMO_OFFICER_EMAIL, ensure_demo_officer, load_demo_data
from crm.models import OfficerRole, Organisation
from crm.services.officers import create_officer
from crm.unit_of_work import unit_of_work
from web import create_app

HERE = Path(__file__).resolve().parent
SHOWCASE_ORGANISATION = "Marshby Community Pantry"
SCREENSHOT_ADMIN_EMAIL = "screenshots.admin@brackenford.example"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def prepare_demo(folder: Path, password: str) -> tuple[str, int, str]:
    """The database's URL, the showcase organisation's id, and the admin's TOTP secret."""
    url = f"sqlite:///{folder / 'screenshots.sqlite3'}"
    with Database(url) as database:
        migrate.upgrade(database.engine)
        with unit_of_work(database.session_factory) as session:
            ensure_demo_officer(session, password)
            load_demo_data(session)
            organisation = session.query(Organisation).filter_by(name=SHOWCASE_ORGANISATION).one()
            admin = create_officer(
                session,
                email=SCREENSHOT_ADMIN_EMAIL,
                name="Demo Admin",
                password=password,
                role=OfficerRole.ADMIN,
            )
            # Admins must sign in with a second factor; this one's codes come from here.
            admin.totp_secret = pyotp.random_base32()
            organisation_id, secret = organisation.id, admin.totp_secret
        # What `crm demo` gets from the scheduler it runs beside the web server.
        heartbeat(database)
    return url, organisation_id, secret


def signed_in_page(
    browser: Browser, base: str, email: str, password: str, totp_secret: str | None = None
) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if totp_secret is not None:
        page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    return page


def shoot(page: Page, base: str, path: str, name: str, *, full_page: bool = False) -> None:
    page.goto(base + path)
    page.screenshot(path=HERE / f"{name}.png", full_page=full_page)
    print(f"saved docs/screenshots/{name}.png")


def main() -> None:
    chromium = os.environ.get("WEAVER_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium not found: apt-get install chromium (or set WEAVER_CHROMIUM)")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        database_url, organisation_id, admin_secret = prepare_demo(folder, password)
        os.environ.update(DATABASE_URL=database_url, WEAVER_INSTANCE_PATH=str(folder))
        server = make_server("127.0.0.1", 0, create_app(), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = signed_in_page(browser, base, DEMO_OFFICER_EMAIL, password)
            shoot(page, base, "/", "my-day")
            shoot(page, base, f"/contacts/{organisation_id}", "organisation-timeline")
            shoot(page, base, f"/interactions/new?contact={organisation_id}", "log-interaction")
            shoot(page, base, "/follow-ups/?who=everyone", "follow-ups")
            shoot(page, base, "/contacts/", "contacts")
            shoot(page, base, "/review", "review-queue")
            admin = signed_in_page(browser, base, SCREENSHOT_ADMIN_EMAIL, password, admin_secret)
            # The table of what is collected, and why, is the point: it is below the fold.
            shoot(admin, base, "/listening", "listening", full_page=True)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
