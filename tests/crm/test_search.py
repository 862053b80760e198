"""Full-text search: contacts and interaction text, prefix words, hostile input, visibility,
and the index (FTS5 on SQLite, GIN on PostgreSQL) doing the work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from crm.database import is_sqlite
from crm.models import Officer, Person
from crm.services.ingestion import store_collected_post
from crm.services.search import search, search_terms
from tests import factories

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def names(results) -> list[str]:
    return [contact.name for contact in results.contacts.items]


def test_a_prefix_finds_the_whole_word_in_any_case(session: Session) -> None:
    factories.organisation(session, "Brackenford Food Bank")
    factories.organisation(session, "Marshby Community Pantry")
    me = factories.officer(session)

    assert names(search(session, "brack", viewer=me)) == ["Brackenford Food Bank"]
    assert names(search(session, "BRACKENFORD food", viewer=me)) == ["Brackenford Food Bank"]
    assert names(search(session, "pantry brack", viewer=me)) == []


def test_contacts_are_found_by_their_details_not_only_their_name(session: Session) -> None:
    factories.organisation(
        session,
        "Marshby Community Pantry",
        email="hello@marshbypantry.org.uk",
        website="https://www.pantry-marshby.example/about",
        charity_number="1187654",
        companies_house_number="SC012345",
        description="Weekly food parcels and a warm space on Thursdays",
    )
    person = Person(name="Ravi Patel", job_title="Volunteer coordinator")
    session.add(person)
    session.flush()
    me = factories.officer(session)

    for query in ("marshbypantry", "1187654", "sc0123", "warm space", "pantry-marshby"):
        assert names(search(session, query, viewer=me)) == ["Marshby Community Pantry"], query
    assert names(search(session, "coordinator", viewer=me)) == ["Ravi Patel"]


def test_a_match_in_the_name_ranks_above_one_in_the_description(session: Session) -> None:
    factories.organisation(session, "Saltings Lunch Club", description="Hot meals for elders")
    factories.organisation(session, "Anchor Trust", description="Runs the Saltings hall")
    me = factories.officer(session)

    assert names(search(session, "saltings", viewer=me)) == [
        "Saltings Lunch Club",
        "Anchor Trust",
    ]


HOSTILE = [
    '"',
    "'",
    '"unclosed',
    "*",
    "brack*",
    "-",
    "-brack",
    "NEAR",
    "NEAR(brack food)",
    "brack NEAR food",
    ":",
    "name:brack",
    "{name}: brack",
    "AND OR NOT",
    "brack AND",
    "( ) ^ + &|! <-> \\",
    "'; DROP TABLE contacts; --",
    "\x00brack",
    "½ ² ℃",
    "x" * 5000,
    "a " * 500,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_search_syntax_typed_by_a_person_is_never_an_error(session: Session, query: str) -> None:
    factories.organisation(session, "Brackenford Food Bank")
    me = factories.officer(session)

    results = search(session, query, viewer=me)

    words = ("brackenford", "food", "bank")
    terms = search_terms(query)
    every_word_matches = bool(terms) and all(
        any(word.startswith(term) for word in words) for term in terms
    )
    assert names(results) == (["Brackenford Food Bank"] if every_word_matches else [])


def test_an_empty_query_finds_nothing(session: Session) -> None:
    factories.organisation(session)
    me = factories.officer(session)

    for query in ("", "   ", "***", '"-:'):
        assert search(session, query, viewer=me).total == 0


def test_search_terms_are_plain_words() -> None:
    assert search_terms('Brack* -"food" NEAR(x):y') == ["brack", "food", "near", "x", "y"]
    assert search_terms("St. Mary's_Hall") == ["st", "mary", "s", "hall"]


def test_interaction_text_is_found_newest_first(session: Session) -> None:
    group = factories.organisation(session, "Riverside Arts Collective")
    factories.logged_interaction(session, [group], when=WHEN, note="Talked about the mural")
    factories.logged_interaction(
        session, [group], when=WHEN + timedelta(days=1), note="Mural funding bid went in"
    )
    factories.logged_interaction(session, [group], when=WHEN, note="Nothing to see")
    me = factories.officer(session)

    results = search(session, "murals", viewer=me)
    assert results.interactions.total == 0  # a word longer than any in the text
    results = search(session, "mura", viewer=me)

    assert [item.text for item in results.interactions.items] == [
        "Mural funding bid went in",
        "Talked about the mural",
    ]
    assert results.contacts.total == 0


def test_a_collected_post_on_a_timeline_is_found_but_one_on_nobodys_is_not(
    session: Session,
) -> None:
    group = factories.organisation(session)
    store_collected_post(
        session, factories.post(text="Our jumble sale raised £400", created_at=WHEN), [group.id]
    )
    store_collected_post(
        session, factories.post(text="A stranger's jumble sale post", created_at=WHEN), []
    )
    me = factories.officer(session)

    found = search(session, "jumble", viewer=me).interactions.items

    assert [item.text for item in found] == ["Our jumble sale raised £400"]


def test_a_restricted_contact_and_what_was_said_with_them_stay_hidden(session: Session) -> None:
    owner = factories.officer(session, email="owner@council.example")
    outsider = factories.officer(session, email="outsider@council.example")
    person = factories.person(session, "Jo Quillfeather")
    person.is_restricted = True
    person.owner_id = owner.id
    factories.logged_interaction(session, [person], when=WHEN, note="Quillfeather's housing")
    session.flush()

    hidden = search(session, "quillfeather", viewer=outsider)
    seen = search(session, "quillfeather", viewer=owner)

    assert (hidden.contacts.total, hidden.interactions.total) == (0, 0)
    assert (seen.contacts.total, seen.interactions.total) == (1, 1)


def test_the_index_follows_changes_and_deletions(session: Session) -> None:
    group = factories.organisation(session, "Old Name Society")
    note = factories.logged_interaction(session, [group], when=WHEN, note="first draft")
    me = factories.officer(session)

    group.name = "Heronsgate Society"
    note.text = "second version"
    session.flush()
    assert names(search(session, "heronsgate", viewer=me)) == ["Heronsgate Society"]
    assert search(session, "old", viewer=me).total == 0
    assert search(session, "second", viewer=me).interactions.total == 1
    assert search(session, "draft", viewer=me).interactions.total == 0

    session.delete(group)
    session.flush()
    assert search(session, "heronsgate", viewer=me).total == 0


def test_results_come_a_page_at_a_time(session: Session) -> None:
    for number in range(25):
        factories.organisation(session, f"Lunch club {number:02d}")
    me = factories.officer(session)

    first = search(session, "lunch", viewer=me)
    second = search(session, "lunch", viewer=me, page=2)

    assert (len(first.contacts.items), len(second.contacts.items)) == (20, 5)
    assert first.has_next and not second.has_next
    assert {c.id for c in first.contacts.items}.isdisjoint(c.id for c in second.contacts.items)


def _make_many_contacts(session: Session, how_many: int) -> None:
    numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)"
    select_numbers = "SELECT i FROM n"
    if not is_sqlite(session):
        numbers, select_numbers = "", "SELECT i FROM generate_series(1, :count) AS i"
    session.execute(
        text(
            f"{numbers} INSERT INTO contacts (kind, name, is_restricted, created_at, updated_at)"
            f" SELECT 'organisation', 'Group number ' || i, FALSE, CURRENT_TIMESTAMP,"
            f" CURRENT_TIMESTAMP FROM ({select_numbers}) AS numbers"
        ),
        {"count": how_many},
    )
    if not is_sqlite(session):
        session.execute(text("ANALYZE contacts"))


def test_a_search_of_fifty_thousand_contacts_is_answered_from_the_index(
    session: Session,
) -> None:
    _make_many_contacts(session, 50_000)
    factories.organisation(session, "Brackenford Food Bank")
    me: Officer = factories.officer(session)
    statements: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many) -> None:
        statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert names(search(session, "brackenf", viewer=me)) == ["Brackenford Food Bank"]
    finally:
        event.remove(engine, "before_cursor_execute", remember)

    statement, parameters = next(
        (sql, params)
        for sql, params in statements
        if "FROM contacts" in sql and "LIMIT" in sql and "count(" not in sql
    )
    plan = "\n".join(
        str(row)
        for row in session.connection().exec_driver_sql(
            ("EXPLAIN QUERY PLAN " if is_sqlite(session) else "EXPLAIN ") + statement, parameters
        )
    )
    if is_sqlite(session):
        assert "SCAN contacts_fts VIRTUAL TABLE INDEX" in plan, plan
        assert "SEARCH contacts USING INTEGER PRIMARY KEY" in plan, plan
    else:
        assert "ix_contacts_full_text" in plan, plan
        assert "Seq Scan on contacts" not in plan, plan


def test_many_matching_interactions_come_newest_first_a_page_at_a_time(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crm.services import search as search_module

    monkeypatch.setattr(search_module, "MAX_COUNTED", 30)
    group = factories.organisation(session)
    # Recorded in an order unlike the order they happened in.
    days = [(n * 7) % 45 for n in range(45)]
    for day in days:
        factories.logged_interaction(
            session, [group], when=WHEN + timedelta(days=day), note=f"Hall booking {day}"
        )
    factories.logged_interaction(session, [group], when=WHEN, note="Something else")
    me = factories.officer(session)

    first = search(session, "hall", viewer=me)
    second = search(session, "hall", viewer=me, page=2)
    beyond = search(session, "hall", viewer=me, page=5)

    newest = [f"Hall booking {day}" for day in sorted(days, reverse=True)]
    assert [item.text for item in first.interactions.items] == newest[:20]
    assert [item.text for item in second.interactions.items] == newest[20:40]
    # Counting stops just past the cap: "more than 30".
    assert first.interactions.total == 31
    assert beyond.interactions.number == 2
