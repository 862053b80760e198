"""The collectors' bookkeeping: runs, cursors, read budgets, pauses and the quarantine.

Each function works inside the caller's unit of work; the pipeline (collectors.pipeline)
decides where transactions begin and end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from crm.clock import LONDON, as_utc, utc_now
from crm.errors import NotFound
from crm.models import (
    AuditAction,
    CollectionSource,
    CollectorCursor,
    CollectorRun,
    Platform,
    QuarantinedItem,
    QuarantineStatus,
    RunStatus,
)
from crm.services import audit

HEARTBEAT_SOURCE = "heartbeat"
PAYLOAD_LIMIT = 100_000


def record_heartbeat(session: Session) -> CollectorRun:
    """The scheduler's proof of life: a run that starts and finishes at once."""
    now = utc_now()
    run = CollectorRun(
        source=HEARTBEAT_SOURCE, target="", started_at=now, finished_at=now, status=RunStatus.OK
    )
    session.add(run)
    session.flush()
    return run


def latest_run(session: Session, source: str) -> CollectorRun | None:
    return session.scalar(
        select(CollectorRun)
        .where(CollectorRun.source == source)
        .order_by(CollectorRun.started_at.desc(), CollectorRun.id.desc())
        .limit(1)
    )


# Runs ------------------------------------------------------------------------------------


def start_run(session: Session, *, platform: Platform, target_id: int, name: str) -> CollectorRun:
    run = CollectorRun(source=platform.value, target=name, target_id=target_id)
    session.add(run)
    session.flush()
    return run


def record_skipped_run(
    session: Session, *, source: str, target_id: int | None, name: str, reason: str
) -> CollectorRun:
    now = utc_now()
    run = CollectorRun(
        source=source,
        target=name,
        target_id=target_id,
        started_at=now,
        finished_at=now,
        status=RunStatus.SKIPPED,
        error=reason,
    )
    session.add(run)
    session.flush()
    return run


def run_in_progress(session: Session, target_id: int) -> CollectorRun | None:
    return session.scalar(
        select(CollectorRun)
        .where(CollectorRun.target_id == target_id, CollectorRun.status == RunStatus.RUNNING)
        .limit(1)
    )


def count_page(
    session: Session,
    run_id: int,
    *,
    fetched: int,
    new: int,
    duplicates: int = 0,
    quarantined: int = 0,
    partial_errors: int = 0,
) -> None:
    """Add one stored page (or batch of look-ups) to its run's figures, in one statement: no
    need to load the run. What it read counts against the monthly budget from the moment
    this commits, with what it stored."""
    session.execute(
        _COUNT_PAGE,
        {
            "run_id": run_id,
            "fetched": fetched,
            "new": new,
            "duplicates": duplicates,
            "quarantined": quarantined,
            "partial_errors": partial_errors,
        },
    )


# On the table, not the class: nothing in the session holds the run, so the ORM's work of
# keeping loaded objects in step (most of this statement's cost) is not wanted.
_runs = CollectorRun.__table__
_COUNT_PAGE = (
    update(_runs)
    .where(_runs.c.id == bindparam("run_id"))
    .values(
        pages=_runs.c.pages + 1,
        **{
            name: _runs.c[name] + bindparam(name)
            for name in ("fetched", "new", "duplicates", "quarantined", "partial_errors")
        },
    )
)


def finish_run(session: Session, run_id: int, status: RunStatus, error: str | None = None) -> None:
    finished = session.execute(
        update(CollectorRun)
        .where(CollectorRun.id == run_id)
        .values(status=status, error=error, finished_at=utc_now())
    )
    if finished.rowcount == 0:
        raise NotFound("No run with that id")


def abandon_stale_runs(session: Session) -> int:
    """Runs left 'running' by a process that died. Only the lock holder may call this."""
    result = session.execute(
        update(CollectorRun)
        .where(CollectorRun.status == RunStatus.RUNNING)
        .values(
            status=RunStatus.FAILED,
            finished_at=utc_now(),
            error="The scheduler stopped during this run; the next run picks up from its cursor",
        )
    )
    return result.rowcount


def runs_for_target(session: Session, target_id: int, limit: int = 20) -> list[CollectorRun]:
    return list(
        session.scalars(
            select(CollectorRun)
            .where(CollectorRun.target_id == target_id)
            .order_by(CollectorRun.started_at.desc(), CollectorRun.id.desc())
            .limit(limit)
        )
    )


# Cursors ---------------------------------------------------------------------------------


def cursor_for(session: Session, target_id: int) -> CollectorCursor:
    cursor = session.scalar(select(CollectorCursor).where(CollectorCursor.target_id == target_id))
    if cursor is None:
        cursor = CollectorCursor(target_id=target_id)
        session.add(cursor)
        session.flush()
    return cursor


def advance_cursor(
    cursor: CollectorCursor, *, newest_id: str | None, oldest_id: str | None, is_last: bool
) -> None:
    """Move the cursor past one stored page of a newest-first range.

    The first page of a range remembers its newest id as pending; each page lowers the
    pending oldest id; the last page makes the pending newest id the new `since_id`. A run
    that stops early leaves the unfinished range pending, and the next run fills it first.
    """
    if cursor.pending_newest is None and newest_id is not None:
        cursor.pending_newest = newest_id
    if is_last:
        if cursor.pending_newest is not None:
            cursor.since_id = _larger_id(cursor.since_id, cursor.pending_newest)
        cursor.pending_newest = None
        cursor.pending_oldest = None
    elif oldest_id is not None:
        cursor.pending_oldest = oldest_id


def _larger_id(first: str | None, second: str) -> str:
    if first is None:
        return second
    return max(first, second, key=lambda post_id: (len(post_id), post_id))


# Sources and budgets ---------------------------------------------------------------------


def source_state(session: Session, platform: Platform) -> CollectionSource:
    state = session.scalar(select(CollectionSource).where(CollectionSource.platform == platform))
    if state is None:
        state = CollectionSource(platform=platform)
        session.add(state)
        session.flush()
    return state


def month_start(now: datetime) -> datetime:
    """Budgets run by calendar month in London, as officers and invoices count them."""
    local = now.astimezone(LONDON)
    return as_utc(local.replace(day=1, hour=0, minute=0, second=0, microsecond=0))


def next_month_start(now: datetime) -> datetime:
    local = now.astimezone(LONDON)
    following = (local.replace(day=28) + timedelta(days=4)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    return as_utc(following)


def reads_this_month(session: Session, platform: Platform, now: datetime | None = None) -> int:
    """Posts read from the platform this month: what the platform bills and caps."""
    start = month_start(now or utc_now())
    total = session.scalar(
        select(func.coalesce(func.sum(CollectorRun.fetched), 0)).where(
            CollectorRun.source == platform.value, CollectorRun.started_at >= start
        )
    )
    return int(total or 0)


@dataclass(frozen=True)
class Budget:
    cap: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.cap is None else max(0, self.cap - self.used)


def budget_for(session: Session, state: CollectionSource, now: datetime | None = None) -> Budget:
    return Budget(cap=state.monthly_read_cap, used=reads_this_month(session, state.platform, now))


def remaining_reads(session: Session, state: CollectionSource) -> int | None:
    """Reads left this month, or None when there is no cap (and nothing to count)."""
    if state.monthly_read_cap is None:
        return None
    return budget_for(session, state).remaining


def set_monthly_cap(
    session: Session, platform: Platform, cap: int | None, *, officer_id: int | None
) -> None:
    state = source_state(session, platform)
    before = audit.snapshot(state, "monthly_read_cap")
    state.monthly_read_cap = cap
    _record_source_change(
        session,
        state,
        officer_id=officer_id,
        summary=f"Set the monthly read cap for {platform.value} to "
        + (f"{cap:,}" if cap is not None else "none"),
        before=before,
        after=audit.snapshot(state, "monthly_read_cap"),
    )


def pause_source(
    session: Session, platform: Platform, *, until: datetime | None, reason: str
) -> None:
    """Stop every target on a platform. `until` None means until an admin resumes it."""
    state = source_state(session, platform)
    state.paused_until = until
    state.pause_reason = reason
    state.needs_attention = True
    _record_source_change(
        session,
        state,
        officer_id=None,
        summary=f"Collection from {platform.value} paused: {reason}",
        after=audit.snapshot(state, "paused_until", "pause_reason"),
    )


def resume_source(session: Session, platform: Platform, *, officer_id: int | None) -> None:
    state = source_state(session, platform)
    before = audit.snapshot(state, "paused_until", "pause_reason")
    state.paused_until = None
    state.pause_reason = None
    state.needs_attention = False
    _record_source_change(
        session,
        state,
        officer_id=officer_id,
        summary=f"Collection from {platform.value} resumed",
        before=before,
    )


def _record_source_change(
    session: Session,
    state: CollectionSource,
    *,
    officer_id: int | None,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    session.flush()
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CHANGED,
        subject_type="collection_source",
        subject_id=state.id,
        summary=summary,
        before=before,
        after=after,
    )


def pause_reason(state: CollectionSource, now: datetime | None = None) -> str | None:
    """Why collection from this platform is paused now, or None when it is not."""
    if state.pause_reason is None:
        return None
    if state.paused_until is None or state.paused_until > (now or utc_now()):
        return state.pause_reason
    return None


# Quarantine ------------------------------------------------------------------------------


def quarantine(
    session: Session,
    *,
    platform: Platform,
    payload: str,
    reason: str,
    run_id: int | None = None,
    target_id: int | None = None,
    scope: str = "item",
) -> QuarantinedItem:
    item = QuarantinedItem(
        platform=platform,
        payload=payload[:PAYLOAD_LIMIT],
        reason=reason,
        run_id=run_id,
        target_id=target_id,
        scope=scope,
    )
    session.add(item)
    return item


def request_retry(session: Session, item_id: int, *, officer_id: int | None) -> None:
    """Ask the scheduler process to read a quarantined item again (with today's code)."""
    item = session.get(QuarantinedItem, item_id)
    if item is None or item.status is not QuarantineStatus.WAITING:
        raise NotFound("Nothing waiting in quarantine with that id")
    item.status = QuarantineStatus.RETRY_REQUESTED
    _record_quarantine_decision(session, item, officer_id, "Asked for a retry of")


def retries_requested(session: Session) -> list[QuarantinedItem]:
    return list(
        session.scalars(
            select(QuarantinedItem).where(
                QuarantinedItem.status == QuarantineStatus.RETRY_REQUESTED
            )
        )
    )


# Waiting for an admin, or for the scheduler to read it again.
_is_open = QuarantinedItem.status.in_([QuarantineStatus.WAITING, QuarantineStatus.RETRY_REQUESTED])


def waiting_quarantine(session: Session, limit: int = 100) -> list[QuarantinedItem]:
    return list(
        session.scalars(
            select(QuarantinedItem)
            .where(_is_open)
            .order_by(QuarantinedItem.created_at.desc())
            .limit(limit)
        )
    )


def open_quarantine_count(session: Session) -> int:
    return session.scalar(select(func.count(QuarantinedItem.id)).where(_is_open)) or 0


def resolve_quarantined(
    session: Session,
    item_id: int,
    status: QuarantineStatus,
    *,
    officer_id: int | None,
    reason: str | None = None,
) -> QuarantinedItem:
    item = session.get(QuarantinedItem, item_id)
    if item is None:
        raise NotFound("Nothing in quarantine with that id")
    item.status = status
    item.resolved_at = utc_now()
    item.resolved_by_id = officer_id
    if reason is not None:
        item.reason = reason
    if officer_id is not None:
        _record_quarantine_decision(session, item, officer_id, f"Marked {status.value}:")
    return item


def _record_quarantine_decision(
    session: Session, item: QuarantinedItem, officer_id: int | None, what: str
) -> None:
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CHANGED,
        subject_type="quarantined_item",
        subject_id=item.id,
        summary=f"{what} quarantined {item.scope} {item.id}",
        after={"status": item.status.value},
    )
