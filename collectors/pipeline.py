"""One collection run: pages from a source become stored, matched, scored posts.

Each page is its own transaction: its posts, its quarantined items, the run's counters and
the cursor move together, so a crash or a database outage between pages loses nothing and
duplicates nothing. The next run re-reads from the cursor and converges on the same state.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from collectors.sources.base import (
    CredentialsRefused,
    MalformedItem,
    MalformedPage,
    Page,
    RateLimited,
    Source,
    SourceError,
    SourceUnavailable,
    TargetSpec,
    UsageCapReached,
    Window,
)
from crm.clock import to_london, utc_now
from crm.database import Database
from crm.models import CollectionSource, CollectionTarget, RunStatus
from crm.services import collection, targets
from crm.services.ingestion import Provenance, existing_post_ids, ingest_posts, note_collected
from crm.services.posts import CollectedPost
from crm.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

PAGE_MAX = 100
# Below this many reads left in the month, a run would fetch a page it cannot afford.
PAGE_MIN = 10
RATE_LIMIT_FALLBACK = timedelta(minutes=15)


@dataclass(frozen=True)
class RunOutcome:
    run_id: int
    status: RunStatus
    error: str | None = None


@dataclass
class _Plan:
    run_id: int
    target_id: int
    spec: TargetSpec
    windows: list[Window]
    provenance: Provenance
    budget_left: int | None
    read: int = 0
    notes: list[str] = field(default_factory=list)

    def page_size(self) -> int:
        if self.budget_left is None:
            return PAGE_MAX
        return max(0, min(PAGE_MAX, self.budget_left - self.read))


def collect(database: Database, target_id: int, source: Source) -> RunOutcome:
    """Run one target now, unless something says it must not run; record what happened."""
    plan_or_skip = _plan(database, target_id, source)
    if isinstance(plan_or_skip, RunOutcome):
        return plan_or_skip
    plan = plan_or_skip
    try:
        status = _read_all_windows(database, plan, source)
    except SourceError as error:
        return _finish_after_source_error(database, plan, source, error)
    except Exception as error:
        log.exception("Run %s of target %s failed", plan.run_id, target_id)
        return _finish(database, plan, RunStatus.FAILED, f"Weaver failed: {type(error).__name__}")
    return _finish(database, plan, status, "; ".join(plan.notes) or None)


def _plan(database: Database, target_id: int, source: Source) -> _Plan | RunOutcome:
    with unit_of_work(database.session_factory) as session:
        target = targets.get_target(session, target_id)
        target.run_requested_at = None
        source_state = collection.source_state(session, target.platform)
        budget_left = collection.remaining_reads(session, source_state)
        reason = _reason_not_to_run(session, target, source_state, budget_left)
        if reason is not None:
            run = collection.record_skipped_run(
                session,
                source=target.platform.value,
                target_id=target.id,
                name=target.name,
                reason=reason,
            )
            return RunOutcome(run.id, RunStatus.SKIPPED, reason)
        cursor = collection.cursor_for(session, target.id)
        run = collection.start_run(
            session, platform=target.platform, target_id=target.id, name=target.name
        )
        return _Plan(
            run_id=run.id,
            target_id=target.id,
            spec=TargetSpec(
                kind=target.kind,
                query=target.query,
                account_user_id=target.account.platform_user_id if target.account else None,
            ),
            windows=_windows(cursor.since_id, cursor.pending_newest, cursor.pending_oldest),
            provenance=Provenance(review_reason=targets.why_collected(target), target_id=target.id),
            budget_left=budget_left,
        )


def _reason_not_to_run(
    session: Session,
    target: CollectionTarget,
    source_state: CollectionSource,
    budget_left: int | None,
) -> str | None:
    now = utc_now()
    reason = targets.may_collect(target)
    if reason is None:
        reason = collection.pause_reason(source_state, now)
    if reason is None and target.paused_until is not None and target.paused_until > now:
        reason = target.pause_reason or "Paused"
    if reason is None and collection.run_in_progress(session, target.id) is not None:
        reason = "The previous run was still going"
    if reason is None and budget_left is not None and budget_left < PAGE_MIN:
        reason = "This month's read budget is used up"
    return reason


def _windows(since_id: str | None, pending_newest: str | None, pending_oldest: str | None):
    """A gap left by an unfinished run comes first, then everything newer."""
    if pending_oldest is not None and pending_newest is not None:
        return [Window(since_id, pending_oldest), Window(pending_newest, None)]
    return [Window(since_id, None)]


def _read_all_windows(database: Database, plan: _Plan, source: Source) -> RunStatus:
    for window in plan.windows:
        if not _read_window(database, plan, source, window):
            plan.notes.append("Stopped at this month's read budget")
            return RunStatus.PARTIAL
    return RunStatus.OK


def _read_window(database: Database, plan: _Plan, source: Source, window: Window) -> bool:
    """Store every page of one window; False if the budget stopped it before the end."""
    finished = False
    for page in source.pages(plan.spec, window, plan.page_size):
        _store_page(database, plan, source, page)
        plan.read += len(page.items)
        finished = not page.has_more
    return finished


def _store_page(database: Database, plan: _Plan, source: Source, page: Page) -> None:
    with unit_of_work(database.session_factory) as session:
        ids = [source.external_id(item) for item in page.items]
        stored = existing_post_ids(session, source.platform, [i for i in ids if i])
        # A post already stored is not read, scored or matched again: re-fetching is cheap.
        unread = [item for item, i in zip(page.items, ids, strict=True) if i not in stored]
        posts, rejected = _normalise(source, unread, page)
        for item, reason in rejected:
            collection.quarantine(
                session,
                platform=source.platform,
                payload=quarantine_payload(item, page),
                reason=reason,
                run_id=plan.run_id,
                target_id=plan.target_id,
            )
        result = ingest_posts(session, posts, provenance=plan.provenance)
        note_collected(session, list(stored.values()), plan.target_id)
        collection.advance_cursor(
            collection.cursor_for(session, plan.target_id),
            newest_id=page.newest_id,
            oldest_id=page.oldest_id,
            is_last=not page.has_more,
        )
        collection.count_page(
            session,
            plan.run_id,
            fetched=len(page.items),
            new=result.new,
            duplicates=result.duplicates + len(page.items) - len(unread),
            quarantined=len(rejected),
            partial_errors=len(page.errors),
        )


def _normalise(
    source: Source, items: list[Any], page: Page
) -> tuple[list[CollectedPost], list[tuple[Any, str]]]:
    posts, rejected = [], []
    for item in items:
        try:
            posts.append(source.normalise(item, page))
        except MalformedItem as error:
            rejected.append((item, str(error)))
    return posts, rejected


def quarantine_payload(item: Any, page: Page) -> str:
    """The item and the users it names, enough to read it again later."""
    ids: set[str] = set()
    if isinstance(item, dict):
        ids.add(str(item.get("author_id")))
        mentions = (item.get("entities") or {}).get("mentions") or []
        ids.update(str(m.get("id")) for m in mentions if isinstance(m, dict))
    users = [
        user
        for user in page.includes.get("users", [])
        if isinstance(user, dict) and str(user.get("id")) in ids
    ]
    return json.dumps({"item": item, "includes": {"users": users}}, ensure_ascii=False)


def _finish_after_source_error(
    database: Database, plan: _Plan, source: Source, error: SourceError
) -> RunOutcome:
    now = utc_now()
    with unit_of_work(database.session_factory) as session:
        target = targets.get_target(session, plan.target_id)
        if isinstance(error, RateLimited):
            until = error.reset_at or now + RATE_LIMIT_FALLBACK
            target.paused_until = until
            target.pause_reason = f"Rate limited by the platform until {_clock(until)}"
            status, message = RunStatus.PARTIAL, target.pause_reason
        elif isinstance(error, UsageCapReached):
            until = collection.next_month_start(now)
            collection.pause_source(session, source.platform, until=until, reason=str(error))
            status, message = RunStatus.PARTIAL, str(error)
        elif isinstance(error, CredentialsRefused):
            collection.pause_source(session, source.platform, until=None, reason=str(error))
            status, message = RunStatus.FAILED, str(error)
        elif isinstance(error, MalformedPage):
            collection.quarantine(
                session,
                platform=source.platform,
                payload=error.payload,
                reason=str(error),
                run_id=plan.run_id,
                target_id=plan.target_id,
                scope="page",
            )
            status, message = RunStatus.FAILED, str(error)
        else:
            status = RunStatus.FAILED
            message = str(error) if isinstance(error, SourceUnavailable) else repr(error)
    return _finish(database, plan, status, message)


def _finish(database: Database, plan: _Plan, status: RunStatus, error: str | None) -> RunOutcome:
    try:
        with unit_of_work(database.session_factory) as session:
            collection.finish_run(session, plan.run_id, status, error)
    except Exception:
        # The database itself may be the problem; the scheduler marks the run abandoned later.
        log.exception("Could not record the end of run %s", plan.run_id)
    return RunOutcome(plan.run_id, status, error)


def _clock(moment: datetime) -> str:
    return to_london(moment).strftime("%H:%M on %d %B %Y")
