"""Cadence tiers: the "every N days" bands admins set up and give to organisations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, NotFound
from crm.models import AuditAction, CadenceTier, Contact
from crm.services import audit

MAX_NAME = 120
MAX_DAYS = 3650  # ten years: anything longer is "never", which is no tier at all


@dataclass(frozen=True)
class TierInUse:
    tier: CadenceTier
    contacts: int


def tiers(session: Session) -> list[CadenceTier]:
    """Every tier, in the admins' order, then shortest cadence first."""
    return list(
        session.scalars(
            select(CadenceTier).order_by(CadenceTier.position, CadenceTier.days, CadenceTier.name)
        )
    )


def tiers_in_use(session: Session) -> list[TierInUse]:
    counts = dict(
        session.execute(
            select(Contact.cadence_tier_id, func.count(Contact.id))
            .where(Contact.cadence_tier_id.is_not(None))
            .group_by(Contact.cadence_tier_id)
        ).all()
    )
    return [TierInUse(tier, counts.get(tier.id, 0)) for tier in tiers(session)]


def get_tier(session: Session, tier_id: int) -> CadenceTier:
    tier = session.get(CadenceTier, tier_id)
    if tier is None:
        raise NotFound("No such cadence tier")
    return tier


def create_tier(session: Session, *, name: str, days: int, officer_id: int) -> CadenceTier:
    name = _checked_name(session, name, tier_id=None)
    tier = CadenceTier(name=name, days=_checked_days(days), position=_next_position(session))
    session.add(tier)
    session.flush()
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CREATED,
        subject_type="cadence_tier",
        subject_id=tier.id,
        summary=f"Added the cadence tier {tier.name} (every {tier.days} days)",
        after=audit.snapshot(tier, "name", "days"),
    )
    return tier


def update_tier(
    session: Session, tier_id: int, *, name: str, days: int, officer_id: int
) -> CadenceTier:
    tier = get_tier(session, tier_id)
    before = audit.snapshot(tier, "name", "days")
    name, days = _checked_name(session, name, tier_id=tier.id), _checked_days(days)
    tier.name, tier.days = name, days
    after = audit.snapshot(tier, "name", "days")
    if after != before:
        session.flush()
        audit.record(
            session,
            officer_id=officer_id,
            action=AuditAction.CHANGED,
            subject_type="cadence_tier",
            subject_id=tier.id,
            summary=f"Changed the cadence tier {tier.name} (every {tier.days} days)",
            before=before,
            after=after,
        )
    return tier


def delete_tier(session: Session, tier_id: int, *, officer_id: int) -> int:
    """Delete a tier; its contacts keep their own cadence, if any. Returns how many used it."""
    tier = get_tier(session, tier_id)
    [in_use] = [item.contacts for item in tiers_in_use(session) if item.tier.id == tier.id]
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.DELETED,
        subject_type="cadence_tier",
        subject_id=tier.id,
        summary=f"Deleted the cadence tier {tier.name}, used by {in_use} "
        + ("contact" if in_use == 1 else "contacts"),
        before=audit.snapshot(tier, "name", "days"),
    )
    session.delete(tier)
    session.flush()
    return in_use


def _checked_name(session: Session, name: str, *, tier_id: int | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("Enter a name for the tier", field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"The name must be {MAX_NAME} characters or fewer", field="name")
    clash = session.scalar(
        select(CadenceTier.id).where(func.lower(CadenceTier.name) == name.lower())
    )
    if clash is not None and clash != tier_id:
        raise InvalidInput(f"There is already a tier called {name}", field="name")
    return name


def _checked_days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"Enter a number of days from 1 to {MAX_DAYS}", field="days")
    return days


def _next_position(session: Session) -> int:
    return (session.scalar(select(func.max(CadenceTier.position))) or 0) + 1
