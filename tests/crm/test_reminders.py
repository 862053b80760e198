"""The reminder job: each digest goes once, at the right London hour, whatever the clocks do,
and officers can tell whether the job is running."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import (
    DigestDelivery,
    DigestKind,
    Officer,
    OfficerRole,
    ReminderRun,
    ReminderRunStatus,
    Team,
)
from crm.services.digest_delivery import EMAIL_NOT_SET_UP
from crm.services.digests import daily_period, weekly_period
from crm.services.reminders import (
    ReminderPolicy,
    last_reminder_run,
    reminders_look_stopped,
    run_reminders,
)
from tests import factories
from tests.crm.listening_world import listening_world
from tests.mail_server import MailCatcher, body_of, local_smtp_server, unreachable_mailer

# A Wednesday in summer (BST): 07:00 in London is 06:00 UTC.
WEDNESDAY_8AM = datetime(2026, 6, 10, 7, 0, tzinfo=UTC)
POLICY = ReminderPolicy(digest_hour=7, public_url="https://weaver.council.example")


@pytest.fixture
def smtp() -> Iterator[MailCatcher]:
    with local_smtp_server() as catcher:
        yield catcher


def officer_with_work(session: Session, *, due_on: date, name: str = "Priya Shah") -> Officer:
    officer = factories.officer(session, name=name)
    hub = factories.organisation(session, "Northgate Youth Hub")
    factories.follow_up(session, hub, due_on=due_on, assignee=officer, note="Send the letter")
    return officer


def deliveries(session: Session) -> list[DigestDelivery]:
    session.expire_all()
    return list(session.scalars(select(DigestDelivery).order_by(DigestDelivery.id)))


def test_a_double_run_sends_the_daily_digest_once(session: Session, smtp: MailCatcher) -> None:
    officer = officer_with_work(session, due_on=date(2026, 6, 9))

    first = run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=POLICY)
    second = run_reminders(
        session, now=WEDNESDAY_8AM + timedelta(minutes=15), mailer=smtp.mailer(), policy=POLICY
    )

    assert (first.digests_sent, second.digests_sent) == (1, 0)
    assert first.status is ReminderRunStatus.OK and second.status is ReminderRunStatus.OK
    [message] = smtp.to(officer.email)
    assert message["Subject"] == "Your day in Weaver, Wednesday 10 June 2026: 1 overdue"
    assert message["From"] == "weaver@council.example"
    assert message["Auto-Submitted"] == "auto-generated"
    body = body_of(message)
    assert "Good morning Priya Shah" in body
    assert "Overdue (1)\n- Northgate Youth Hub: Send the letter (due Tuesday 9 June 2026)" in body
    assert "See your day: https://weaver.council.example/" in body
    [delivery] = deliveries(session)
    assert delivery.email_sent and delivery.item_count == 1
    assert delivery.period_start == date(2026, 6, 10)


def test_after_a_missed_day_only_todays_digest_is_sent(session: Session, smtp: MailCatcher) -> None:
    officer = officer_with_work(session, due_on=date(2026, 6, 1))
    run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=POLICY)
    # The job was down all Thursday; it comes back on Friday afternoon.
    friday = WEDNESDAY_8AM + timedelta(days=2, hours=6)
    run_reminders(session, now=friday, mailer=smtp.mailer(), policy=POLICY)

    assert [m["Subject"].split(":")[0] for m in smtp.to(officer.email)] == [
        "Your day in Weaver, Wednesday 10 June 2026",
        "Your day in Weaver, Friday 12 June 2026",
    ]
    assert [d.period_start for d in deliveries(session)] == [date(2026, 6, 10), date(2026, 6, 12)]


def test_no_digest_before_the_digest_hour(session: Session, smtp: MailCatcher) -> None:
    officer_with_work(session, due_on=date(2026, 6, 9))
    early = WEDNESDAY_8AM - timedelta(hours=1, minutes=1)  # 06:59 in London

    run = run_reminders(session, now=early, mailer=smtp.mailer(), policy=POLICY)

    assert run.status is ReminderRunStatus.OK
    assert smtp.messages == [] and deliveries(session) == []


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # The last Sunday of March: clocks go forward at 01:00 UTC. 07:00 BST is 06:00 UTC.
        (datetime(2026, 3, 28, 6, 59, tzinfo=UTC), None),  # 06:59 GMT on Saturday
        (datetime(2026, 3, 28, 7, 0, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 3, 29, 5, 59, tzinfo=UTC), None),  # 06:59 BST
        (datetime(2026, 3, 29, 6, 0, tzinfo=UTC), date(2026, 3, 29)),  # 07:00 BST
        # The last Sunday of October: clocks go back at 01:00 UTC. 07:00 GMT is 07:00 UTC.
        (datetime(2026, 10, 24, 6, 0, tzinfo=UTC), date(2026, 10, 24)),  # 07:00 BST
        (datetime(2026, 10, 25, 6, 30, tzinfo=UTC), None),  # 06:30 GMT
        (datetime(2026, 10, 25, 7, 0, tzinfo=UTC), date(2026, 10, 25)),
        # Late evening UTC is already tomorrow in London in summer (too early for Monday's,
        # too late for Sunday's), not yet in winter.
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), None),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_the_daily_digest_is_due_at_seven_in_london_across_the_clock_changes(
    utc: datetime, expected: date | None
) -> None:
    assert daily_period(utc, 7) == expected


def test_the_team_digest_is_due_from_seven_on_monday_london_time() -> None:
    monday_after_clocks_go_forward = date(2026, 3, 30)
    assert weekly_period(datetime(2026, 3, 30, 5, 59, tzinfo=UTC), 7) is None
    assert weekly_period(datetime(2026, 3, 30, 6, 0, tzinfo=UTC), 7) == (
        monday_after_clocks_go_forward
    )
    # Sunday 23:30 UTC is already Monday 00:30 in London, but before the hour.
    assert weekly_period(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), 7) is None
    # Later in the week the week's digest is still due (a catch-up after downtime).
    assert weekly_period(datetime(2026, 4, 2, 12, 0, tzinfo=UTC), 7) == date(2026, 3, 30)
    # The Monday after the clocks go back: 07:00 GMT is 07:00 UTC.
    assert weekly_period(datetime(2026, 10, 26, 6, 30, tzinfo=UTC), 7) is None
    assert weekly_period(datetime(2026, 10, 26, 7, 0, tzinfo=UTC), 7) == date(2026, 10, 26)


def test_due_today_is_the_london_day_on_the_morning_the_clocks_change(
    session: Session, smtp: MailCatcher
) -> None:
    officer = factories.officer(session)
    hub = factories.organisation(session)
    factories.follow_up(session, hub, due_on=date(2026, 3, 29), assignee=officer, note="Call")
    factories.follow_up(session, hub, due_on=date(2026, 3, 28), assignee=officer, note="Write")

    run_reminders(
        session, now=datetime(2026, 3, 29, 6, 0, tzinfo=UTC), mailer=smtp.mailer(), policy=POLICY
    )

    [message] = smtp.to(officer.email)
    assert message["Subject"] == (
        "Your day in Weaver, Sunday 29 March 2026: 1 overdue, 1 due today"
    )
    body = body_of(message)
    assert "Due today (1)\n- Northgate Youth Hub: Call" in body
    assert "Overdue (1)\n- Northgate Youth Hub: Write" in body


def test_a_failed_send_is_recorded_and_retried_by_the_next_run(
    session: Session, smtp: MailCatcher
) -> None:
    officer = officer_with_work(session, due_on=date(2026, 6, 9))

    failed = run_reminders(session, now=WEDNESDAY_8AM, mailer=unreachable_mailer(), policy=POLICY)

    assert failed.status is ReminderRunStatus.OK  # the job ran; the mail server did not answer
    assert failed.digests_sent == 0
    assert "1 digests could not be sent and will be tried again" in (failed.error or "")
    [delivery] = deliveries(session)
    assert delivery.sent_at is None and not delivery.email_sent
    assert "ConnectionRefusedError" in (delivery.error or "")

    later = WEDNESDAY_8AM + timedelta(minutes=15)
    retried = run_reminders(session, now=later, mailer=smtp.mailer(), policy=POLICY)
    again = run_reminders(session, now=later + timedelta(minutes=15), mailer=smtp.mailer())

    assert (retried.digests_sent, again.digests_sent) == (1, 0)
    assert len(smtp.to(officer.email)) == 1
    [delivery] = deliveries(session)
    assert delivery.email_sent and delivery.error is None and delivery.sent_at == later


def test_without_a_mail_server_digests_are_recorded_as_not_emailed(session: Session) -> None:
    officer_with_work(session, due_on=date(2026, 6, 9))

    run = run_reminders(session, now=WEDNESDAY_8AM, mailer=None, policy=POLICY)
    again = run_reminders(session, now=WEDNESDAY_8AM + timedelta(hours=1), mailer=None)

    assert run.digests_sent == 0
    assert "Email is not set up (WEAVER_SMTP_HOST is empty)" in (run.error or "")
    assert again.error is None  # recorded once, not retried
    [delivery] = deliveries(session)
    assert delivery.error == EMAIL_NOT_SET_UP and not delivery.email_sent
    assert delivery.sent_at == WEDNESDAY_8AM and delivery.item_count == 1


def test_an_officer_with_nothing_due_gets_no_email(session: Session, smtp: MailCatcher) -> None:
    factories.officer(session)

    run = run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=POLICY)

    assert run.digests_sent == 0 and smtp.messages == []
    [delivery] = deliveries(session)
    assert delivery.item_count == 0 and delivery.sent_at == WEDNESDAY_8AM
    assert not delivery.email_sent and delivery.error is None


def test_deactivated_officers_get_no_digest(session: Session, smtp: MailCatcher) -> None:
    officer = officer_with_work(session, due_on=date(2026, 6, 9))
    officer.is_active = False

    run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=POLICY)

    assert smtp.to(officer.email) == []


def test_a_team_lead_gets_the_teams_week_once(session: Session, smtp: MailCatcher) -> None:
    team = Team(name="North")
    session.add(team)
    session.flush()
    lead = factories.officer(session, name="Dana Lead", role=OfficerRole.TEAM_LEAD)
    member = factories.officer(session, name="Sam Member")
    outsider = factories.officer(session, name="Kim Elsewhere")
    lead.team_id = member.team_id = team.id
    hub = factories.organisation(session)
    factories.follow_up(session, hub, due_on=date(2026, 6, 5), assignee=member, note="Overdue")
    factories.follow_up(session, hub, due_on=date(2026, 6, 12), assignee=member, note="Friday")
    factories.follow_up(session, hub, due_on=date(2026, 6, 19), assignee=member, note="Later")
    factories.follow_up(
        session, hub, due_on=date(2026, 6, 11), assignee=outsider, note="Kim's call"
    )

    run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=POLICY)
    run_reminders(session, now=WEDNESDAY_8AM + timedelta(days=1), mailer=smtp.mailer())

    [weekly] = [m for m in smtp.to(lead.email) if "team's week" in m["Subject"]]
    assert weekly["Subject"] == (
        "Your team's week in Weaver, from Monday 8 June 2026: 1 overdue, 1 due this week"
    )
    body = body_of(weekly)
    assert "- Northgate Youth Hub: Overdue (due Friday 5 June 2026, Sam Member)" in body
    assert "- Northgate Youth Hub: Friday (due Friday 12 June 2026, Sam Member)" in body
    assert "Later" not in body and "Kim's call" not in body
    kinds = {(d.officer_id, d.kind) for d in deliveries(session)}
    assert (lead.id, DigestKind.WEEKLY_TEAM) in kinds
    assert (member.id, DigestKind.WEEKLY_TEAM) not in kinds


def test_a_run_cut_off_by_a_crash_is_marked_failed_by_the_next(session: Session) -> None:
    crashed = ReminderRun(started_at=WEDNESDAY_8AM - timedelta(hours=2))
    session.add(crashed)
    session.commit()

    run_reminders(session, now=WEDNESDAY_8AM, mailer=None, policy=POLICY)

    session.refresh(crashed)
    assert crashed.status is ReminderRunStatus.FAILED
    assert crashed.error == "Cut off: the scheduler stopped during this run"


def test_the_last_run_is_the_newest_finished_one(session: Session) -> None:
    assert last_reminder_run(session) is None
    finished = run_reminders(session, now=WEDNESDAY_8AM, mailer=None, policy=POLICY)
    session.add(ReminderRun(started_at=WEDNESDAY_8AM + timedelta(minutes=15)))  # still going
    session.commit()

    assert last_reminder_run(session) == finished
    assert finished.finished_at is not None and finished.finished_at >= WEDNESDAY_8AM


def test_reminders_look_stopped_after_a_day_without_a_finished_run(session: Session) -> None:
    officer = factories.officer(session)
    officer.created_at = WEDNESDAY_8AM - timedelta(days=3)
    session.flush()
    # Never run, on an installation older than a day.
    assert reminders_look_stopped(session, now=WEDNESDAY_8AM)

    run_reminders(session, now=WEDNESDAY_8AM, mailer=None, policy=POLICY)

    assert not reminders_look_stopped(session, now=WEDNESDAY_8AM + timedelta(hours=23))
    assert reminders_look_stopped(session, now=WEDNESDAY_8AM + timedelta(hours=25))


def test_a_new_installation_gets_a_days_grace(session: Session) -> None:
    assert not reminders_look_stopped(session, now=WEDNESDAY_8AM)  # nobody to warn yet
    officer = factories.officer(session)
    assert not reminders_look_stopped(session, now=officer.created_at + timedelta(hours=23))
    assert reminders_look_stopped(session, now=officer.created_at + timedelta(hours=25))


def test_a_run_makes_suggestions_and_the_digest_lists_them(
    session: Session, smtp: MailCatcher
) -> None:
    world = listening_world(session, tier_days=30)
    hub = world.organisation("Northgate Youth Hub", created_at=WEDNESDAY_8AM)
    angry = "This is terrible, the worst bin service ever @riversidecouncil"
    world.post(
        world.account_of(hub, "northgateyouth"),
        angry,
        at=WEDNESDAY_8AM - timedelta(hours=2),
        mentions=(world.council_account,),
    )

    run = run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=POLICY)

    assert run.suggestions_made == 1
    [message] = smtp.to(world.owner.email)
    assert "1 suggestion" in message["Subject"]
    assert "Suggested follow-ups waiting (1)\n- Northgate Youth Hub:" in body_of(message)


def test_a_failing_step_is_recorded_and_the_digests_still_go(
    session: Session, smtp: MailCatcher
) -> None:
    officer = officer_with_work(session, due_on=date(2026, 6, 9))
    # A setting too large for any date: escalation cannot work out what is overdue.
    broken = ReminderPolicy(digest_hour=7, escalate_after_days=10**9)

    run = run_reminders(session, now=WEDNESDAY_8AM, mailer=smtp.mailer(), policy=broken)

    assert run.status is ReminderRunStatus.FAILED
    assert (run.error or "").startswith("Escalation failed:")
    assert run.digests_sent == 1 and len(smtp.to(officer.email)) == 1
    assert run.finished_at is not None
