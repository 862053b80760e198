"""Escalation: the reminder job passes an open follow-up to a team lead when its officer has
gone, or when it has been overdue too long. Each change is audited, as the reminder job's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.clock import london_today
from crm.models import AuditAction, Contact, FollowUp, FollowUpStatus, Officer, OfficerRole
from crm.services import audit
from crm.services.visibility import visible_follow_ups

AUDITED_FIELDS = ("assignee_id", "escalated_to_id", "escalated_at")


@dataclass(frozen=True)
class EscalationReport:
    reassigned: int  # the officer had gone: now with their team lead
    escalated: int  # overdue too long: their team lead is told
    need_an_admin: int  # the officer had gone and there is no team lead to take it

    @property
    def total(self) -> int:
        return self.reassigned + self.escalated


def team_lead_of(session: Session, officer: Officer | None) -> Officer | None:
    """The active team lead of the officer's team, other than the officer; the longest
    serving one when a team has more than one."""
    if officer is None or officer.team_id is None:
        return None
    return session.scalar(
        select(Officer)
        .where(
            Officer.team_id == officer.team_id,
            Officer.role == OfficerRole.TEAM_LEAD,
            Officer.is_active.is_(True),
            Officer.id != officer.id,
        )
        .order_by(Officer.id)
        .limit(1)
    )


def escalate(session: Session, *, now: datetime, overdue_after_days: int) -> EscalationReport:
    reassigned, need_an_admin = _reassign_from_officers_who_left(session, now=now)
    escalated = _escalate_long_overdue(
        session, now=now, before=london_today(now) - timedelta(days=overdue_after_days)
    )
    return EscalationReport(reassigned, escalated, need_an_admin)


def escalated_to(session: Session, officer: Officer) -> list[FollowUp]:
    """Open follow-ups the reminder job passed to this officer as team lead, oldest due first."""
    return list(
        session.scalars(
            select(FollowUp)
            .join(Contact, Contact.id == FollowUp.contact_id)
            .where(
                FollowUp.status == FollowUpStatus.OPEN,
                FollowUp.escalated_to_id == officer.id,
                visible_follow_ups(officer),
            )
            .options(selectinload(FollowUp.contact), selectinload(FollowUp.assignee))
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


def follow_ups_without_an_officer(session: Session, *, viewer: Officer) -> list[FollowUp]:
    """Open follow-ups whose officer is deactivated or missing, that the viewer may see: after
    the reminder job has run, these are the ones with no team lead to take them."""
    return list(
        session.scalars(
            _without_an_officer()
            .join(Contact, Contact.id == FollowUp.contact_id)
            .where(visible_follow_ups(viewer))
            .options(selectinload(FollowUp.contact), selectinload(FollowUp.assignee))
        )
    )


def count_without_an_officer(session: Session) -> int:
    """All of them, hidden records included, so an admin knows some are out of their sight."""
    return session.scalar(select(func.count()).select_from(_without_an_officer().subquery())) or 0


def _without_an_officer():
    return (
        select(FollowUp)
        .outerjoin(Officer, Officer.id == FollowUp.assignee_id)
        .where(
            FollowUp.status == FollowUpStatus.OPEN,
            or_(FollowUp.assignee_id.is_(None), Officer.is_active.is_(False)),
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )


def _reassign_from_officers_who_left(session: Session, *, now: datetime) -> tuple[int, int]:
    reassigned = left_for_admins = 0
    for follow_up in session.scalars(_without_an_officer()).all():
        former = follow_up.assignee
        lead = team_lead_of(session, former)
        if lead is None:
            left_for_admins += 1
            continue
        before = audit.snapshot(follow_up, *AUDITED_FIELDS)
        follow_up.assignee = lead
        follow_up.escalated_to = lead
        follow_up.escalated_at = now
        session.flush()
        gone = f"{former.name} is no longer active" if former else "it had no officer"
        _audit(session, follow_up, before, f"Reassigned to {lead.name}: {gone}")
        reassigned += 1
    return reassigned, left_for_admins


def _escalate_long_overdue(session: Session, *, now: datetime, before: date) -> int:
    escalated = 0
    candidates = session.scalars(
        select(FollowUp)
        .join(Officer, Officer.id == FollowUp.assignee_id)
        .where(
            FollowUp.status == FollowUpStatus.OPEN,
            FollowUp.due_on < before,
            FollowUp.escalated_at.is_(None),
            Officer.is_active.is_(True),
        )
        .options(selectinload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    for follow_up in candidates:
        lead = team_lead_of(session, follow_up.assignee)
        if lead is None:  # a team lead's own, or an officer without a team: nobody above
            continue
        snapshot = audit.snapshot(follow_up, *AUDITED_FIELDS)
        follow_up.escalated_to = lead
        follow_up.escalated_at = now
        session.flush()
        days = (london_today(now) - follow_up.due_on).days
        _audit(session, follow_up, snapshot, f"Escalated to {lead.name}: overdue by {days} days")
        escalated += 1
    return escalated


def _audit(session: Session, follow_up: FollowUp, before: dict, summary: str) -> None:
    # officer_id None: the reminder job did it, not a person.
    audit.record(
        session,
        officer_id=None,
        action=AuditAction.CHANGED,
        subject_type="follow_up",
        subject_id=follow_up.id,
        summary=summary,
        before=before,
        after=audit.snapshot(follow_up, *AUDITED_FIELDS),
    )
