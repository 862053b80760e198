"""Triage the listening review queue in a real browser, with a mouse and with the keyboard
alone: link one post to a contact, dismiss another. Every page visited is checked with axe-core.

The demo borough may have posts waiting already; the two made here have waited longest, so
they come first in the queue, which is worked oldest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from crm.clock import utc_now
from crm.database import Database
from crm.models import Platform, PostReview
from crm.services.ingestion import Provenance, ingest_posts
from crm.services.matching import ContactMatcher
from crm.services.officers import officer_by_email
from crm.services.posts import CollectedPost
from crm.services.targets import create_search_target
from crm.unit_of_work import unit_of_work
from tests.browser.actors import Officer, sign_in
from tests.browser.conftest import DEMO_EMAIL, has_no_horizontal_scroll, sign_in_quickly

pytestmark = pytest.mark.usefixtures("demo_borough")

ORGANISATION = "Marshby Community Pantry"
PANTRY_FAN = "pantry_fan_marshby"
SPAMMER = "win_prizes_now"


@dataclass(frozen=True)
class Queue:
    review_ids: dict[str, int]
    interaction_ids: dict[str, int]


def _post(number: int, handle: str, name: str, text: str) -> CollectedPost:
    external_id = str(1_995_000_000_000_000_000 + number)
    return CollectedPost(
        platform=Platform.X,
        external_id=external_id,
        author_platform_id=str(4_242_000_000 + number),
        author_handle=handle,
        text=text,
        created_at=utc_now() - timedelta(minutes=30 - 10 * number),
        url=f"https://x.com/{handle}/status/{external_id}",
        raw={"author": {"name": name}},
    )


@pytest.fixture
def queue(database: Database) -> Queue:
    """Two posts from authors who are not contacts, as a listening query would store them."""
    posts = [
        _post(1, SPAMMER, "Prize Draw", "Win a free phone! Click https://example.com/prize"),
        _post(
            2,
            PANTRY_FAN,
            "Marshby Pantry Fan",
            "The Marshby pantry saved my week. Thank you to the volunteers",
        ),
    ]
    with unit_of_work(database.session_factory) as session:
        officer = officer_by_email(session, DEMO_EMAIL)
        target = create_search_target(
            session,
            name="Food support in Marshby",
            query="marshby pantry OR foodbank",
            purpose="Find out where residents look for food support",
            created_by_id=officer.id,
        )
        result = ingest_posts(
            session,
            posts,
            matcher=ContactMatcher.load(session, Platform.X),
            provenance=Provenance(
                review_reason="Found by the listening query “Food support in Marshby”",
                target_id=target.id,
            ),
        )
        assert result.sent_to_review == 2
        interaction_ids = {p.author_handle: result.interaction_ids[p.external_id] for p in posts}
        review_ids = {}
        for number, (handle, interaction_id) in enumerate(interaction_ids.items()):
            review = session.scalars(
                select(PostReview).where(PostReview.interaction_id == interaction_id)
            ).one()
            review.created_at = utc_now() - timedelta(days=60 - number)
            review_ids[handle] = review.id
    return Queue(review_ids=review_ids, interaction_ids=interaction_ids)


def test_triaging_the_review_queue(officer: Officer, queue: Queue) -> None:
    sign_in(officer)
    page = officer.page

    officer.follow(page.get_by_role("link", name=re.compile(r"^Posts to review \(\d+\)$")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts to review")
    expect(page.get_by_role("status")).to_contain_text("posts waiting, oldest first")
    headings = page.get_by_role("heading", level=2)
    expect(headings.nth(0)).to_contain_text(f"@{SPAMMER}")
    expect(headings.nth(1)).to_contain_text(f"@{PANTRY_FAN}")
    expect(page.get_by_text("Find out where residents look for food support").first).to_be_visible()

    officer.submit(page.get_by_role("button", name=f"Dismiss the post by @{SPAMMER}"))
    expect(page.get_by_text("Post dismissed. It will not come back to this list")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Post by @{SPAMMER}")).to_have_count(0)

    officer.follow(page.get_by_role("button", name=f"Review the post by @{PANTRY_FAN}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"@{PANTRY_FAN}")
    officer.type_into(page.get_by_label("Search for a contact by name or email"), "pantry")
    officer.submit(page.get_by_role("button", name="Search", exact=True))
    expect(page.get_by_role("status")).to_contain_text("matching ‘pantry’")
    officer.choose_radio(page.get_by_label(ORGANISATION, exact=True))
    officer.submit(page.get_by_role("button", name="Link post"))

    expect(page.get_by_text(f"Post linked to {ORGANISATION}")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Post by @{PANTRY_FAN}")).to_have_count(0)

    officer.follow(page.get_by_role("link", name="Contacts", exact=True))
    officer.type_into(page.get_by_label("Search by name or email"), "pantry")
    officer.submit(page.get_by_role("button", name="Search"))
    officer.follow(page.get_by_role("link", name=ORGANISATION))
    officer.follow(page.get_by_role("link", name=f"About this post by @{PANTRY_FAN}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"@{PANTRY_FAN}")
    expect(page.get_by_text("Linked by an officer")).to_be_visible()
    expect(page.get_by_text("Food support in Marshby", exact=True)).to_be_visible()


def test_the_review_pages_reflow_at_320_pixels(
    browser: Browser, live_server: str, queue: Queue
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in_quickly(page, live_server)
    review_id = queue.review_ids[PANTRY_FAN]
    paths = [
        "/review",
        f"/review/{review_id}?q=pantry",
        f"/posts/{queue.interaction_ids[PANTRY_FAN]}",
    ]
    too_wide = []
    for path in paths:
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if not has_no_horizontal_scroll(page):
            too_wide.append(path)
    context.close()
    assert too_wide == []


def test_the_review_pages_work_without_javascript(
    page_without_javascript: Page, live_server: str, queue: Queue
) -> None:
    page = page_without_javascript
    sign_in_quickly(page, live_server)
    page.goto(f"{live_server}/review/{queue.review_ids[PANTRY_FAN]}")
    page.get_by_label("Search for a contact by name or email").fill("pantry")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_label(ORGANISATION, exact=True).check()
    page.get_by_role("button", name="Link post").click()

    expect(page.get_by_text(f"Post linked to {ORGANISATION}")).to_be_visible()
