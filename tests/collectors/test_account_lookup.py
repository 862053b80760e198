"""Accounts added by handle alone get their X user id from the scheduler's look-up job:
tweepy's real code against X's wire format, our real database."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import responses
from sqlalchemy import select

from collectors.account_lookup import (
    ACCOUNT_LOOKUP_JOB_ID,
    LookupOutcome,
    look_up_accounts,
)
from collectors.scheduler import build_scheduler
from collectors.sources.x import look_up_handles, make_client
from crm.clock import utc_now
from crm.database import Database
from crm.models import (
    AuditEvent,
    CollectionSource,
    CollectorRun,
    Platform,
    RunStatus,
    SocialAccount,
)
from crm.services import account_lookup, collection
from crm.services.account_lookup import (
    NOT_FOUND,
    ON_ANOTHER_CONTACT,
    ON_THIS_CONTACT,
    SUSPENDED,
    LookupAnswer,
    PlatformUser,
)
from crm.services.matching import ContactMatcher
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.collectors import x_wire as wire


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def look_up(sleeps: list[float]):
    return functools.partial(look_up_handles, make_client("test-bearer-token"), sleep=sleeps.append)


def suspended_user(username: str) -> dict:
    """How X answers a suspended account in a user look-up, beside the users it found."""
    return {
        "value": username,
        "detail": f"User has been suspended: [{username}].",
        "title": "Forbidden",
        "resource_type": "user",
        "parameter": "usernames",
        "resource_id": username,
        "type": wire.NOT_FOUND_TYPE,
    }


def add_by_handle(database: Database, handle: str, contact_name: str = "Millbrook Food Bank"):
    """An account as an officer adds it knowing only the handle: no user id yet."""
    with unit_of_work(database.session_factory) as session:
        contact = factories.organisation(session, contact_name)
        account = SocialAccount(
            contact_id=contact.id, platform=Platform.X, handle=handle, is_official=True
        )
        session.add(account)
        session.flush()
        return account.id, contact.id


def account_row(database: Database, account_id: int) -> SocialAccount:
    with unit_of_work(database.session_factory) as session:
        return session.get(SocialAccount, account_id)


def lookup_runs(database: Database) -> list[CollectorRun]:
    with unit_of_work(database.session_factory) as session:
        return list(
            session.scalars(
                select(CollectorRun)
                .where(CollectorRun.target == account_lookup.LOOKUP_RUN_NAME)
                .order_by(CollectorRun.id)
            )
        )


def asked_for(api: responses.RequestsMock) -> list[list[str]]:
    return [params["usernames"].split(",") for params in wire.sent_params(api, wire.USERS_BY_URL)]


def run(database: Database, look_up) -> LookupOutcome:
    outcome = look_up_accounts(database, look_up)
    assert outcome is not None
    return outcome


# Finding accounts --------------------------------------------------------------------------


def test_an_account_added_by_handle_gets_its_id_and_the_handles_proper_case(
    database, api, look_up
) -> None:
    food_bank, contact_id = add_by_handle(database, "millbrookfood")
    youth, _ = add_by_handle(database, "@NorthgateYouth", "Northgate Youth Hub")
    wire.respond_users_by(
        api,
        wire.users_page([wire.user("201", "MillbrookFood"), wire.user("202", "northgateyouth")]),
    )

    outcome = run(database, look_up)

    assert asked_for(api) == [["millbrookfood", "NorthgateYouth"]]
    assert (
        account_row(database, food_bank).platform_user_id,
        account_row(database, food_bank).handle,
    ) == ("201", "MillbrookFood")
    assert account_row(database, youth).platform_user_id == "202"
    assert account_row(database, youth).handle == "northgateyouth"
    assert outcome.status is RunStatus.OK and outcome.resolved == 2
    (recorded,) = lookup_runs(database)
    assert (recorded.status, recorded.fetched, recorded.new, recorded.error) == (
        RunStatus.OK,
        2,
        2,
        None,
    )
    with unit_of_work(database.session_factory) as session:
        # Posts now match the account by its permanent id.
        matcher = ContactMatcher.load(session, Platform.X)
        assert matcher.links(replace(factories.post(), author_platform_id="201")) == {
            contact_id: "author"
        }
        event = session.scalars(select(AuditEvent).where(AuditEvent.subject_id == contact_id)).one()
        assert event.officer_id is None
        assert event.before["platform_user_id"] is None
        assert event.after == {
            "platform": "x",
            "platform_user_id": "201",
            "handle": "MillbrookFood",
        }


def test_handles_are_looked_up_a_hundred_at_a_time(database, api, look_up) -> None:
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session, "Many accounts")
        for n in range(150):
            session.add(SocialAccount(contact_id=group.id, platform=Platform.X, handle=f"g{n}"))
    wire.respond_users_by(
        api,
        wire.users_page([wire.user(str(1000 + n), f"g{n}") for n in range(100)]),
        wire.users_page([wire.user(str(1000 + n), f"g{n}") for n in range(100, 150)]),
    )

    outcome = run(database, look_up)

    assert [len(batch) for batch in asked_for(api)] == [100, 50]
    assert outcome.resolved == 150
    (recorded,) = lookup_runs(database)
    assert (recorded.pages, recorded.fetched, recorded.new) == (2, 150, 150)


def test_with_nothing_waiting_nothing_is_asked_or_recorded(database, api, look_up) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.account(session, factories.organisation(session), "alreadyknown")

    assert look_up_accounts(database, look_up) is None
    assert len(api.calls) == 0
    assert lookup_runs(database) == []


# Accounts X cannot give ------------------------------------------------------------------


def test_unknown_and_suspended_accounts_are_recorded_and_not_asked_again_at_once(
    database, api, look_up
) -> None:
    found, _ = add_by_handle(database, "ann")
    missing, _ = add_by_handle(database, "nobodyatall", "Nobody Group")
    gone, _ = add_by_handle(database, "banned", "Banned Group")
    wire.respond_users_by(
        api,
        wire.users_page(
            [wire.user("8", "ann")],
            errors=[wire.user_not_found("nobodyatall"), suspended_user("banned")],
        ),
    )

    outcome = run(database, look_up)

    assert outcome.status is RunStatus.OK and outcome.resolved == 1
    assert account_row(database, found).platform_user_id == "8"
    assert account_row(database, missing).platform_user_id is None
    assert account_row(database, missing).lookup_problem == NOT_FOUND
    assert account_row(database, gone).lookup_problem == SUSPENDED
    (recorded,) = lookup_runs(database)
    assert recorded.fetched == 3
    assert recorded.error == "1 not found, 1 suspended"

    # The next run has nothing to ask: the same answer is not paid for every few minutes.
    assert look_up_accounts(database, look_up) is None
    assert len(api.calls) == 1

    # A week later they are asked about again, and an account X now knows is found.
    with unit_of_work(database.session_factory) as session:
        for account_id in (missing, gone):
            account = session.get(SocialAccount, account_id)
            account.lookup_failed_at = utc_now() - account_lookup.ASK_AGAIN_AFTER - timedelta(1)
    wire.respond_users_by(api, wire.users_page([wire.user("9", "banned")]))
    run(database, look_up)
    assert asked_for(api)[-1] == ["nobodyatall", "banned"]
    assert account_row(database, gone).platform_user_id == "9"
    assert account_row(database, gone).lookup_problem is None
    assert account_row(database, missing).lookup_problem == NOT_FOUND


def test_a_handle_that_cannot_be_an_x_username_is_never_sent(database, api, look_up) -> None:
    impossible, _ = add_by_handle(database, "not a handle")

    outcome = run(database, look_up)

    assert len(api.calls) == 0
    assert outcome.status is RunStatus.OK
    assert account_row(database, impossible).lookup_problem == NOT_FOUND
    assert lookup_runs(database)[0].fetched == 0


def test_two_contacts_claiming_one_account_is_reported_without_stopping_the_run(
    database, api, look_up
) -> None:
    # The food bank's account was known as @oldname; it is now @newname, which an officer
    # has just added to another contact. Two more contacts both claim @shared.
    with unit_of_work(database.session_factory) as session:
        holder = factories.organisation(session, "Millbrook Food Bank")
        held = factories.account(session, holder, "oldname")
        held.platform_user_id = "301"
        holder_id = holder.id
    renamed, _ = add_by_handle(database, "newname", "Millbrook Food Bank (duplicate)")
    first, first_contact = add_by_handle(database, "shared", "Shared One")
    second, _ = add_by_handle(database, "SHARED", "Shared Two")
    with unit_of_work(database.session_factory) as session:
        # The same account entered twice on one contact.
        twice = SocialAccount(
            contact_id=first_contact, platform=Platform.X, handle="Shared", is_official=True
        )
        session.add(twice)
        session.flush()
        twice_id = twice.id
    fine, _ = add_by_handle(database, "fine", "Fine Group")
    wire.respond_users_by(
        api,
        wire.users_page(
            [wire.user("301", "NewName"), wire.user("302", "Shared"), wire.user("303", "fine")]
        ),
    )

    outcome = run(database, look_up)

    assert outcome.status is RunStatus.OK
    assert account_row(database, renamed).platform_user_id is None
    assert account_row(database, renamed).lookup_problem == ON_ANOTHER_CONTACT
    assert account_row(database, first).platform_user_id == "302"
    assert account_row(database, second).lookup_problem == ON_ANOTHER_CONTACT
    assert account_row(database, twice_id).lookup_problem == ON_THIS_CONTACT
    assert account_row(database, fine).platform_user_id == "303"
    assert {(c.account_id, c.held_by_contact_id) for c in outcome.clashes} == {
        (renamed, holder_id),
        (second, first_contact),
        (twice_id, first_contact),
    }
    assert lookup_runs(database)[0].error == "3 already on another record"


def test_recording_the_same_answer_twice_changes_nothing_more(database) -> None:
    account_id, _ = add_by_handle(database, "ann")
    answer = LookupAnswer(found={"ann": PlatformUser("8", "Ann")})
    with unit_of_work(database.session_factory) as session:
        first = account_lookup.record_answer(session, [account_id], answer)
    with unit_of_work(database.session_factory) as session:
        second = account_lookup.record_answer(session, [account_id], answer)
        events = session.scalars(select(AuditEvent)).all()

    assert (first.resolved, second.resolved, second.clashes) == (1, 0, [])
    assert len(events) == 1
    assert account_row(database, account_id).handle == "Ann"


# Budget and failures ---------------------------------------------------------------------


def test_look_ups_stay_within_the_monthly_read_budget(database, api, look_up) -> None:
    with unit_of_work(database.session_factory) as session:
        collection.set_monthly_cap(session, Platform.X, 13, officer_id=None)
        session.add(
            CollectorRun(source="x", target="Earlier collection", fetched=10, status=RunStatus.OK)
        )
    for n in range(5):
        add_by_handle(database, f"group{n}", f"Group {n}")
    wire.respond_users_by(
        api, wire.users_page([wire.user(str(400 + n), f"group{n}") for n in range(3)])
    )

    outcome = run(database, look_up)

    assert asked_for(api) == [["group0", "group1", "group2"]]
    assert outcome.status is RunStatus.PARTIAL
    assert "read budget" in (lookup_runs(database)[0].error or "")
    with unit_of_work(database.session_factory) as session:
        assert collection.reads_this_month(session, Platform.X) == 13
    # Nothing is left this month: the next run asks nothing and records nothing.
    assert look_up_accounts(database, look_up) is None
    assert len(api.calls) == 1


def test_nothing_is_asked_while_x_is_paused(database, api, look_up) -> None:
    add_by_handle(database, "ann")
    with unit_of_work(database.session_factory) as session:
        collection.pause_source(session, Platform.X, until=None, reason="Refused credentials")

    assert look_up_accounts(database, look_up) is None
    assert len(api.calls) == 0


@pytest.mark.parametrize(
    ("answer", "status", "pauses"),
    [
        (wire.unauthorized(), RunStatus.FAILED, True),
        (wire.Reply(429, wire.usage_capped()), RunStatus.PARTIAL, True),
        (wire.rate_limited(utc_now() + timedelta(minutes=15)), RunStatus.PARTIAL, False),
        (wire.server_error(), RunStatus.FAILED, False),
    ],
    ids=["credentials refused", "usage cap", "rate limit", "server down"],
)
def test_when_x_refuses_or_fails_the_run_says_so_and_accounts_wait(
    database, api, look_up, answer, status, pauses
) -> None:
    account_id, _ = add_by_handle(database, "ann")
    wire.respond_users_by(api, answer)

    outcome = run(database, look_up)

    assert outcome.status is status
    (recorded,) = lookup_runs(database)
    assert recorded.status is status and recorded.error and recorded.finished_at
    assert recorded.fetched == 0
    assert account_row(database, account_id).platform_user_id is None
    assert account_row(database, account_id).lookup_problem is None  # still waiting
    with unit_of_work(database.session_factory) as session:
        state = session.scalars(select(CollectionSource)).one_or_none()
        assert (state is not None and state.needs_attention) is pauses


# The scheduler -----------------------------------------------------------------------------


def test_the_scheduler_looks_up_handles_only_when_x_is_connected(database, look_up) -> None:
    without = build_scheduler(database, heartbeat_seconds=60)
    with_x = build_scheduler(database, heartbeat_seconds=60, handle_look_up=look_up)

    assert without.get_job(ACCOUNT_LOOKUP_JOB_ID) is None
    job = with_x.get_job(ACCOUNT_LOOKUP_JOB_ID)
    assert job is not None and job.args == (database, look_up)
