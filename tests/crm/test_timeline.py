from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crm.services.contacts import search_contacts
from crm.services.ingestion import store_collected_post
from crm.services.timeline import contact_timeline
from tests import factories


def test_the_timeline_is_newest_first_and_only_this_contacts(session) -> None:
    group = factories.organisation(session, "Riverside Arts Collective")
    other = factories.organisation(session, "Marshby Sea Scouts")
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    factories.logged_interaction(session, [group], when=start, note="first")
    store_collected_post(
        session, factories.post(text="second", created_at=start + timedelta(days=1)), [group.id]
    )
    factories.logged_interaction(session, [group], when=start + timedelta(days=2), note="third")
    factories.logged_interaction(session, [other], when=start + timedelta(days=3), note="theirs")

    page = contact_timeline(session, group.id, viewer=factories.officer(session))

    assert [item.text for item in page.items] == ["third", "second", "first"]
    assert page.total == 3


def test_the_timeline_pages_back_without_a_cap(session) -> None:
    group = factories.organisation(session)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for day in range(45):
        factories.logged_interaction(
            session, [group], when=start + timedelta(days=day), note=str(day)
        )

    viewer = factories.officer(session)
    pages = [
        contact_timeline(session, group.id, viewer=viewer, page=n, per_page=20) for n in (1, 2, 3)
    ]

    assert [len(p.items) for p in pages] == [20, 20, 5]
    assert pages[2].items[-1].text == "0"
    assert pages[0].has_next and not pages[2].has_next


def test_search_matches_every_word_in_names_ignoring_case(session) -> None:
    factories.organisation(session, "Brackenford Food Bank")
    factories.organisation(session, "Marshby Community Pantry")
    factories.person(session, "Priya Food")
    factories.organisation(session, "1000 Club")
    factories.organisation(session, "Saltings_Radio")

    me = factories.officer(session)
    names = [c.name for c in search_contacts(session, "food BRACKENFORD", viewer=me).items]
    assert names == ["Brackenford Food Bank"]
    # LIKE wildcards typed by a person are literal characters.
    assert search_contacts(session, "100%", viewer=me).total == 0
    assert [c.name for c in search_contacts(session, "_", viewer=me).items] == ["Saltings_Radio"]
    assert search_contacts(session, "\x00food", viewer=me).total == 2


def test_a_page_number_out_of_range_shows_the_nearest_page(session) -> None:
    for n in range(30):
        factories.organisation(session, f"Group {n:02d}")

    me = factories.officer(session)
    beyond = search_contacts(session, viewer=me, page=10**20, per_page=25)
    before = search_contacts(session, viewer=me, page=-5, per_page=25)

    assert (beyond.number, len(beyond.items)) == (2, 5)
    assert (before.number, len(before.items)) == (1, 25)
