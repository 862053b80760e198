"""Digests as plain-text email: short, in plain English, every date in London time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from email.headerregistry import Address
from email.message import EmailMessage

from crm.clock import to_london
from crm.models import FollowUp, Officer
from crm.services.cadences import ColdContact
from crm.services.digests import DailyDigest, TeamDigest

NOTE_LENGTH = 80


def daily_message(digest: DailyDigest, *, sender: str, public_url: str | None) -> EmailMessage:
    counts = _counts(
        (len(digest.overdue), "overdue"),
        (len(digest.due_today), "due today"),
        (len(digest.escalated), "passed to you"),
        (digest.going_cold_count, "going cold"),
        (len(digest.suggestions), "suggestion" if len(digest.suggestions) == 1 else "suggestions"),
    )
    lines = [f"Good morning {digest.officer.name},", "", f"Your day in Weaver: {counts}."]
    lines += _section("Overdue", [_follow_up_line(f) for f in digest.overdue])
    lines += _section("Due today", [_follow_up_line(f) for f in digest.due_today])
    lines += _section(
        "Passed to you as team lead",
        [_follow_up_line(f, with_assignee=True) for f in digest.escalated],
    )
    lines += _section(
        "Going cold",
        [_cold_line(cold) for cold in digest.going_cold],
        more=digest.going_cold_count - len(digest.going_cold),
    )
    lines += _section(
        "Suggested follow-ups waiting",
        [
            f"- {s.contact.name if s.contact else 'No contact'}: {s.reason}"
            for s in digest.suggestions
        ],
    )
    lines += _footer(public_url, "See your day")
    return _message(
        to=digest.officer,
        sender=sender,
        subject=f"Your day in Weaver, {_day(digest.day)}: {counts}",
        body=lines,
    )


def team_message(digest: TeamDigest, *, sender: str, public_url: str | None) -> EmailMessage:
    counts = _counts((len(digest.overdue), "overdue"), (len(digest.due_this_week), "due this week"))
    lines = [
        f"Good morning {digest.lead.name},",
        "",
        f"Your team's week in Weaver, {_day(digest.week_start)} to {_day(digest.week_end)}: "
        f"{counts}.",
    ]
    lines += _section("Overdue", [_follow_up_line(f, with_assignee=True) for f in digest.overdue])
    lines += _section(
        "Due this week", [_follow_up_line(f, with_assignee=True) for f in digest.due_this_week]
    )
    lines += _footer(public_url, "See your team's follow-ups")
    return _message(
        to=digest.lead,
        sender=sender,
        subject=f"Your team's week in Weaver, from {_day(digest.week_start)}: {counts}",
        body=lines,
    )


def _message(*, to: Officer, sender: str, subject: str, body: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = Address(display_name=to.name, addr_spec=to.email)
    # Tells mail servers not to send out-of-office replies to a machine.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(body) + "\n")
    return message


def _counts(*parts: tuple[int, str]) -> str:
    return ", ".join(f"{number} {words}" for number, words in parts if number) or "nothing due"


def _section(title: str, lines: Iterable[str], *, more: int = 0) -> list[str]:
    lines = list(lines)
    if not lines:
        return []
    tail = [f"...and {more} more"] if more > 0 else []
    return ["", f"{title} ({len(lines) + max(more, 0)})", *lines, *tail]


def _follow_up_line(follow_up: FollowUp, *, with_assignee: bool = False) -> str:
    line = f"- {follow_up.contact.name}: {_short(follow_up.note) or 'Follow up'}"
    line += f" (due {_day(follow_up.due_on)}"
    if with_assignee:
        line += f", {follow_up.assignee.name if follow_up.assignee else 'nobody'}"
    return line + ")"


def _cold_line(cold: ColdContact) -> str:
    if cold.last_touch is None:
        touched = "never touched"
    else:
        touched = (
            f"last touched {_day(to_london(cold.last_touch.at).date())} ({cold.last_touch.how})"
        )
    days = "day" if cold.overdue_days == 1 else "days"
    return f"- {cold.contact.name}: {touched}, {cold.overdue_days} {days} past its cadence"


def _footer(public_url: str | None, words: str) -> list[str]:
    if not public_url:
        return ["", "Open Weaver to see more."]
    return ["", f"{words}: {public_url}/"]


def _short(note: str) -> str:
    first_line = note.strip().splitlines()[0] if note.strip() else ""
    if len(first_line) <= NOTE_LENGTH:
        return first_line
    return first_line[: NOTE_LENGTH - 1].rstrip() + "…"


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
