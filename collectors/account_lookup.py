"""The scheduler's job for X accounts that officers added by handle alone: ask X for their
user ids in batches of 100, within the month's read budget, and record what X said.

Each batch's answer is stored in one transaction with the reads it cost, so a crash between
batches loses nothing: the next run asks only about accounts still waiting. Accounts X does
not know, has suspended, or that another contact already holds are recorded for admins (see
crm.services.account_lookup), not retried at every run, and never stop the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from collectors.sources import x
from collectors.sources.base import (
    CredentialsRefused,
    RateLimited,
    SourceError,
    UsageCapReached,
)
from crm.clock import utc_now
from crm.database import Database
from crm.models import Platform, RunStatus
from crm.services import account_lookup, collection
from crm.services.account_lookup import Clash, LookupAnswer, LookupSummary, PlatformUser
from crm.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

ACCOUNT_LOOKUP_JOB_ID = "account-lookup"
ACCOUNT_LOOKUP_MINUTES = 5
BATCH_SIZE = x.USERS_PER_LOOKUP

# Asks X about up to 100 handles: x.look_up_handles with a client, in the scheduler.
HandleLookUp = Callable[[Sequence[str]], x.HandleLookup]


@dataclass
class LookupOutcome:
    run_id: int
    status: RunStatus = RunStatus.OK
    resolved: int = 0
    clashes: list[Clash] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    asked: set[int] = field(default_factory=set)

    def add(self, summary: LookupSummary) -> None:
        self.resolved += summary.resolved
        self.clashes.extend(summary.clashes)
        problems = summary.problems()
        if problems:
            self.notes.append(problems)


def look_up_accounts(database: Database, look_up: HandleLookUp) -> LookupOutcome | None:
    """Look up every X account waiting for its user id that the budget allows. None when
    there was nothing to ask (or X is paused, or no reads are left): no run is recorded."""
    outcome: LookupOutcome | None = None
    try:
        while (batch := _next_batch(database, outcome)) is not None:
            outcome, accounts = batch
            _look_up_batch(database, outcome, accounts, look_up)
            if outcome.status is not RunStatus.OK:
                break
    except Exception as error:
        if outcome is None:
            raise
        log.exception("Looking up accounts (run %s) failed", outcome.run_id)
        outcome.status = RunStatus.FAILED
        outcome.notes.append(f"Weaver failed: {type(error).__name__}")
    if outcome is not None:
        _finish(database, outcome)
    return outcome


def _next_batch(
    database: Database, outcome: LookupOutcome | None
) -> tuple[LookupOutcome, dict[int, str]] | None:
    with unit_of_work(database.session_factory) as session:
        state = collection.source_state(session, Platform.X)
        if collection.pause_reason(state) is not None:
            return None  # the Listening page already says why X is paused
        left = collection.remaining_reads(session, state)
        size = BATCH_SIZE if left is None else min(BATCH_SIZE, left)
        accounts = account_lookup.accounts_to_look_up(session, Platform.X, limit=max(size, 1))
        if not accounts:
            return None
        if size < 1:
            if outcome is not None:
                outcome.status = RunStatus.PARTIAL
                outcome.notes.append("Stopped at this month's read budget")
            return None
        if outcome is not None and outcome.asked.intersection(a.id for a in accounts):
            return None  # every account asked about leaves the queue; never ask twice a run
        if outcome is None:
            run = account_lookup.start_lookup_run(session, Platform.X)
            outcome = LookupOutcome(run_id=run.id)
        return outcome, {account.id: account.handle for account in accounts}


def _look_up_batch(
    database: Database, outcome: LookupOutcome, accounts: dict[int, str], look_up: HandleLookUp
) -> None:
    outcome.asked.update(accounts)
    try:
        said = look_up(list(accounts.values()))
    except SourceError as error:
        _stop_after(database, outcome, error)
        return
    try:
        with unit_of_work(database.session_factory) as session:
            summary = account_lookup.record_answer(session, list(accounts), _answer(said))
            collection.count_page(session, outcome.run_id, fetched=said.sent, new=summary.resolved)
    except IntegrityError:
        # Someone gave one of these user ids to an account between our check and our write.
        with unit_of_work(database.session_factory) as session:
            collection.count_page(session, outcome.run_id, fetched=said.sent, new=0)
        outcome.status = RunStatus.PARTIAL
        outcome.notes.append(
            "Another change to these accounts came first: they are looked up again next run"
        )
        return
    outcome.add(summary)
    for clash in summary.clashes:
        log.warning(
            "X user %s, looked up for account %s of contact %s, is already contact %s's",
            clash.user_id,
            clash.account_id,
            clash.contact_id,
            clash.held_by_contact_id,
        )


def _answer(said: x.HandleLookup) -> LookupAnswer:
    return LookupAnswer(
        found={
            key: PlatformUser(user_id=user.user_id, handle=user.username)
            for key, user in said.found.items()
        },
        suspended=said.suspended,
    )


def _stop_after(database: Database, outcome: LookupOutcome, error: SourceError) -> None:
    """As for collection: a rate limit or a usage cap leaves the rest for a later run (a cap
    pauses X until next month); refused credentials pause X until an admin resumes it."""
    if isinstance(error, UsageCapReached | CredentialsRefused):
        until = None
        if isinstance(error, UsageCapReached):
            until = collection.next_month_start(utc_now())
        with unit_of_work(database.session_factory) as session:
            collection.pause_source(session, Platform.X, until=until, reason=str(error))
    limited = isinstance(error, RateLimited | UsageCapReached)
    outcome.status = RunStatus.PARTIAL if limited else RunStatus.FAILED
    outcome.notes.append(
        "X's rate limit was reached: the rest wait for the next run"
        if isinstance(error, RateLimited)
        else str(error)
    )


def _finish(database: Database, outcome: LookupOutcome) -> None:
    try:
        with unit_of_work(database.session_factory) as session:
            collection.finish_run(
                session, outcome.run_id, outcome.status, "; ".join(outcome.notes) or None
            )
    except Exception:
        # The scheduler marks the run abandoned at its next start.
        log.exception("Could not record the end of run %s", outcome.run_id)
