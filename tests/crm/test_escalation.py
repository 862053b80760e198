"""Escalation: work never stays with an officer who has gone, and long-overdue work reaches the
team lead, once, on the record."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import AuditEvent, FollowUp, Officer, OfficerRole, Team
from crm.services.escalation import count_without_an_officer, follow_ups_without_an_officer
from crm.services.follow_ups import reassign_follow_up
from crm.services.reminders import ReminderPolicy, escalated_to, run_reminders
from tests import factories

# Wednesday 10 June 2026, 08:00 in London.
NOW = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


def team_of(session: Session, name: str = "North") -> tuple[Officer, Officer]:
    team = Team(name=name)
    session.add(team)
    session.flush()
    lead = factories.officer(session, name="Dana Lead", role=OfficerRole.TEAM_LEAD)
    member = factories.officer(session, name="Sam Member")
    lead.team_id = member.team_id = team.id
    session.flush()
    return lead, member


def escalation_events(session: Session, follow_up: FollowUp) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_type == "follow_up", AuditEvent.subject_id == follow_up.id
            )
        )
    )


def test_a_deactivated_officers_work_goes_to_their_team_lead(session: Session) -> None:
    lead, member = team_of(session)
    hub = factories.organisation(session)
    item = factories.follow_up(session, hub, due_on=date(2026, 6, 20), assignee=member)
    member.is_active = False

    run = run_reminders(session, now=NOW, mailer=None)

    session.refresh(item)
    assert item.assignee_id == lead.id
    assert item.escalated_to_id == lead.id and item.escalated_at == NOW
    assert run.escalations == 1
    assert escalated_to(session, lead) == [item]
    [event] = escalation_events(session, item)
    assert event.officer_id is None  # the reminder job, not a person
    assert event.summary == "Reassigned to Dana Lead: Sam Member is no longer active"
    assert event.before is not None and event.before["assignee_id"] == member.id
    assert event.after is not None and event.after["assignee_id"] == lead.id


def test_work_with_nobody_to_take_it_is_left_for_an_admin(session: Session) -> None:
    loner = factories.officer(session, name="Lee Alone")
    hub = factories.organisation(session)
    orphan = factories.follow_up(session, hub, due_on=TODAY, assignee=loner)
    unassigned = factories.follow_up(session, hub, due_on=TODAY, assignee=None)
    loner.is_active = False

    run = run_reminders(session, now=NOW, mailer=None)

    assert run.escalations == 0
    admin = factories.officer(session, role=OfficerRole.ADMIN)
    assert follow_ups_without_an_officer(session, viewer=admin) == [orphan, unassigned]
    assert count_without_an_officer(session) == 2
    session.refresh(orphan)
    assert orphan.assignee_id == loner.id and orphan.escalated_at is None


def test_long_overdue_work_is_escalated_once(session: Session) -> None:
    lead, member = team_of(session)
    hub = factories.organisation(session)
    eight_days = factories.follow_up(session, hub, due_on=date(2026, 6, 2), assignee=member)
    seven_days = factories.follow_up(session, hub, due_on=date(2026, 6, 3), assignee=member)

    first = run_reminders(session, now=NOW, mailer=None)
    second = run_reminders(session, now=NOW.replace(hour=8), mailer=None)

    assert (first.escalations, second.escalations) == (1, 0)
    session.refresh(eight_days)
    session.refresh(seven_days)
    assert eight_days.escalated_to_id == lead.id and eight_days.assignee_id == member.id
    assert seven_days.escalated_at is None  # overdue by 7 days is not more than 7
    [event] = escalation_events(session, eight_days)
    assert event.summary == "Escalated to Dana Lead: overdue by 8 days"
    assert escalated_to(session, lead) == [eight_days]
    assert escalated_to(session, member) == []


def test_escalated_work_passed_on_by_the_lead_leaves_their_list_and_is_not_escalated_again(
    session: Session,
) -> None:
    lead, member = team_of(session)
    colleague = factories.officer(session, name="Kit Colleague")
    colleague.team_id = lead.team_id
    hub = factories.organisation(session)
    item = factories.follow_up(session, hub, due_on=date(2026, 6, 2), assignee=member)
    run_reminders(session, now=NOW, mailer=None)

    reassign_follow_up(session, item.id, officer=lead, assignee_id=colleague.id)
    again = run_reminders(session, now=NOW.replace(hour=8), mailer=None)

    assert escalated_to(session, lead) == []
    assert item.assignee_id == colleague.id and item.escalated_to_id is None
    assert item.escalated_at == NOW
    assert again.escalations == 0


def test_the_escalation_delay_is_configurable(session: Session) -> None:
    lead, member = team_of(session)
    hub = factories.organisation(session)
    item = factories.follow_up(session, hub, due_on=date(2026, 6, 6), assignee=member)

    run_reminders(session, now=NOW, mailer=None, policy=ReminderPolicy(escalate_after_days=3))

    session.refresh(item)
    assert item.escalated_to_id == lead.id


def test_a_team_leads_own_overdue_work_has_nobody_to_go_to(session: Session) -> None:
    lead, _ = team_of(session)
    hub = factories.organisation(session)
    item = factories.follow_up(session, hub, due_on=date(2026, 5, 1), assignee=lead)

    run = run_reminders(session, now=NOW, mailer=None)

    session.refresh(item)
    assert run.escalations == 0 and item.escalated_at is None


def test_done_work_is_never_escalated_and_leaves_the_leads_list(session: Session) -> None:
    lead, member = team_of(session)
    hub = factories.organisation(session)
    item = factories.follow_up(session, hub, due_on=date(2026, 5, 1), assignee=member)
    run_reminders(session, now=NOW, mailer=None)
    assert escalated_to(session, lead) == [item]

    item.status = item.status.DONE
    session.flush()

    assert escalated_to(session, lead) == []


def test_escalated_work_about_a_hidden_record_is_not_listed(session: Session) -> None:
    lead, member = team_of(session)
    other_team_officer = factories.officer(session, name="Kim Elsewhere")
    private = factories.person(session, "A Private Person")
    private.is_restricted = True
    private.owner_id = other_team_officer.id
    item = factories.follow_up(session, private, due_on=date(2026, 5, 1), assignee=member)
    item.escalated_to_id = lead.id
    item.escalated_at = NOW
    session.flush()

    assert escalated_to(session, lead) == []
