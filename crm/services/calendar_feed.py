"""An officer's open follow-ups as an iCalendar feed (RFC 5545), so they appear in Outlook.

The feed lives at a secret address. Only the SHA-256 of its token is stored: the address is
shown once when made, and making a new one or revoking it stops the old one at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vDuration
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import as_utc
from crm.models import AuditAction, FollowUp, Officer
from crm.permissions import Permission, can
from crm.services import audit
from crm.services.follow_ups import open_follow_ups

PRODUCT_ID = "-//Weaver//Follow-ups//EN"
CALENDAR_NAME = "Weaver follow-ups"
# How often calendar apps that honour it should fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=1)


def hash_calendar_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(session: Session, officer: Officer) -> str:
    """A new secret for the officer's feed, replacing any earlier one. Shown once."""
    token = secrets.token_urlsafe(32)
    replacing = officer.calendar_token_hash is not None
    officer.calendar_token_hash = hash_calendar_token(token)
    audit.record_about_officer(
        session,
        officer,
        by=officer.id,
        action=AuditAction.CHANGED,
        summary="Replaced the calendar feed address"
        if replacing
        else "Made a calendar feed address",
    )
    return token


def revoke_calendar_token(session: Session, officer: Officer) -> bool:
    """Stop the officer's feed; False when there was none."""
    if officer.calendar_token_hash is None:
        return False
    officer.calendar_token_hash = None
    audit.record_about_officer(
        session,
        officer,
        by=officer.id,
        action=AuditAction.CHANGED,
        summary="Revoked the calendar feed address",
    )
    return True


def officer_for_calendar_token(session: Session, token: str) -> Officer | None:
    """The officer whose feed this is, while they may still read Weaver."""
    if not token:
        return None
    officer = session.scalar(
        select(Officer).where(Officer.calendar_token_hash == hash_calendar_token(token))
    )
    if officer is None or not can(officer, Permission.READ_CRM):
        return None
    if officer.must_set_up_two_factor:  # signed in, they could do nothing else either
        return None
    return officer


def calendar_feed(
    session: Session,
    officer: Officer,
    *,
    now: datetime,
    follow_up_url: Callable[[FollowUp], str],
    uid_domain: str,
) -> bytes:
    """The officer's open follow-ups, each an all-day event on its due date. Only what the
    officer may see: a follow-up about a record hidden from them is left out."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    # Outlook reads the older, non-standard name.
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL).to_ical().decode())
    stamp = as_utc(now)
    for follow_up in open_follow_ups(session, viewer=officer, assignee_id=officer.id):
        calendar.add_component(_event(follow_up, stamp, follow_up_url(follow_up), uid_domain))
    return calendar.to_ical()


def _event(follow_up: FollowUp, stamp: datetime, url: str, uid_domain: str) -> Event:
    event = Event()
    # Stable for the life of the follow-up, so a calendar updates the event rather than
    # adding another each time it fetches the feed.
    event.add("uid", f"follow-up-{follow_up.id}@{uid_domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", follow_up.due_on)
    event.add("dtend", follow_up.due_on + timedelta(days=1))
    event.add("summary", f"Follow up: {follow_up.contact.name}")
    if follow_up.note:
        event.add("description", follow_up.note)
    event.add("url", url)
    # A reminder to do something, not a meeting: it does not make the officer look busy.
    event.add("transp", "TRANSPARENT")
    return event
