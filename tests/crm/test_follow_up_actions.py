"""What officers do with follow-ups: add, complete, snooze, reassign, dismiss; each audited,
each refused on a closed or hidden follow-up; and My day's "due today" in London time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, NotFound
from crm.models import (
    AuditEvent,
    FollowUp,
    FollowUpStatus,
    InteractionKind,
    Officer,
    OfficerRole,
    Organisation,
    Team,
)
from crm.services.cadences import last_touches
from crm.services.follow_ups import (
    FollowUpNotAllowed,
    FollowUpNotOpen,
    InteractionToLog,
    add_follow_up,
    complete_follow_up,
    dismiss_follow_up,
    reassign_choices,
    reassign_follow_up,
    snooze_follow_up,
    team_follow_ups,
    team_member_ids,
)
from crm.services.my_day import my_day
from crm.services.snoozing import SnoozePreset, snooze_date
from tests import factories

TODAY = date(2026, 11, 25)  # a Wednesday


def team(session: Session, name: str = "North locality team") -> Team:
    made = Team(name=name)
    session.add(made)
    session.flush()
    return made


def member(
    session: Session, of: Team | None, name: str, role: OfficerRole = OfficerRole.OFFICER
) -> Officer:
    officer = factories.officer(session, name=name, role=role)
    officer.team_id = of.id if of else None
    session.flush()
    return officer


def follow_up_for(
    session: Session, assignee: Officer | None, *, contact: Organisation | None = None
) -> FollowUp:
    contact = contact or factories.organisation(session, "Marshby Community Pantry")
    return factories.follow_up(session, contact, due_on=TODAY, assignee=assignee)


def audit_events(session: Session, follow_up: FollowUp) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "follow_up", AuditEvent.subject_id == follow_up.id)
            .order_by(AuditEvent.id)
        )
    )


# Adding


def test_a_new_follow_up_goes_to_the_contacts_owner_and_is_audited(session: Session) -> None:
    owner = factories.officer(session, name="Priya Owner")
    me = factories.officer(session, name="Sam Adder")
    pantry = factories.organisation(session, "Marshby Community Pantry", owner_id=owner.id)

    follow_up = add_follow_up(
        session,
        officer=me,
        contact_id=pantry.id,
        due_on=TODAY,
        note="Send the grant guidance",
        today=TODAY,
    )

    assert follow_up.assignee_id == owner.id
    assert follow_up.created_by_id == me.id
    [event] = audit_events(session, follow_up)
    assert event.officer_id == me.id
    assert event.after["assignee_id"] == owner.id
    assert event.after["note"] == "Send the grant guidance"


def test_without_an_active_owner_a_new_follow_up_goes_to_whoever_added_it(
    session: Session,
) -> None:
    gone = factories.officer(session, name="Left Last Year")
    gone.is_active = False
    me = factories.officer(session)
    pantry = factories.organisation(session, "Marshby Community Pantry", owner_id=gone.id)
    unowned = factories.organisation(session, "Riverside Allotments")

    first = add_follow_up(
        session, officer=me, contact_id=pantry.id, due_on=TODAY, note="x", today=TODAY
    )
    second = add_follow_up(
        session, officer=me, contact_id=unowned.id, due_on=TODAY, note="y", today=TODAY
    )

    assert first.assignee_id == me.id
    assert second.assignee_id == me.id


def test_a_follow_up_from_a_post_must_be_about_someone_linked_to_it(session: Session) -> None:
    me = factories.officer(session)
    pantry = factories.organisation(session, "Marshby Community Pantry")
    other = factories.organisation(session, "Riverside Allotments")
    coffee = factories.logged_interaction(
        session, [pantry], when=datetime(2026, 11, 20, 10, tzinfo=UTC)
    )

    made = add_follow_up(
        session,
        officer=me,
        contact_id=pantry.id,
        due_on=TODAY,
        note="Send the minutes",
        interaction_id=coffee.id,
        today=TODAY,
    )
    assert made.interaction_id == coffee.id
    with pytest.raises(InvalidInput, match="one of the contacts it was with"):
        add_follow_up(
            session,
            officer=me,
            contact_id=other.id,
            due_on=TODAY,
            note="x",
            interaction_id=coffee.id,
            today=TODAY,
        )


def test_a_follow_up_cannot_be_due_in_the_past_or_about_a_hidden_contact(
    session: Session,
) -> None:
    me = factories.officer(session)
    stranger = factories.officer(session)
    pantry = factories.organisation(session, "Marshby Community Pantry")
    private = factories.person(session, "Private Individual")
    private.is_restricted = True
    private.owner_id = stranger.id
    session.flush()

    with pytest.raises(InvalidInput, match="today or in the future") as error:
        add_follow_up(
            session,
            officer=me,
            contact_id=pantry.id,
            due_on=TODAY - timedelta(days=1),
            note="x",
            today=TODAY,
        )
    assert error.value.field == "due_on"
    with pytest.raises(InvalidInput, match="Choose who"):
        add_follow_up(
            session, officer=me, contact_id=private.id, due_on=TODAY, note="x", today=TODAY
        )
    with pytest.raises(InvalidInput, match="can see this contact"):
        add_follow_up(
            session,
            officer=stranger,
            contact_id=private.id,
            due_on=TODAY,
            note="x",
            assignee_id=me.id,
            today=TODAY,
        )


# Completing


def test_completing_records_who_and_when_and_is_audited(session: Session) -> None:
    me = factories.officer(session)
    follow_up = follow_up_for(session, me)

    complete_follow_up(session, follow_up.id, officer=me)

    assert follow_up.status is FollowUpStatus.DONE
    assert follow_up.closed_by_id == me.id
    assert follow_up.completed_at is not None
    assert follow_up.closing_interaction_id is None
    [event] = audit_events(session, follow_up)
    assert event.before == {"status": "open"}
    assert event.after["status"] == "done"


def test_completing_can_log_the_interaction_that_did_it(session: Session) -> None:
    me = factories.officer(session)
    follow_up = follow_up_for(session, me)
    called_at = datetime.now(UTC) - timedelta(hours=1)

    complete_follow_up(
        session,
        follow_up.id,
        officer=me,
        log_interaction=InteractionToLog(
            kind=InteractionKind.CALL, note="Talked through the grant form", occurred_at=called_at
        ),
    )

    logged = follow_up.closing_interaction
    assert logged is not None
    assert logged.kind is InteractionKind.CALL
    assert logged.text == "Talked through the grant form"
    assert [c.id for c in logged.contacts] == [follow_up.contact_id]
    assert logged.logged_by_id == me.id
    touch = last_touches(session, [follow_up.contact_id])[follow_up.contact_id]
    assert touch.how == "Follow-up completed"  # the completion is the latest touch


def test_a_bad_closing_interaction_leaves_the_follow_up_open(session: Session) -> None:
    me = factories.officer(session)
    follow_up = follow_up_for(session, me)

    with pytest.raises(InvalidInput):
        complete_follow_up(
            session,
            follow_up.id,
            officer=me,
            log_interaction=InteractionToLog(
                kind=InteractionKind.CALL,
                note="",
                occurred_at=datetime.now(UTC) + timedelta(days=2),
            ),
        )

    session.refresh(follow_up)
    assert follow_up.status is FollowUpStatus.OPEN


def test_a_closed_follow_up_cannot_be_acted_on_again(session: Session) -> None:
    me = factories.officer(session)
    done = follow_up_for(session, me)
    dismissed = factories.follow_up(session, done.contact, due_on=TODAY, assignee=me)
    complete_follow_up(session, done.id, officer=me)
    dismiss_follow_up(session, dismissed.id, officer=me, reason="Event cancelled")

    with pytest.raises(FollowUpNotOpen, match="already been marked as done"):
        complete_follow_up(session, done.id, officer=me)
    with pytest.raises(FollowUpNotOpen, match="already been dismissed"):
        snooze_follow_up(
            session, dismissed.id, officer=me, until=TODAY + timedelta(days=1), today=TODAY
        )
    with pytest.raises(FollowUpNotOpen):
        dismiss_follow_up(session, done.id, officer=me, reason="again")


def test_a_follow_up_about_a_hidden_contact_cannot_be_touched(session: Session) -> None:
    owner = factories.officer(session)
    outsider = factories.officer(session)
    private = factories.person(session, "Private Individual")
    private.is_restricted = True
    private.owner_id = owner.id
    follow_up = factories.follow_up(session, private, due_on=TODAY, assignee=owner)

    with pytest.raises(NotFound):
        complete_follow_up(session, follow_up.id, officer=outsider)
    with pytest.raises(NotFound):
        dismiss_follow_up(session, follow_up.id, officer=outsider, reason="nosy")


def test_a_read_only_viewer_cannot_change_follow_ups(session: Session) -> None:
    viewer = factories.officer(session, role=OfficerRole.VIEWER)
    follow_up = follow_up_for(session, viewer)

    with pytest.raises(FollowUpNotAllowed):
        complete_follow_up(session, follow_up.id, officer=viewer)


# Snoozing


def test_snoozing_moves_the_date_counts_and_is_audited(session: Session) -> None:
    me = factories.officer(session)
    follow_up = follow_up_for(session, me)

    snooze_follow_up(session, follow_up.id, officer=me, until=date(2026, 11, 30), today=TODAY)
    snooze_follow_up(session, follow_up.id, officer=me, until=date(2026, 12, 7), today=TODAY)

    assert follow_up.due_on == date(2026, 12, 7)
    assert follow_up.snooze_count == 2
    assert follow_up.status is FollowUpStatus.OPEN
    events = audit_events(session, follow_up)
    assert [e.before["due_on"] for e in events] == ["2026-11-25", "2026-11-30"]
    assert events[-1].after == {"due_on": "2026-12-07", "snooze_count": 2}


@pytest.mark.parametrize(
    ("until", "message"),
    [(TODAY, "in the future"), (TODAY + timedelta(days=400), "within a year")],
)
def test_a_snooze_must_be_to_a_later_day_within_a_year(
    session: Session, until: date, message: str
) -> None:
    me = factories.officer(session)
    follow_up = follow_up_for(session, me)

    with pytest.raises(InvalidInput, match=message):
        snooze_follow_up(session, follow_up.id, officer=me, until=until, today=TODAY)


def test_snoozing_to_the_day_it_is_already_due_is_refused(session: Session) -> None:
    me = factories.officer(session)
    follow_up = factories.follow_up(
        session,
        factories.organisation(session),
        due_on=TODAY + timedelta(days=3),
        assignee=me,
    )

    with pytest.raises(InvalidInput, match="already due on that day"):
        snooze_follow_up(session, follow_up.id, officer=me, until=follow_up.due_on, today=TODAY)
    assert follow_up.snooze_count == 0


@pytest.mark.parametrize(
    ("today", "preset", "expected"),
    [
        (TODAY, SnoozePreset.TOMORROW, date(2026, 11, 26)),
        (TODAY, SnoozePreset.NEXT_WEEK, date(2026, 11, 30)),  # the Monday after
        (date(2026, 11, 30), SnoozePreset.NEXT_WEEK, date(2026, 12, 7)),  # Monday: a week on
        (date(2026, 11, 29), SnoozePreset.NEXT_WEEK, date(2026, 11, 30)),  # Sunday: tomorrow
        (TODAY, SnoozePreset.TWO_WEEKS, date(2026, 12, 9)),
        (TODAY, SnoozePreset.A_MONTH, date(2026, 12, 25)),
        (date(2026, 12, 15), SnoozePreset.A_MONTH, date(2027, 1, 15)),
        (date(2027, 1, 31), SnoozePreset.A_MONTH, date(2027, 2, 28)),
        (date(2028, 1, 31), SnoozePreset.A_MONTH, date(2028, 2, 29)),
    ],
)
def test_snooze_presets(today: date, preset: SnoozePreset, expected: date) -> None:
    assert snooze_date(preset, today) == expected


# Reassigning


def test_an_officer_may_pass_on_their_own_follow_up(session: Session) -> None:
    me = factories.officer(session, name="Sam Officer")
    colleague = factories.officer(session, name="Jo Colleague")
    follow_up = follow_up_for(session, me)

    reassign_follow_up(session, follow_up.id, officer=me, assignee_id=colleague.id)

    assert follow_up.assignee_id == colleague.id
    [event] = audit_events(session, follow_up)
    assert (event.before, event.after) == (
        {"assignee_id": me.id},
        {"assignee_id": colleague.id},
    )
    assert "to Jo Colleague" in event.summary


def test_an_officer_may_not_reassign_a_colleagues_follow_up(session: Session) -> None:
    north = team(session)
    me = member(session, north, "Sam Officer")
    colleague = member(session, north, "Jo Colleague")
    follow_up = follow_up_for(session, colleague)

    with pytest.raises(FollowUpNotAllowed):
        reassign_follow_up(session, follow_up.id, officer=me, assignee_id=me.id)
    assert reassign_choices(session, follow_up, officer=me) == []


def test_a_team_lead_moves_the_teams_work_within_the_team(session: Session) -> None:
    north, south = team(session), team(session, "South locality team")
    lead = member(session, north, "Lee Lead", OfficerRole.TEAM_LEAD)
    sam = member(session, north, "Sam Officer")
    jo = member(session, north, "Jo Officer")
    outsider = member(session, south, "Out Sider")
    gone = member(session, north, "Gone Officer")
    gone.is_active = False
    follow_up = follow_up_for(session, sam)

    assert [o.name for o in reassign_choices(session, follow_up, officer=lead)] == [
        "Jo Officer",
        "Lee Lead",
    ]
    with pytest.raises(InvalidInput, match="in your team"):
        reassign_follow_up(session, follow_up.id, officer=lead, assignee_id=outsider.id)
    with pytest.raises(InvalidInput):
        reassign_follow_up(session, follow_up.id, officer=lead, assignee_id=gone.id)
    reassign_follow_up(session, follow_up.id, officer=lead, assignee_id=jo.id)

    assert follow_up.assignee_id == jo.id
    [event] = audit_events(session, follow_up)
    assert event.officer_id == lead.id


def test_a_team_lead_may_not_reassign_another_teams_work(session: Session) -> None:
    north, south = team(session), team(session, "South locality team")
    lead = member(session, north, "Lee Lead", OfficerRole.TEAM_LEAD)
    outsider = member(session, south, "Out Sider")
    follow_up = follow_up_for(session, outsider)

    with pytest.raises(FollowUpNotAllowed):
        reassign_follow_up(session, follow_up.id, officer=lead, assignee_id=lead.id)


def test_nobody_is_given_a_follow_up_they_cannot_see(session: Session) -> None:
    north, south = team(session), team(session, "South locality team")
    me = member(session, north, "Sam Officer")
    outsider = member(session, south, "Out Sider")
    private = factories.person(session, "Private Individual")
    private.is_restricted = True
    private.owner_id = me.id
    follow_up = factories.follow_up(session, private, due_on=TODAY, assignee=me)

    assert outsider not in reassign_choices(session, follow_up, officer=me)
    with pytest.raises(InvalidInput, match="can see this contact"):
        reassign_follow_up(session, follow_up.id, officer=me, assignee_id=outsider.id)


def test_the_team_is_everyone_in_the_leads_team(session: Session) -> None:
    north = team(session)
    lead = member(session, north, "Lee Lead", OfficerRole.TEAM_LEAD)
    sam = member(session, north, "Sam Officer")
    loner = member(session, None, "Lone Officer")
    member(session, team(session, "South"), "Out Sider")
    theirs = follow_up_for(session, sam)
    unassigned = factories.follow_up(
        session,
        factories.organisation(session, "Owned by Sam", owner_id=sam.id),
        due_on=TODAY,
        assignee=None,
    )
    follow_up_for(session, loner)

    assert sorted(team_member_ids(session, lead)) == sorted([lead.id, sam.id])
    assert team_member_ids(session, loner) == [loner.id]
    assert {f.id for f in team_follow_ups(session, lead=lead)} == {theirs.id, unassigned.id}


# Dismissing


def test_dismissing_needs_a_reason_and_keeps_it(session: Session) -> None:
    me = factories.officer(session)
    follow_up = follow_up_for(session, me)

    with pytest.raises(InvalidInput, match="why") as error:
        dismiss_follow_up(session, follow_up.id, officer=me, reason="   ")
    assert error.value.field == "reason"
    dismiss_follow_up(session, follow_up.id, officer=me, reason="The event was cancelled")

    assert follow_up.status is FollowUpStatus.DISMISSED
    assert follow_up.dismissed_reason == "The event was cancelled"
    assert follow_up.closed_by_id == me.id
    [event] = audit_events(session, follow_up)
    assert event.after == {"status": "dismissed", "dismissed_reason": "The event was cancelled"}


# My day: "today" is the London date


@pytest.mark.parametrize(
    ("now", "london_date"),
    [
        # 23:30 UTC in summer is 00:30 the next day in London (BST)...
        (datetime(2026, 7, 1, 23, 30, tzinfo=UTC), date(2026, 7, 2)),
        # ...and in winter still 23:30 the same day (GMT).
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 15)),
        # The nights the clocks change: 29 March and 25 October 2026.
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_due_today_means_today_in_london(
    session: Session, now: datetime, london_date: date
) -> None:
    me = factories.officer(session)
    contact = factories.organisation(session, "Marshby Community Pantry")
    for offset, note in ((-1, "yesterday"), (0, "today"), (1, "tomorrow"), (6, "in six days")):
        factories.follow_up(
            session, contact, due_on=london_date + timedelta(days=offset), assignee=me, note=note
        )
    factories.follow_up(
        session, contact, due_on=london_date + timedelta(days=7), assignee=me, note="next week"
    )

    day = my_day(session, viewer=me, now=now)

    assert day.today == london_date
    assert [f.note for f in day.overdue] == ["yesterday"]
    assert [f.note for f in day.due_today] == ["today"]
    assert [f.note for f in day.due_this_week] == ["tomorrow", "in six days"]


def test_a_team_lead_can_see_the_teams_day(session: Session) -> None:
    north = team(session)
    lead = member(session, north, "Lee Lead", OfficerRole.TEAM_LEAD)
    sam = member(session, north, "Sam Officer")
    plain = member(session, north, "Plain Officer")
    contact = factories.organisation(session, "Marshby Community Pantry")
    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    factories.follow_up(session, contact, due_on=TODAY, assignee=lead, note="lead's")
    factories.follow_up(session, contact, due_on=TODAY, assignee=sam, note="sam's")

    own = my_day(session, viewer=lead, now=now)
    whole_team = my_day(session, viewer=lead, now=now, for_team=True)
    not_a_lead = my_day(session, viewer=plain, now=now, for_team=True)

    assert [f.note for f in own.due_today] == ["lead's"]
    assert sorted(f.note for f in whole_team.due_today) == ["lead's", "sam's"]
    assert not_a_lead.for_team is False
    assert not_a_lead.due_today == []
