"""The browser harness: the real app on a local port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Chromium comes from the system (`apt-get install chromium`), found on
PATH or at WEAVER_CHROMIUM. Without it these tests are skipped locally and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from werkzeug.serving import make_server

from crm.database import Database
from crm.demo.loader import ensure_demo_officer, load_demo_data
from crm.unit_of_work import unit_of_work
from web import create_app
from web.database import EXTENSION_KEY as DATABASE_EXTENSION

if TYPE_CHECKING:
    from tests.browser.actors import Officer

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "browser test password"
DEMO_EMAIL = "demo.officer@brackenford.example"
# Flags that keep headless Chromium off the closed network and quiet in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("WEAVER_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if chromium_path() is None:
        message = "Chromium not found: apt-get install chromium (or set WEAVER_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live_server(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free local port for the whole session."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", database.engine.url.render_as_string(hide_password=False))
        patch.setenv("WEAVER_INSTANCE_PATH", str(tmp_path_factory.mktemp("browser-instance")))
        patch.setenv("SECRET_KEY", "browser-tests-secret")
        # One app serves every browser test, so sign-in limits would add up across them;
        # the limits themselves are tested through the test client.
        app = create_app({"RATELIMIT_ENABLED": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.extensions[DATABASE_EXTENSION].dispose()


@pytest.fixture
def demo_borough(database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        ensure_demo_officer(session, DEMO_PASSWORD)
        load_demo_data(session)


@pytest.fixture(params=["mouse", "keyboard"])
def officer(request: pytest.FixtureRequest, page: Page, live_server: str) -> Officer:
    """The same journey twice: once with a mouse, once with the keyboard alone."""
    # Here, not at the top: actors imports this module's sign-in details and checks.
    from tests.browser.actors import KeyboardOfficer, MouseOfficer

    kind = MouseOfficer if request.param == "mouse" else KeyboardOfficer
    return kind(page, live_server)


def _new_page(browser: Browser, **context_options: object) -> Iterator[Page]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def page_without_javascript(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, java_script_enabled=False)


class AccessibilityProblems(AssertionError):
    pass


def check_accessibility(page: Page) -> None:
    """Run axe-core on the page as it stands; fail on any serious or critical violation."""
    if not AXE_SOURCE.exists():
        raise FileNotFoundError(f"{AXE_SOURCE} is missing: run `npm ci`")
    # evaluate() runs through the DevTools protocol, so the page's CSP does not block it.
    page.evaluate(AXE_SOURCE.read_text())
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'wcag22aa', 'best-practice']}
            });
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    if serious:
        raise AccessibilityProblems(f"{page.url}: {json.dumps(serious, indent=2)}")


def has_no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def check_here(page: Page) -> None:
    """axe-core on the page as it is, then no sideways scrolling at 320 CSS pixels."""
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert has_no_horizontal_scroll(page), page.url
    page.set_viewport_size({"width": 1280, "height": 900})


def sign_in_quickly(page: Page, base_url: str) -> None:
    """Signs the demo officer in for a test whose subject is not signing in."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
