"""What an admin needs to oversee listening: each platform's budget and pause, whether the
scheduler is alive, each target's state in plain terms, and the quarantine made readable.

The web never calls a platform: everything here reads or changes rows that the scheduler
process acts on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from crm.clock import london_today, utc_now
from crm.errors import InvalidInput
from crm.models import (
    CollectionSource,
    CollectionTarget,
    CollectorRun,
    Contact,
    Officer,
    Platform,
    QuarantinedItem,
    QuarantineStatus,
    SocialAccount,
)
from crm.services import collection, targets
from crm.services.visibility import visible_contacts

# The platforms Weaver has a collector for; the others are contact details only, for now.
LISTENED_PLATFORMS = (Platform.X,)
# The scheduler beats every few minutes; a day of silence means nothing is being collected.
SCHEDULER_LATE_AFTER = timedelta(days=1)
# A quarantined page can be 100,000 characters; pretty-printing a huge one helps nobody.
PRETTY_PRINT_LIMIT = 20_000


class TargetState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # by the pipeline, after the platform rate-limited it
    STOPPED = "stopped"  # by an officer
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVAL_LAPSED = "approval_lapsed"


def target_state(target: CollectionTarget, now: datetime | None = None) -> TargetState:
    now = now or utc_now()
    if target.is_awaiting_approval:
        return TargetState.AWAITING_APPROVAL
    if not target.is_active:
        return TargetState.STOPPED
    if targets.may_collect(target, london_today(now)) is not None:
        return TargetState.APPROVAL_LAPSED
    if target.paused_until is not None and target.paused_until > now:
        return TargetState.PAUSED
    return TargetState.ACTIVE


@dataclass(frozen=True)
class SchedulerStatus:
    last_heartbeat: datetime | None
    is_late: bool


def scheduler_status(session: Session, now: datetime | None = None) -> SchedulerStatus:
    run = collection.latest_run(session, collection.HEARTBEAT_SOURCE)
    if run is None:
        return SchedulerStatus(last_heartbeat=None, is_late=True)
    last = run.finished_at or run.started_at
    return SchedulerStatus(last, (now or utc_now()) - last > SCHEDULER_LATE_AFTER)


@dataclass(frozen=True)
class PlatformOverview:
    platform: Platform
    budget: collection.Budget
    # Why collection is paused now, if it is; it can still need attention after a pause ends.
    pause_reason: str | None
    paused_until: datetime | None
    needs_attention: bool
    attention_reason: str | None

    @property
    def needs_action(self) -> bool:
        return self.pause_reason is not None or self.needs_attention


def platform_overviews(session: Session, now: datetime | None = None) -> list[PlatformOverview]:
    now = now or utc_now()
    overviews = []
    for platform in LISTENED_PLATFORMS:
        state = collection.source_state(session, platform)
        reason = collection.pause_reason(state, now)
        overviews.append(
            PlatformOverview(
                platform=platform,
                budget=collection.budget_for(session, state, now),
                pause_reason=reason,
                paused_until=state.paused_until if reason is not None else None,
                needs_attention=state.needs_attention,
                attention_reason=state.pause_reason,
            )
        )
    return overviews


def sources_needing_attention(session: Session) -> list[CollectionSource]:
    """Platforms an admin must look at: every admin page says so until one does."""
    return list(
        session.scalars(
            select(CollectionSource)
            .where(CollectionSource.needs_attention.is_(True))
            .order_by(CollectionSource.platform)
        )
    )


def listened_platform(value: str) -> Platform:
    """The platform named in a request, if Weaver collects from it."""
    for platform in LISTENED_PLATFORMS:
        if platform.value == value:
            return platform
    raise InvalidInput("Weaver does not collect from that platform")


# Targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetDetail:
    target: CollectionTarget
    runs: list[CollectorRun]
    # The account's contact, when the viewer may see it (a restricted record stays hidden).
    contact: Contact | None


def target_detail(session: Session, target_id: int, *, viewer: Officer) -> TargetDetail:
    target = targets.get_target(session, target_id)
    contact = None
    if target.account is not None:
        contact = session.scalar(
            select(Contact).where(Contact.id == target.account.contact_id, visible_contacts(viewer))
        )
    return TargetDetail(target, collection.runs_for_target(session, target.id), contact)


@dataclass(frozen=True)
class AccountChoice:
    account_id: int
    label: str


def account_choices(session: Session, *, viewer: Officer) -> list[AccountChoice]:
    """Accounts on the platforms Weaver listens to, of contacts the viewer may see."""
    accounts = session.scalars(
        select(SocialAccount)
        .join(Contact, Contact.id == SocialAccount.contact_id)
        .where(SocialAccount.platform.in_(LISTENED_PLATFORMS), visible_contacts(viewer))
        .options(joinedload(SocialAccount.contact))
        .order_by(func.lower(Contact.name), func.lower(SocialAccount.handle))
    )
    return [
        AccountChoice(
            account.id,
            f"{account.contact.name}: @{account.handle} on {_platform_name(account.platform)}"
            + (" (official)" if account.is_official else ""),
        )
        for account in accounts
    ]


# Quarantine ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarantineEntry:
    item: QuarantinedItem
    readable_payload: str

    @property
    def may_retry(self) -> bool:
        return self.item.status is QuarantineStatus.WAITING


def quarantine_entries(session: Session, limit: int = 100) -> list[QuarantineEntry]:
    return [
        QuarantineEntry(item, readable_payload(item.payload))
        for item in collection.waiting_quarantine(session, limit)
    ]


def readable_payload(payload: str) -> str:
    """JSON laid out over lines, so a person can find the part that did not parse."""
    if len(payload) > PRETTY_PRINT_LIMIT:
        return payload
    try:
        return json.dumps(json.loads(payload), indent=2, ensure_ascii=False)
    except ValueError:
        return payload


def _platform_name(platform: Platform) -> str:
    return {Platform.X: "X", Platform.RSS: "RSS"}.get(platform, platform.value.title())
