"""What Weaver listens to. Every target is overt: the council's own accounts, organisations'
official accounts, or a listening query with a stated purpose. Listening to a named
individual's account needs a recorded justification, a second officer's approval and a date
to review it by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from crm.clock import london_today, utc_now
from crm.errors import InvalidInput, NotFound
from crm.models import (
    AuditAction,
    CollectionTarget,
    CollectorRun,
    Organisation,
    Platform,
    SocialAccount,
    TargetKind,
)
from crm.services import audit

MIN_INTERVAL_MINUTES = 5
DEFAULT_INTERVAL_MINUTES = 15
MAX_QUERY_LENGTH = 512  # X's limit for recent search on the lower tiers


def create_search_target(
    session: Session,
    *,
    name: str,
    query: str,
    purpose: str,
    created_by_id: int,
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES,
    platform: Platform = Platform.X,
) -> CollectionTarget:
    name, query, purpose = name.strip(), query.strip(), purpose.strip()
    if not name:
        raise InvalidInput("Enter a name for the listening query", field="name")
    if not query:
        raise InvalidInput("Enter the words to listen for", field="query")
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            f"The query must be {MAX_QUERY_LENGTH} characters or fewer", field="query"
        )
    if not purpose:
        raise InvalidInput("Say why the council needs to listen for this", field="purpose")
    target = CollectionTarget(
        platform=platform,
        kind=TargetKind.SEARCH,
        name=name,
        query=query,
        purpose=purpose,
        interval_minutes=_checked_interval(interval_minutes),
        created_by_id=created_by_id,
    )
    return _added(session, target, created_by_id)


def create_account_target(
    session: Session,
    *,
    account_id: int,
    kind: TargetKind,
    created_by_id: int,
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES,
    justification: str = "",
    review_on: date | None = None,
) -> CollectionTarget:
    """Mentions of a council account, or the posts of a contact's account.

    An organisation's official account is collected at once. Any other account is a named
    individual's: the target waits, inactive, until another officer approves it.
    """
    if kind is TargetKind.SEARCH:
        raise InvalidInput("Use a listening query to search", field="kind")
    account = session.get(SocialAccount, account_id)
    if account is None:
        raise NotFound("No account with that id")
    existing = session.scalar(
        select(CollectionTarget).where(
            CollectionTarget.account_id == account_id, CollectionTarget.kind == kind
        )
    )
    if existing is not None:
        # A second target would read the same posts twice and spend the budget on duplicates.
        raise InvalidInput(
            f"This is already collected: {existing.name}. Resume that one if it is stopped",
            field="account_id",
        )
    is_personal = not (isinstance(account.contact, Organisation) and account.is_official)
    if kind is TargetKind.MENTIONS and is_personal:
        raise InvalidInput(
            "Mentions can only be collected for the council's own official accounts",
            field="account_id",
        )
    if is_personal:
        _check_justified(justification, review_on)
    verb = "Mentions of" if kind is TargetKind.MENTIONS else "Posts by"
    target = CollectionTarget(
        platform=account.platform,
        kind=kind,
        name=f"{verb} @{account.handle}",
        account_id=account.id,
        is_personal_account=is_personal,
        justification=justification.strip() or None,
        review_on=review_on,
        is_active=not is_personal,
        interval_minutes=_checked_interval(interval_minutes),
        created_by_id=created_by_id,
    )
    return _added(session, target, created_by_id)


def approve_target(session: Session, target_id: int, *, approver_id: int) -> CollectionTarget:
    """A second officer agrees that listening to this individual's account is justified."""
    target = get_target(session, target_id)
    if not target.is_personal_account:
        raise InvalidInput("Only an individual's account needs approval")
    if target.created_by_id == approver_id:
        raise InvalidInput("Another officer must approve a target you set up")
    if target.review_on is None or target.review_on < london_today():
        raise InvalidInput("Set a review date in the future before approving", field="review_on")
    target.approved_by_id = approver_id
    target.approved_at = utc_now()
    target.is_active = True
    audit.record(
        session,
        officer_id=approver_id,
        action=AuditAction.CHANGED,
        subject_type="collection_target",
        subject_id=target.id,
        summary=f"Approved collecting {target.name}",
        after=audit.snapshot(target, "justification", "review_on"),
    )
    return target


def set_active(session: Session, target_id: int, active: bool, *, officer_id: int) -> None:
    target = get_target(session, target_id)
    if active and target.is_personal_account and not _is_approved_and_current(target):
        raise InvalidInput("This account needs approval, with a review date in the future")
    target.is_active = active
    if active:
        target.paused_until = None
        target.pause_reason = None
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CHANGED,
        subject_type="collection_target",
        subject_id=target.id,
        summary=f"{'Resumed' if active else 'Stopped'} collecting {target.name}",
    )


def request_run(session: Session, target_id: int, *, officer_id: int | None) -> None:
    """Ask the scheduler process to run this target soon. The web never calls a platform."""
    target = get_target(session, target_id)
    target.run_requested_at = utc_now()
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CHANGED,
        subject_type="collection_target",
        subject_id=target.id,
        summary=f"Asked for a run of {target.name} now",
    )


def get_target(session: Session, target_id: int) -> CollectionTarget:
    target = session.get(CollectionTarget, target_id)
    if target is None:
        raise NotFound("No collection target with that id")
    return target


def may_collect(target: CollectionTarget, today: date | None = None) -> str | None:
    """Why this target must not be collected now, or None when it may be."""
    if not target.is_active:
        return "Collection is stopped"
    if target.is_personal_account and not _is_approved_and_current(target, today):
        return "The approval to collect this individual's account has lapsed: review it"
    return None


def why_collected(target: CollectionTarget) -> str:
    """What officers read in the review queue under "Why you are seeing this"."""
    if target.kind is TargetKind.SEARCH:
        return (
            f"Found by the listening query “{target.name}” ({target.query}). "
            f"Purpose: {target.purpose}"
        )
    handle = target.account.handle if target.account else "an account"
    if target.kind is TargetKind.MENTIONS:
        return f"Mentions or replies to @{handle}, from an author who is not a contact"
    return f"Posted by @{handle}"


@dataclass(frozen=True)
class TargetOverview:
    target: CollectionTarget
    last_run: CollectorRun | None


def all_targets(session: Session) -> list[TargetOverview]:
    targets = session.scalars(
        select(CollectionTarget)
        .options(joinedload(CollectionTarget.account), joinedload(CollectionTarget.approved_by))
        .order_by(CollectionTarget.kind, CollectionTarget.name)
    ).all()
    last = latest_runs(session, [target.id for target in targets])
    return [TargetOverview(target, last.get(target.id)) for target in targets]


def targets_for_accounts(session: Session, account_ids: list[int]) -> list[TargetOverview]:
    """How each of a contact's accounts is collected, for the contact page."""
    if not account_ids:
        return []
    targets = session.scalars(
        select(CollectionTarget)
        .where(CollectionTarget.account_id.in_(account_ids))
        .order_by(CollectionTarget.name)
    ).all()
    last = latest_runs(session, [target.id for target in targets])
    return [TargetOverview(target, last.get(target.id)) for target in targets]


def latest_runs(session: Session, target_ids: list[int]) -> dict[int, CollectorRun]:
    if not target_ids:
        return {}
    newest = (
        select(func.max(CollectorRun.id))
        .where(CollectorRun.target_id.in_(target_ids))
        .group_by(CollectorRun.target_id)
    )
    runs = session.scalars(select(CollectorRun).where(CollectorRun.id.in_(newest)))
    return {run.target_id: run for run in runs if run.target_id is not None}


def _is_approved_and_current(target: CollectionTarget, today: date | None = None) -> bool:
    today = today or london_today()
    return (
        target.approved_by_id is not None
        and target.review_on is not None
        and target.review_on >= today
    )


def _check_justified(justification: str, review_on: date | None) -> None:
    if not justification.strip():
        raise InvalidInput(
            "Say why the council needs to collect this individual's posts",
            field="justification",
        )
    if review_on is None or review_on <= london_today():
        raise InvalidInput("Enter a review date in the future", field="review_on")


def _checked_interval(minutes: int) -> int:
    if minutes < MIN_INTERVAL_MINUTES:
        raise InvalidInput(
            f"Collect at most every {MIN_INTERVAL_MINUTES} minutes", field="interval_minutes"
        )
    return minutes


def _added(session: Session, target: CollectionTarget, officer_id: int) -> CollectionTarget:
    session.add(target)
    session.flush()
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CREATED,
        subject_type="collection_target",
        subject_id=target.id,
        summary=f"Set up collection: {target.name}",
        after=audit.snapshot(
            target, "kind", "name", "query", "purpose", "justification", "review_on"
        ),
    )
    return target
