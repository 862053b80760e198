"""My day: an officer's home page in one read. Their follow-ups by when they are due, who is
going cold, suggestions waiting, what was escalated to them, and whether reminders ran.

A team lead may ask for the team's day instead of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from crm.clock import london_today
from crm.models import FollowUp, Officer, ReminderRun, Suggestion
from crm.permissions import Permission, can
from crm.services.cadences import ColdContact, count_going_cold, going_cold
from crm.services.follow_ups import open_follow_ups, overdue, team_member_ids
from crm.services.reminders import escalated_to, last_reminder_run
from crm.services.suggestions import count_waiting, waiting_suggestions

GOING_COLD_SHOWN = 5
SUGGESTIONS_SHOWN = 5


@dataclass(frozen=True)
class MyDay:
    today: date
    for_team: bool
    overdue: list[FollowUp]
    due_today: list[FollowUp]
    # Tomorrow to six days from today: with today, a week.
    due_this_week: list[FollowUp]
    going_cold: list[ColdContact]
    going_cold_total: int
    suggestions: list[Suggestion]
    suggestions_total: int
    escalated: list[FollowUp]
    last_reminder_run: ReminderRun | None


def my_day(session: Session, *, viewer: Officer, now: datetime, for_team: bool = False) -> MyDay:
    """`now` decides "today" in London, so a follow-up due on the 2nd is due today from
    midnight London time, whether the clocks say GMT or BST."""
    for_team = for_team and can(viewer, Permission.REASSIGN_TEAM_WORK)
    whose = team_member_ids(session, viewer) if for_team else [viewer.id]
    today = london_today(now)
    follow_ups = open_follow_ups(session, viewer=viewer, assignee_ids=whose)
    week_ends = today + timedelta(days=6)
    return MyDay(
        today=today,
        for_team=for_team,
        overdue=overdue(follow_ups, today),
        due_today=[f for f in follow_ups if f.due_on == today],
        due_this_week=[f for f in follow_ups if today < f.due_on <= week_ends],
        going_cold=going_cold(
            session, viewer=viewer, owner_ids=whose, now=now, limit=GOING_COLD_SHOWN
        ),
        going_cold_total=count_going_cold(session, viewer=viewer, owner_ids=whose, now=now),
        suggestions=waiting_suggestions(session, viewer=viewer, assignee_ids=whose)[
            :SUGGESTIONS_SHOWN
        ],
        suggestions_total=count_waiting(session, viewer=viewer, assignee_ids=whose),
        escalated=escalated_to(session, viewer),
        last_reminder_run=last_reminder_run(session),
    )
