"""A collection run end to end: tweepy's real code against X's wire format, our real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import responses
from sqlalchemy import func, select

from collectors import pipeline
from collectors.sources.base import Page, TargetSpec, Window
from crm.database import Database
from crm.models import (
    CollectionSource,
    CollectionTarget,
    CollectorCursor,
    CollectorRun,
    HandleChange,
    Interaction,
    Platform,
    PostCollection,
    PostReview,
    QuarantinedItem,
    RunStatus,
    SocialAccount,
    interaction_contacts,
)
from crm.services import collection
from crm.unit_of_work import unit_of_work
from tests.collectors import x_wire as wire
from tests.collectors.listening import (
    COUNCIL_ID,
    GROUP_ID,
    STRANGER_ID,
    Listening,
    set_up_listening,
    x_source,
)


@pytest.fixture
def listening(database: Database) -> Listening:
    return set_up_listening(database)


def mention(post_id: str, author: str = STRANGER_ID, text: str = "@BrackenfordBC hello"):
    return wire.tweet(post_id, text, author, mentions=[(COUNCIL_ID, "BrackenfordBC")])


PEOPLE = [
    wire.user(STRANGER_ID, "stranger", "A Stranger"),
    wire.user(GROUP_ID, "millbrookfood", "Millbrook Food Bank"),
    wire.user(COUNCIL_ID, "BrackenfordBC", "Brackenford Borough Council"),
]


def count(database: Database, model) -> int:
    with unit_of_work(database.session_factory) as session:
        return session.scalar(select(func.count()).select_from(model))


def cursor(database: Database, target_id: int) -> CollectorCursor:
    with unit_of_work(database.session_factory) as session:
        return session.scalar(select(CollectorCursor).where(CollectorCursor.target_id == target_id))


def run_row(database: Database, run_id: int) -> CollectorRun:
    with unit_of_work(database.session_factory) as session:
        return session.get(CollectorRun, run_id)


def test_a_run_stores_matches_and_queues_every_page(database, listening):
    with responses.RequestsMock() as api:
        wire.respond_mentions(
            api,
            COUNCIL_ID,
            wire.page([mention("30"), mention("29", GROUP_ID)], PEOPLE, next_token="t1"),
            wire.page([mention("28")], PEOPLE),
        )
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
        sent = wire.sent_params(api)
    assert outcome.status is RunStatus.OK
    assert "since_id" not in sent[0]
    assert sent[1]["pagination_token"] == "t1"
    run = run_row(database, outcome.run_id)
    assert (run.pages, run.fetched, run.new, run.duplicates) == (2, 3, 3, 0)
    assert cursor(database, listening.mentions_target_id).since_id == "30"
    with unit_of_work(database.session_factory) as session:
        links = set(
            session.execute(
                select(
                    Interaction.external_id,
                    interaction_contacts.c.contact_id,
                    interaction_contacts.c.evidence,
                ).join(interaction_contacts)
            )
        )
        queued = set(session.scalars(select(Interaction.external_id).join(PostReview)))
        collected_by = set(session.scalars(select(PostCollection.target_id)))
    assert ("29", listening.group_id, "author") in links
    assert ("30", listening.council_id, "mention") in links
    # Strangers mentioning the council wait for an officer; the food bank is a known author.
    assert queued == {"30", "28"}
    assert collected_by == {listening.mentions_target_id}


def test_the_next_run_reads_from_the_cursor_and_never_duplicates(database, listening):
    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, wire.page([mention("30"), mention("29")], PEOPLE))
        pipeline.collect(database, listening.mentions_target_id, x_source())
    with responses.RequestsMock() as api:
        wire.respond_mentions(
            api,
            COUNCIL_ID,
            # X repeats a post within and across pages now and then.
            wire.page([mention("32"), mention("31"), mention("31")], PEOPLE, next_token="t"),
            wire.page([mention("30")], PEOPLE),
        )
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
        assert wire.sent_params(api)[0]["since_id"] == "30"
    run = run_row(database, outcome.run_id)
    assert (run.fetched, run.new, run.duplicates) == (4, 2, 2)
    assert count(database, Interaction) == 4
    assert cursor(database, listening.mentions_target_id).since_id == "32"


def test_an_empty_page_finishes_the_run_and_leaves_the_cursor(database, listening):
    with responses.RequestsMock() as api:
        wire.respond_search(api, wire.empty_page())
        outcome = pipeline.collect(database, listening.search_target_id, x_source())
    assert outcome.status is RunStatus.OK
    assert run_row(database, outcome.run_id).pages == 1
    assert cursor(database, listening.search_target_id).since_id is None


def test_a_rate_limit_pauses_the_target_keeps_the_page_and_fills_the_gap_later(database, listening):
    reset = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=12)
    with responses.RequestsMock() as api:
        wire.respond_mentions(
            api,
            COUNCIL_ID,
            wire.page([mention("50"), mention("49")], PEOPLE, next_token="t"),
            wire.rate_limited(reset),
        )
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
    assert outcome.status is RunStatus.PARTIAL
    assert count(database, Interaction) == 2
    state = cursor(database, listening.mentions_target_id)
    assert (state.since_id, state.pending_newest, state.pending_oldest) == (None, "50", "49")
    with unit_of_work(database.session_factory) as session:
        target = session.get(CollectionTarget, listening.mentions_target_id)
        assert target.paused_until == reset
        skipped = pipeline.collect(database, target.id, x_source())
        assert skipped.status is RunStatus.SKIPPED
        target = session.get(CollectionTarget, listening.mentions_target_id)
        target.paused_until = None

    with responses.RequestsMock() as api:
        wire.respond_mentions(
            api,
            COUNCIL_ID,
            wire.page([mention("48"), mention("47")], PEOPLE),  # the gap below 49
            wire.page([mention("52"), mention("51")], PEOPLE),  # what is new since 50
        )
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
        sent = wire.sent_params(api)
    assert outcome.status is RunStatus.OK
    assert sent[0]["until_id"] == "49" and "since_id" not in sent[0]
    assert sent[1]["since_id"] == "50" and "until_id" not in sent[1]
    state = cursor(database, listening.mentions_target_id)
    assert (state.since_id, state.pending_newest, state.pending_oldest) == ("52", None, None)
    assert count(database, Interaction) == 6


def test_a_crash_between_fetch_and_commit_loses_and_duplicates_nothing(
    database, listening, monkeypatch
):
    pages = [
        wire.page([mention("62"), mention("61")], PEOPLE, next_token="t"),
        wire.page([mention("60"), mention("59")], PEOPLE),
    ]
    real_ingest = pipeline.ingest_posts
    calls = []

    def dies_on_the_second_page(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("the database went away mid-run")
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(pipeline, "ingest_posts", dies_on_the_second_page)
    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, *pages)
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
    assert outcome.status is RunStatus.FAILED
    assert count(database, Interaction) == 2
    monkeypatch.setattr(pipeline, "ingest_posts", real_ingest)

    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, pages[1], wire.empty_page())
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
    assert outcome.status is RunStatus.OK
    with unit_of_work(database.session_factory) as session:
        ids = sorted(session.scalars(select(Interaction.external_id)))
    assert ids == ["59", "60", "61", "62"]
    assert cursor(database, listening.mentions_target_id).since_id == "62"


def test_a_malformed_page_fails_the_run_quarantines_it_and_keeps_the_cursor(database, listening):
    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, wire.page([mention("70")], PEOPLE))
        pipeline.collect(database, listening.mentions_target_id, x_source())
    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, wire.Reply(200, '{"data": [{"id": "71", "te'))
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
    assert outcome.status is RunStatus.FAILED
    assert cursor(database, listening.mentions_target_id).since_id == "70"
    with unit_of_work(database.session_factory) as session:
        item = session.scalars(select(QuarantinedItem)).one()
    assert item.scope == "page"
    assert item.payload == '{"data": [{"id": "71", "te'
    assert item.run_id == outcome.run_id


def test_one_bad_item_is_quarantined_and_the_rest_of_the_page_is_stored(database, listening):
    bad = wire.tweet("80", "no date", STRANGER_ID, created_at="yesterday-ish")
    with responses.RequestsMock() as api:
        wire.respond_search(api, wire.page([mention("81"), bad, mention("79")], PEOPLE))
        outcome = pipeline.collect(database, listening.search_target_id, x_source())
    assert outcome.status is RunStatus.OK
    run = run_row(database, outcome.run_id)
    assert (run.fetched, run.new, run.quarantined) == (3, 2, 1)
    with unit_of_work(database.session_factory) as session:
        item = session.scalars(select(QuarantinedItem)).one()
    assert '"id": "80"' in item.payload and "yesterday-ish" in item.payload
    assert cursor(database, listening.search_target_id).since_id == "81"


def test_partial_errors_in_a_successful_page_are_counted(database, listening):
    body = wire.page([mention("90")], PEOPLE, errors=[wire.post_not_found("89")])
    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, body)
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
    assert outcome.status is RunStatus.OK
    assert run_row(database, outcome.run_id).partial_errors == 1


def test_a_usage_cap_pauses_the_whole_source_until_next_month(database, listening):
    with responses.RequestsMock() as api:
        wire.respond_search(api, wire.Reply(429, wire.usage_capped()))
        outcome = pipeline.collect(database, listening.search_target_id, x_source())
    assert outcome.status is RunStatus.PARTIAL
    with unit_of_work(database.session_factory) as session:
        source = session.scalars(select(CollectionSource)).one()
        assert source.needs_attention
        assert source.paused_until == collection.next_month_start(datetime.now(UTC))
    # Every target on the platform now waits, without asking X again.
    skipped = pipeline.collect(database, listening.mentions_target_id, x_source())
    assert skipped.status is RunStatus.SKIPPED


def test_refused_credentials_stop_the_source_until_an_admin_acts(database, listening):
    with responses.RequestsMock() as api:
        wire.respond_mentions(api, COUNCIL_ID, wire.unauthorized())
        outcome = pipeline.collect(database, listening.mentions_target_id, x_source())
        assert len(api.calls) == 1
    assert outcome.status is RunStatus.FAILED
    assert "401" in outcome.error
    assert pipeline.collect(database, listening.search_target_id, x_source()).status is (
        RunStatus.SKIPPED
    )
    with unit_of_work(database.session_factory) as session:
        collection.resume_source(session, Platform.X, officer_id=None)
    with responses.RequestsMock() as api:
        wire.respond_search(api, wire.empty_page())
        assert pipeline.collect(database, listening.search_target_id, x_source()).status is (
            RunStatus.OK
        )


def test_server_errors_are_retried_then_fail_the_run(database, listening):
    sleeps: list[float] = []
    with responses.RequestsMock() as api:
        wire.respond_search(api, wire.server_error(503))
        outcome = pipeline.collect(database, listening.search_target_id, x_source(sleeps))
    assert outcome.status is RunStatus.FAILED
    assert sleeps and sleeps == sorted(sleeps)
    with responses.RequestsMock() as api:
        wire.respond_search(api, wire.server_error(503), wire.page([mention("95")], PEOPLE))
        assert pipeline.collect(database, listening.search_target_id, x_source()).status is (
            RunStatus.OK
        )


def test_the_monthly_budget_limits_each_page_and_stops_before_overspending(database, listening):
    with unit_of_work(database.session_factory) as session:
        collection.set_monthly_cap(session, Platform.X, 15, officer_id=None)
    with responses.RequestsMock() as api:
        wire.respond_search(
            api, wire.page([mention(str(id)) for id in range(200, 185, -1)], PEOPLE, next_token="t")
        )
        outcome = pipeline.collect(database, listening.search_target_id, x_source())
        assert [params["max_results"] for params in wire.sent_params(api)] == ["15"]
    assert outcome.status is RunStatus.PARTIAL
    assert "budget" in outcome.error
    with unit_of_work(database.session_factory) as session:
        assert collection.reads_this_month(session, Platform.X) == 15
    again = pipeline.collect(database, listening.search_target_id, x_source())
    assert again.status is RunStatus.SKIPPED
    assert "budget" in again.error


def test_a_run_finding_the_previous_one_still_going_is_recorded_as_skipped(database, listening):
    with unit_of_work(database.session_factory) as session:
        collection.start_run(
            session, platform=Platform.X, target_id=listening.search_target_id, name="earlier"
        )
    outcome = pipeline.collect(database, listening.search_target_id, x_source())
    assert outcome.status is RunStatus.SKIPPED
    assert outcome.error == "The previous run was still going"


def test_a_renamed_account_is_followed_by_its_id_and_keeps_its_history(database, listening):
    renamed = wire.user(GROUP_ID, "millbrook_pantry", "Millbrook Pantry")
    with responses.RequestsMock() as api:
        wire.respond_timeline(
            api, GROUP_ID, wire.page([wire.tweet("99", "Open today", GROUP_ID)], [renamed])
        )
        pipeline.collect(database, listening.group_target_id, x_source())
    with unit_of_work(database.session_factory) as session:
        account = session.get(SocialAccount, listening.group_account_id)
        change = session.scalars(select(HandleChange)).one()
        linked = session.scalar(select(func.count()).select_from(interaction_contacts))
    assert account.handle == "millbrook_pantry"
    assert (change.old_handle, change.new_handle) == ("millbrookfood", "millbrook_pantry")
    assert linked == 1


def test_sources_see_only_a_plain_description_of_the_target(listening, database):
    seen: list[tuple[TargetSpec, Window]] = []

    class RecordingSource:
        platform = Platform.X

        def pages(self, target, window, page_size):
            seen.append((target, window))
            yield Page(items=[])

        def normalise(self, item, page):
            raise AssertionError("no items were sent")

    pipeline.collect(database, listening.search_target_id, RecordingSource())
    assert seen == [(TargetSpec(kind=seen[0][0].kind, query='"warm space"'), Window())]
