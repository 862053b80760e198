"""The calendar feed at its secret address, the account page that makes and revokes it, the
admin reminders page, and the warning every officer sees when reminders look stopped."""

from __future__ import annotations

import re
from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from crm.clock import utc_now
from crm.models import AuditEvent, FollowUpStatus, Officer, OfficerRole
from crm.services.officers import officer_by_email
from crm.services.reminders import run_reminders
from crm.unit_of_work import unit_of_work
from tests import factories

FEED_URL = re.compile(r"http://localhost/calendar/[A-Za-z0-9_-]+\.ics")
BANNER = "Reminders have not run"


def make_feed_address(officers) -> str:
    response = officers.post_form("/account/calendar", {})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Copy it now: it will not be shown again" in page
    match = FEED_URL.search(page)
    assert match, page
    return match.group(0).removeprefix("http://localhost")


def test_the_feed_lists_my_open_follow_ups_as_all_day_events(client, officers, database) -> None:
    me = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        mine = session.merge(me)
        hub = factories.organisation(session, "Northgate Youth Hub")
        colleague = factories.officer(session, name="Sam Colleague")
        private = factories.person(session, "A Private Person")
        private.is_restricted = True
        private.owner_id = colleague.id
        due = factories.follow_up(
            session, hub, due_on=date(2026, 3, 29), assignee=mine, note="Call about the grant"
        )
        done = factories.follow_up(session, hub, due_on=date(2026, 3, 30), assignee=mine)
        done.status = FollowUpStatus.DONE
        factories.follow_up(session, hub, due_on=date(2026, 3, 31), assignee=colleague)
        factories.follow_up(session, private, due_on=date(2026, 4, 1), assignee=mine)
        due_id = due.id

    feed = make_feed_address(officers)
    client.post("/sign-out", data={})  # calendar apps never sign in
    client.delete_cookie("session")
    response = client.get(feed)

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, no-store"
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"follow-up-{due_id}@localhost"
    assert str(event["SUMMARY"]) == "Follow up: Northgate Youth Hub"
    assert str(event["DESCRIPTION"]) == "Call about the grant"
    assert event.decoded("DTSTART") == date(2026, 3, 29)
    assert event.decoded("DTEND") == date(2026, 3, 30)
    assert str(event["URL"]) == f"http://localhost/follow-ups/{due_id}"
    assert event.decoded("DTSTAMP").tzinfo is not None
    # Fetched again, the same follow-up keeps its UID so calendars update, not duplicate.
    again = Calendar.from_ical(client.get(feed).data)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(event["UID"])]


def test_the_address_is_shown_once_and_stored_only_as_a_hash(client, officers, database) -> None:
    me = officers.signed_in()
    feed = make_feed_address(officers)
    token = feed.removeprefix("/calendar/").removesuffix(".ics")

    page = client.get("/account/calendar").get_data(as_text=True)

    assert "Your calendar feed is on" in page
    assert token not in page
    with unit_of_work(database.session_factory) as session:
        stored = session.get(Officer, me.id)
        assert stored.calendar_token_hash is not None
        assert token not in stored.calendar_token_hash
        summaries = session.scalars(
            select(AuditEvent.summary).where(
                AuditEvent.subject_type == "officer", AuditEvent.subject_id == me.id
            )
        ).all()
        assert "Made a calendar feed address" in summaries


def test_a_revoked_or_replaced_address_is_refused(client, officers) -> None:
    officers.signed_in()
    first = make_feed_address(officers)
    second = make_feed_address(officers)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    revoked = officers.post_form("/account/calendar/revoke", {}, form_page="/account/calendar")

    assert revoked.status_code == 302
    assert "Your calendar feed is off" in client.get("/account/calendar").get_data(as_text=True)
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_deactivated_officers_feed_stops(client, officers, database) -> None:
    me = officers.signed_in()
    feed = make_feed_address(officers)
    with unit_of_work(database.session_factory) as session:
        session.get(Officer, me.id).is_active = False

    assert client.get(feed).status_code == 404


def test_the_feed_stops_for_an_officer_who_must_set_up_a_second_factor(
    client, officers, database
) -> None:
    me = officers.signed_in()
    feed = make_feed_address(officers)
    with unit_of_work(database.session_factory) as session:
        session.get(Officer, me.id).role = OfficerRole.ADMIN  # admins need one; none is set

    assert client.get(feed).status_code == 404


def test_making_an_address_needs_the_form_token(client, officers, database) -> None:
    me = officers.signed_in()
    assert client.post("/account/calendar", data={}).status_code == 400
    assert client.post("/account/calendar/revoke", data={}).status_code == 400
    with unit_of_work(database.session_factory) as session:
        assert session.get(Officer, me.id).calendar_token_hash is None


def test_every_officer_is_warned_when_reminders_look_stopped(client, officers, database) -> None:
    me = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        session.get(Officer, me.id).created_at = utc_now() - timedelta(days=2)

    warned = client.get("/").get_data(as_text=True)
    assert BANNER in warned
    assert "Tell whoever looks after Weaver" in warned
    assert "See the reminder runs" not in warned  # only admins get the link

    with unit_of_work(database.session_factory) as session:
        run_reminders(session, now=utc_now(), mailer=None)

    assert BANNER not in client.get("/").get_data(as_text=True)


def test_the_admin_page_lists_runs_emails_and_work_with_nobody(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="admin@council.example", role=OfficerRole.ADMIN)
        gone = factories.officer(session, name="Lee Gone")
        hub = factories.organisation(session, "Northgate Youth Hub")
        factories.follow_up(session, hub, due_on=date(2026, 1, 5), assignee=gone)
        gone.is_active = False
        worker = factories.officer(session, name="Priya Shah")
        factories.follow_up(session, hub, due_on=date(2026, 1, 5), assignee=worker)
    with unit_of_work(database.session_factory) as session:
        run_reminders(session, now=utc_now().replace(hour=12), mailer=None)
    officers.sign_in("admin@council.example")

    page = client.get("/admin/reminders").get_data(as_text=True)

    assert "Latest runs" in page and "Finished" in page
    assert "Email is not set up (WEAVER_SMTP_HOST is empty)" in page
    assert "<bdi>Priya Shah</bdi>" in page
    assert "Not emailed: Email is not set up" in page
    assert "Follow-ups with nobody to do them" in page
    assert "(was <bdi>Lee Gone</bdi>’s)" in page
    with unit_of_work(database.session_factory) as session:
        assert officer_by_email(session, "admin@council.example") is not None
