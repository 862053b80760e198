"""A contact's timeline: posts, logged interactions and follow-ups in one stream, a page at a
time, filtered, and with an organisation's people when asked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crm.models import FollowUp, FollowUpStatus, Interaction, InteractionKind, Platform
from crm.sentiment import SentimentLabel
from crm.services import timeline
from crm.services.ingestion import store_collected_post
from crm.services.timeline import TimelineFilters, timeline_page
from tests import factories

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def labels(items) -> list[str]:
    return [item.note if isinstance(item, FollowUp) else item.text for item in items]


def every_page(session, contact, viewer, per_page: int, **options) -> list[list[str]]:
    """Follows the "Older" cursor from the newest page to the last."""
    pages, cursor = [], None
    while True:
        page = timeline_page(
            session, contact, viewer=viewer, cursor=cursor, per_page=per_page, **options
        )
        pages.append(labels(page.items))
        assert page.is_newest == (cursor is None)
        cursor = page.older_cursor
        if cursor is None:
            return pages


def done(follow_up: FollowUp, at: datetime) -> FollowUp:
    follow_up.status = FollowUpStatus.DONE
    follow_up.completed_at = at
    return follow_up


def test_posts_interactions_and_follow_ups_make_one_stream_newest_first(session) -> None:
    group = factories.organisation(session, "Riverside Arts Collective")
    other = factories.organisation(session, "Marshby Sea Scouts")
    me = factories.officer(session)
    factories.logged_interaction(session, [group], when=START, note="a coffee")
    store_collected_post(
        session, factories.post(text="a post", created_at=START + timedelta(days=1)), [group.id]
    )
    factories.follow_up(session, group, due_on=date(2026, 3, 5), assignee=me, note="due on 5th")
    done(
        factories.follow_up(session, group, due_on=date(2026, 3, 1), assignee=me, note="done"),
        START + timedelta(days=5),
    )
    dismissed = factories.follow_up(session, group, due_on=date(2026, 3, 4), assignee=me)
    dismissed.status = FollowUpStatus.DISMISSED
    factories.logged_interaction(session, [other], when=START, note="someone else's")
    session.flush()

    page = timeline_page(session, group, viewer=me)

    # The done follow-up sits when it was done (7 March), the open one on its due date.
    assert labels(page.items) == ["done", "due on 5th", "a post", "a coffee"]
    assert page.older_cursor is None and page.is_newest


@pytest.mark.parametrize("walk", [False, True], ids=["sorting", "walking"])
def test_paging_by_cursor_misses_and_repeats_nothing_even_among_ties(
    session, monkeypatch, walk
) -> None:
    if walk:  # the way a busy contact's pages are found, with a walk that gives up early
        monkeypatch.setattr(timeline, "BUSY_LINKS", 1)
        monkeypatch.setattr(timeline, "WALK_LIMIT", 3)
    group = factories.organisation(session)
    me = factories.officer(session)
    noon = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    for n in range(7):  # seven things logged for the very same moment
        factories.logged_interaction(session, [group], when=noon, note=f"tie {n}")
    for n in range(5):
        factories.logged_interaction(session, [group], when=START - timedelta(days=n), note=str(n))
    done(factories.follow_up(session, group, due_on=START.date(), assignee=me, note="fu"), noon)
    factories.follow_up(session, group, due_on=date(2026, 3, 2), assignee=me, note="due 2nd")
    factories.logged_interaction(session, [factories.organisation(session, "X")], when=noon)
    session.flush()

    pages = every_page(session, group, me, per_page=3)

    flat = [label for page in pages for label in page]
    ties = [f"tie {n}" for n in reversed(range(7))]
    # At one moment interactions come before follow-ups; an open follow-up sits at midnight
    # UTC on its due date.
    assert flat == [*ties, "fu", "0", "due 2nd", "1", "2", "3", "4"]
    assert [len(page) for page in pages] == [3, 3, 3, 3, 2]


def test_the_walk_and_the_sort_find_the_same_page_for_a_busy_contact(session, monkeypatch) -> None:
    group = factories.organisation(session)
    other = factories.organisation(session, "Someone else")
    me = factories.officer(session)
    for n in range(40):
        mine = n % 3 == 0
        factories.logged_interaction(
            session, [group if mine else other], when=START + timedelta(hours=n), note=str(n)
        )
    session.flush()
    sorted_pages = every_page(session, group, me, per_page=4)

    monkeypatch.setattr(timeline, "BUSY_LINKS", 2)
    monkeypatch.setattr(timeline, "WALK_LIMIT", 5)

    assert every_page(session, group, me, per_page=4) == sorted_pages
    assert sorted_pages[0] == ["39", "36", "33", "30"]


def test_a_mangled_cursor_starts_from_the_newest(session) -> None:
    group = factories.organisation(session)
    factories.logged_interaction(session, [group], when=START, note="only")
    me = factories.officer(session)

    for cursor in ("", "nonsense", "20261399T250000.000000-1-1", "20260101T000000.000000-7-1"):
        page = timeline_page(session, group, viewer=me, cursor=cursor)
        assert labels(page.items) == ["only"] and page.is_newest


def test_filters_by_kind_platform_officer_and_sentiment(session) -> None:
    group = factories.organisation(session)
    alice = factories.officer(session, name="Alice")
    bob = factories.officer(session, name="Bob")
    factories.logged_interaction(
        session, [group], when=START, note="alice's call", kind=InteractionKind.CALL, by=alice
    )
    factories.logged_interaction(
        session, [group], when=START, note="bob's meeting", kind=InteractionKind.MEETING, by=bob
    )
    happy = store_collected_post(
        session,
        factories.post(text="Wonderful, brilliant, thank you!", created_at=START),
        [group.id],
    )
    store_collected_post(
        session, factories.post(text="Awful, terrible news.", created_at=START), [group.id]
    )
    factories.follow_up(session, group, due_on=date(2026, 3, 9), assignee=bob, note="bob's fu")
    session.flush()

    def shown(**filters) -> set[str]:
        page = timeline_page(session, group, viewer=alice, filters=TimelineFilters(**filters))
        return set(labels(page.items))

    assert shown(kinds=frozenset({"call"})) == {"alice's call"}
    assert shown(kinds=frozenset({"follow_up"})) == {"bob's fu"}
    assert shown(kinds=frozenset({"post"})) == {
        "Wonderful, brilliant, thank you!",
        "Awful, terrible news.",
    }
    assert shown(officer_id=bob.id) == {"bob's meeting", "bob's fu"}
    assert shown(platform=Platform.X) == {
        "Wonderful, brilliant, thank you!",
        "Awful, terrible news.",
    }
    assert shown(platform=Platform.MASTODON) == set()
    assert shown(sentiment=SentimentLabel.NEGATIVE) == {"Awful, terrible news."}
    # An officer's reading of a post wins over TextBlob's.
    session.get(Interaction, happy.interaction_id).sentiment_override = "negative"
    session.flush()
    assert shown(sentiment=SentimentLabel.NEGATIVE) == {
        "Wonderful, brilliant, thank you!",
        "Awful, terrible news.",
    }
    assert shown(sentiment=SentimentLabel.POSITIVE) == set()


def test_dates_are_london_days_across_the_clock_change(session) -> None:
    group = factories.organisation(session)
    me = factories.officer(session)
    # 23:30 UTC on Saturday 26 October 2024 is already Sunday in London (BST).
    factories.logged_interaction(
        session, [group], when=datetime(2024, 10, 26, 23, 30, tzinfo=UTC), note="sunday, early"
    )
    factories.logged_interaction(
        session, [group], when=datetime(2024, 10, 26, 22, 30, tzinfo=UTC), note="saturday, late"
    )
    factories.logged_interaction(
        session, [group], when=datetime(2024, 10, 27, 23, 59, tzinfo=UTC), note="sunday, last"
    )
    factories.logged_interaction(
        session, [group], when=datetime(2024, 10, 28, 0, 0, tzinfo=UTC), note="monday"
    )
    factories.follow_up(session, group, due_on=date(2024, 10, 27), assignee=me, note="due sunday")
    factories.follow_up(session, group, due_on=date(2024, 10, 26), assignee=me, note="due saturday")
    session.flush()

    sunday = TimelineFilters(since=date(2024, 10, 27), until=date(2024, 10, 27))
    page = timeline_page(session, group, viewer=me, filters=sunday)

    # The follow-up sits at midnight UTC on its day, which is 1am on Sunday in London.
    assert labels(page.items) == ["sunday, last", "due sunday", "sunday, early"]
    backwards = TimelineFilters(since=date(2024, 10, 28), until=date(2024, 10, 27))
    assert timeline_page(session, group, viewer=me, filters=backwards).items == []


def test_an_organisations_timeline_can_include_its_current_people(session) -> None:
    group = factories.organisation(session, "Saltings Lunch Club")
    me = factories.officer(session)
    chair = factories.person(session, "Cara Chair", member_of=group)
    former = factories.person(session, "Fran Former", member_of=group)
    former.affiliations[0].ended_on = date(2025, 1, 1)
    private = factories.person(session, "Pat Private", member_of=group)
    private.is_restricted = True
    private.owner = factories.officer(session, name="Someone else")
    factories.logged_interaction(session, [group], when=START, note="the club's own")
    factories.logged_interaction(session, [chair], when=START + timedelta(hours=1), note="chair")
    factories.logged_interaction(
        session, [chair, group], when=START + timedelta(hours=2), note="both"
    )
    factories.logged_interaction(session, [former], when=START, note="former member")
    factories.logged_interaction(session, [private], when=START, note="private")
    factories.follow_up(session, chair, due_on=date(2026, 3, 1), assignee=me, note="chair's fu")
    session.flush()

    own = timeline_page(session, group, viewer=me)
    with_people = timeline_page(
        session, group, viewer=me, filters=TimelineFilters(include_people=True)
    )
    of_a_person = timeline_page(
        session, chair, viewer=me, filters=TimelineFilters(include_people=True)
    )

    assert labels(own.items) == ["both", "the club's own"]
    assert labels(with_people.items) == ["both", "chair", "the club's own", "chair's fu"]
    assert labels(of_a_person.items) == ["both", "chair", "chair's fu"]


def test_items_involving_someone_hidden_from_the_viewer_are_left_out(session) -> None:
    group = factories.organisation(session)
    outsider = factories.officer(session, name="Outsider")
    owner = factories.officer(session, name="Owner")
    private = factories.person(session, "Pat Private")
    private.is_restricted = True
    private.owner = owner
    orphan = factories.person(session, "Orphaned Private")
    orphan.is_restricted = True  # its owner left: hidden from everyone but governance
    factories.logged_interaction(session, [group], when=START, note="open")
    sensitive = factories.logged_interaction(
        session, [group, private], when=START + timedelta(hours=1), note="with pat"
    )
    factories.logged_interaction(session, [group, orphan], when=START, note="with the orphan")
    item = factories.follow_up(session, group, due_on=date(2026, 3, 3), assignee=owner, note="x")
    item.interaction_id = sensitive.id
    session.flush()

    assert labels(timeline_page(session, group, viewer=outsider).items) == ["open"]
    assert labels(timeline_page(session, group, viewer=owner).items) == ["x", "with pat", "open"]
