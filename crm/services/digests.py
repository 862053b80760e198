"""What goes in a digest, and which day or week a digest is due for.

A digest covers one London day (an officer's own) or one London week from Monday (a team
lead's team). It is due once the London clock reaches the digest hour on that day, or on the
Monday of that week. Only the current day or week is ever due: after downtime the job sends
today's digest, never a backlog of stale ones, because today's already lists everything that is
still overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from crm.clock import to_london
from crm.models import FollowUp, Officer, Suggestion
from crm.services.cadences import ColdContact, count_going_cold, going_cold
from crm.services.escalation import escalated_to
from crm.services.follow_ups import open_follow_ups, overdue, team_follow_ups
from crm.services.suggestions import waiting_suggestions

# Enough to act on over a coffee; the rest is one click away in Weaver.
GOING_COLD_SHOWN = 10


def daily_period(now: datetime, digest_hour: int) -> date | None:
    """The London day whose digest is due at `now`, or None before the digest hour."""
    london_now = to_london(now)
    if london_now.time() < time(digest_hour):
        return None
    return london_now.date()


def weekly_period(now: datetime, digest_hour: int) -> date | None:
    """The Monday of the London week whose team digest is due at `now`, or None on a Monday
    before the digest hour."""
    london_now = to_london(now)
    monday = london_now.date() - timedelta(days=london_now.weekday())
    if london_now.date() == monday and london_now.time() < time(digest_hour):
        return None
    return monday


@dataclass(frozen=True)
class DailyDigest:
    officer: Officer
    day: date
    overdue: list[FollowUp]
    due_today: list[FollowUp]
    escalated: list[FollowUp]
    going_cold: list[ColdContact]
    going_cold_count: int
    suggestions: list[Suggestion]

    @property
    def item_count(self) -> int:
        return (
            len(self.overdue)
            + len(self.due_today)
            + len(self.escalated)
            + self.going_cold_count
            + len(self.suggestions)
        )


@dataclass(frozen=True)
class TeamDigest:
    lead: Officer
    week_start: date
    today: date
    overdue: list[FollowUp]
    due_this_week: list[FollowUp]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def item_count(self) -> int:
        return len(self.overdue) + len(self.due_this_week)


def daily_digest(session: Session, officer: Officer, *, day: date, now: datetime) -> DailyDigest:
    mine = open_follow_ups(session, viewer=officer, assignee_ids=[officer.id])
    listed = {f.id for f in mine if f.due_on <= day}
    return DailyDigest(
        officer=officer,
        day=day,
        overdue=overdue(mine, day),
        due_today=[f for f in mine if f.due_on == day],
        escalated=[f for f in escalated_to(session, officer) if f.id not in listed],
        going_cold=going_cold(
            session, viewer=officer, owner_ids=[officer.id], now=now, limit=GOING_COLD_SHOWN
        ),
        going_cold_count=count_going_cold(session, viewer=officer, owner_ids=[officer.id], now=now),
        # Unassigned suggestions wait on the suggestions page, not in everyone's inbox.
        suggestions=[
            s
            for s in waiting_suggestions(session, viewer=officer, assignee_ids=[officer.id])
            if s.assignee_id == officer.id
        ],
    )


def team_digest(session: Session, lead: Officer, *, week_start: date, today: date) -> TeamDigest:
    week_end = week_start + timedelta(days=6)
    team = [f for f in team_follow_ups(session, lead=lead) if f.due_on <= week_end]
    return TeamDigest(
        lead=lead,
        week_start=week_start,
        today=today,
        overdue=overdue(team, today),
        due_this_week=[f for f in team if f.due_on >= today],
    )
