"""Accounts officers added by handle alone, waiting for the platform's permanent user id.

Posts are matched on that id, never on a handle, so until it is known an account matches
nothing. The scheduler process asks the platform (collectors.account_lookup); this module
chooses which accounts to ask about and records the answer: the id and the handle's proper
case, or why there is none, for admins to see under Listening.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from crm.clock import utc_now
from crm.models import (
    AuditAction,
    CollectorRun,
    Contact,
    Officer,
    Platform,
    RunStatus,
    SocialAccount,
)
from crm.services import audit
from crm.services.visibility import visible_contacts

# The platforms Weaver can look handles up on.
LOOKUP_PLATFORMS = (Platform.X,)
# The run record's name; its reads count against the platform's monthly budget.
LOOKUP_RUN_NAME = "Looking up accounts added by handle"
# A handle that was not found is asked about again after this long: an account can be
# created, or come back from suspension, and an officer may have corrected a typing slip.
ASK_AGAIN_AFTER = timedelta(days=7)

NOT_FOUND = "X has no account with this handle: check it on the contact’s page"
SUSPENDED = "X has suspended this account"
ON_ANOTHER_CONTACT = "This X account is already on another contact’s record: merge the two"
ON_THIS_CONTACT = "This contact already has this X account: remove one of the two"


@dataclass(frozen=True)
class PlatformUser:
    user_id: str
    handle: str


@dataclass(frozen=True)
class LookupAnswer:
    """What the platform said, keyed by lower-cased handle (see `lookup_key`)."""

    found: Mapping[str, PlatformUser]
    suspended: Collection[str] = ()


@dataclass(frozen=True)
class Clash:
    """Two accounts claiming one platform user: reported, never forced."""

    account_id: int
    contact_id: int
    user_id: str
    held_by_contact_id: int


@dataclass(frozen=True)
class LookupSummary:
    resolved: int
    not_found: int
    suspended: int
    clashes: list[Clash]

    def problems(self) -> str | None:
        """A line for the run record, or None when every account was found."""
        parts = [
            f"{count} {words}"
            for count, words in (
                (self.not_found, "not found"),
                (self.suspended, "suspended"),
                (len(self.clashes), "already on another record"),
            )
            if count
        ]
        return ", ".join(parts) or None


def lookup_key(handle: str) -> str:
    return handle.strip().removeprefix("@").lower()


def _is_waiting(now: datetime):
    return (
        SocialAccount.platform_user_id.is_(None),
        or_(
            SocialAccount.lookup_failed_at.is_(None),
            SocialAccount.lookup_failed_at <= now - ASK_AGAIN_AFTER,
        ),
    )


def accounts_to_look_up(
    session: Session, platform: Platform, *, limit: int, now: datetime | None = None
) -> list[SocialAccount]:
    """Accounts with a handle but no user id that are due to be asked about, oldest first."""
    return list(
        session.scalars(
            select(SocialAccount)
            .where(SocialAccount.platform == platform, *_is_waiting(now or utc_now()))
            .order_by(SocialAccount.id)
            .limit(limit)
        )
    )


def start_lookup_run(session: Session, platform: Platform) -> CollectorRun:
    run = CollectorRun(source=platform.value, target=LOOKUP_RUN_NAME, target_id=None)
    session.add(run)
    session.flush()
    return run


def record_answer(
    session: Session,
    account_ids: Sequence[int],
    answer: LookupAnswer,
    *,
    now: datetime | None = None,
) -> LookupSummary:
    """Give each account its user id, or record why it has none. Running it again with the
    same answer changes nothing more."""
    now = now or utc_now()
    accounts = _accounts(session, account_ids)
    holders = _holders(session, accounts, answer)
    resolved, not_found, suspended, clashes = 0, 0, 0, []
    for account in accounts:
        key = lookup_key(account.handle)
        user = answer.found.get(key)
        if user is None:
            is_suspended = key in answer.suspended
            _record_problem(account, SUSPENDED if is_suspended else NOT_FOUND, now)
            suspended += is_suspended
            not_found += not is_suspended
            continue
        holder = holders.get(user.user_id)
        if holder is not None:
            same = holder == account.contact_id
            _record_problem(account, ON_THIS_CONTACT if same else ON_ANOTHER_CONTACT, now)
            clashes.append(Clash(account.id, account.contact_id, user.user_id, holder))
            continue
        _resolve(session, account, user)
        holders[user.user_id] = account.contact_id
        resolved += 1
    session.flush()
    return LookupSummary(resolved, not_found, suspended, clashes)


def _accounts(session: Session, account_ids: Sequence[int]) -> list[SocialAccount]:
    # An account resolved meanwhile (by an officer, or a second look-up) is left alone.
    return list(
        session.scalars(
            select(SocialAccount)
            .where(SocialAccount.id.in_(account_ids), SocialAccount.platform_user_id.is_(None))
            .order_by(SocialAccount.id)
        )
    )


def _holders(
    session: Session, accounts: Sequence[SocialAccount], answer: LookupAnswer
) -> dict[str, int]:
    """The contact already holding each user id found, where one does."""
    if not accounts:
        return {}
    user_ids = {user.user_id for user in answer.found.values()}
    rows = session.execute(
        select(SocialAccount.platform_user_id, SocialAccount.contact_id).where(
            SocialAccount.platform == accounts[0].platform,
            SocialAccount.platform_user_id.in_(user_ids),
        )
    )
    return {user_id: contact_id for user_id, contact_id in rows}


def _record_problem(account: SocialAccount, problem: str, now: datetime) -> None:
    account.lookup_problem = problem
    account.lookup_failed_at = now


def _resolve(session: Session, account: SocialAccount, user: PlatformUser) -> None:
    fields = ("platform", "platform_user_id", "handle")
    before = audit.snapshot(account, *fields)
    account.platform_user_id = user.user_id
    account.handle = user.handle
    account.lookup_problem = None
    account.lookup_failed_at = None
    audit.record(
        session,
        officer_id=None,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=account.contact_id,
        summary=f"The scheduler found @{user.handle} on {account.platform.value.upper()}: "
        f"user id {user.user_id}",
        before=before,
        after=audit.snapshot(account, *fields),
    )


# What admins see ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountProblem:
    contact_id: int
    contact_name: str
    platform: Platform
    handle: str
    problem: str
    since: datetime


@dataclass(frozen=True)
class LookupOverview:
    waiting: int
    problems: list[AccountProblem]
    # Accounts with a problem on restricted records the viewer may not see.
    hidden_problems: int
    last_run: CollectorRun | None


def lookup_overview(
    session: Session, *, viewer: Officer, now: datetime | None = None
) -> LookupOverview:
    now = now or utc_now()
    in_scope = SocialAccount.platform.in_(LOOKUP_PLATFORMS)
    waiting = session.scalar(
        select(func.count(SocialAccount.id)).where(in_scope, *_is_waiting(now))
    )
    with_problem = (
        select(SocialAccount, Contact.name)
        .join(Contact, Contact.id == SocialAccount.contact_id)
        .where(
            in_scope,
            SocialAccount.platform_user_id.is_(None),
            SocialAccount.lookup_problem.is_not(None),
        )
    )
    problems = [
        AccountProblem(
            account.contact_id,
            name,
            account.platform,
            account.handle,
            account.lookup_problem or "",
            account.lookup_failed_at or now,
        )
        for account, name in session.execute(
            with_problem.where(visible_contacts(viewer)).order_by(
                SocialAccount.lookup_failed_at.desc(), SocialAccount.id
            )
        )
    ]
    total = session.scalar(select(func.count()).select_from(with_problem.subquery())) or 0
    return LookupOverview(waiting or 0, problems, total - len(problems), last_lookup_run(session))


def last_lookup_run(session: Session) -> CollectorRun | None:
    return session.scalar(
        select(CollectorRun)
        .where(
            CollectorRun.target == LOOKUP_RUN_NAME,
            CollectorRun.target_id.is_(None),
            CollectorRun.status != RunStatus.RUNNING,
        )
        .order_by(CollectorRun.started_at.desc(), CollectorRun.id.desc())
        .limit(1)
    )
