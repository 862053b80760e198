"""Screenshots of Weaver's main pages, made from the demo data: `make screenshots`.

Starts the app on a temporary SQLite database with the demo borough, signs in as the demo
officer in headless Chromium (the system's, never a download) and saves PNGs beside this file.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from crm import migrate
from crm.database import Database
from crm.demo.loader import DEMO_OFFICER_EMAIL, ensure_demo_officer, load_demo_data
from crm.models import Organisation
from crm.unit_of_work import unit_of_work
from web import create_app

HERE = Path(__file__).resolve().parent
SHOWCASE_ORGANISATION = "Marshby Community Pantry"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def prepare_demo(folder: Path, password: str) -> tuple[str, int]:
    url = f"sqlite:///{folder / 'screenshots.sqlite3'}"
    with Database(url) as database:
        migrate.upgrade(database.engine)
        with unit_of_work(database.session_factory) as session:
            ensure_demo_officer(session, password)
            load_demo_data(session)
            organisation = session.query(Organisation).filter_by(name=SHOWCASE_ORGANISATION).one()
            return url, organisation.id


def shoot(page: Page, base: str, path: str, name: str) -> None:
    page.goto(base + path)
    page.screenshot(path=HERE / f"{name}.png")
    print(f"saved docs/screenshots/{name}.png")


def main() -> None:
    chromium = os.environ.get("WEAVER_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium not found: apt-get install chromium (or set WEAVER_CHROMIUM)")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        database_url, organisation_id = prepare_demo(folder, password)
        os.environ.update(DATABASE_URL=database_url, WEAVER_INSTANCE_PATH=str(folder))
        server = make_server("127.0.0.1", 0, create_app(), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(base + "/sign-in")
            page.get_by_label("Email address").fill(DEMO_OFFICER_EMAIL)
            page.get_by_label("Password", exact=True).fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            shoot(page, base, "/", "home")
            shoot(page, base, f"/contacts/{organisation_id}", "organisation-timeline")
            shoot(page, base, f"/interactions/new?contact={organisation_id}", "log-interaction")
            shoot(page, base, "/follow-ups/?who=everyone", "follow-ups")
            shoot(page, base, "/contacts/", "contacts")
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
