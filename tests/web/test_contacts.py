"""Finding contacts and reading their timelines through the browser's eyes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm.database import Database
from crm.services.ingestion import store_collected_post
from crm.unit_of_work import unit_of_work
from tests import factories


def test_the_contact_list_searches_by_name(client, officers, database: Database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        factories.organisation(session, "Brackenford Food Bank")
        factories.organisation(session, "Marshby Sea Scouts")

    everyone = client.get("/contacts/").get_data(as_text=True)
    found = client.get("/contacts/?q=food").get_data(as_text=True)

    assert "Brackenford Food Bank" in everyone and "Marshby Sea Scouts" in everyone
    assert "Brackenford Food Bank" in found
    assert "Marshby Sea Scouts" not in found
    assert "1 contact matching" in found


def test_a_contact_page_shows_the_timeline_newest_first(client, officers, database) -> None:
    officers.signed_in()
    start = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Riverside Arts Collective")
        factories.logged_interaction(session, [group], when=start, note="Older coffee")
        store_collected_post(
            session,
            factories.post(
                text="Newest post about our gallery", created_at=start + timedelta(days=3)
            ),
            [group.id],
        )
        group_id = group.id

    page = client.get(f"/contacts/{group_id}").get_data(as_text=True)

    assert "Riverside Arts Collective" in page
    assert page.index("Newest post about our gallery") < page.index("Older coffee")
    # Shown in UK time with its zone: 10am BST on 4 May.
    assert "Monday 4 May 2026, 10:00am BST" in page


def test_an_unknown_contact_is_a_friendly_404(client, officers) -> None:
    officers.signed_in()
    response = client.get("/contacts/99999")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_collected_text_is_inert_and_only_web_links_are_clickable(
    client, officers, database
) -> None:
    officers.signed_in()
    payload = (
        '<script>alert("x")</script> <img src=x onerror=alert(1)> '
        "see https://example.org/page. and javascript:alert(1)"
    )
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, '<b onmouseover="alert(1)">Bold Group</b>')
        store_collected_post(
            session,
            factories.post(text=payload, url="javascript:alert(document.cookie)"),
            [group.id],
        )
        group_id = group.id

    page = client.get(f"/contacts/{group_id}").get_data(as_text=True)

    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b onmouseover" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert 'href="https://example.org/page"' in page
    assert 'href="javascript:' not in page


def test_odd_page_numbers_and_search_text_never_break_the_list(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session, "Brackenford Food Bank").id

    for query in ("page=99999999999999999999", "page=-5", "page=abc", "kind=robot", "q=%00food"):
        response = client.get(f"/contacts/?{query}")
        assert response.status_code == 200, query
        assert "Brackenford Food Bank" in response.get_data(as_text=True), query
    assert client.get(f"/contacts/{group_id}?page=99999999999999999999").status_code == 200
