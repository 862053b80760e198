"""Reading the audit search from the query string, forgiving of anything malformed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from werkzeug.datastructures import MultiDict

from crm.clock import LONDON
from crm.models import AuditAction
from crm.services.audit import AuditFilter


@dataclass(frozen=True)
class AuditSearch:
    """What the officer typed, kept for redisplay, and the filter it means."""

    values: dict[str, str]
    audit_filter: AuditFilter
    errors: dict[str, str]


def read_search(args: MultiDict[str, str]) -> AuditSearch:
    values = {
        key: args.get(key, "").strip()[:100]
        for key in ("officer", "action", "subject_type", "subject_id", "from", "to")
    }
    errors: dict[str, str] = {}
    since = _day(values["from"], "from", errors)
    until = _day(values["to"], "to", errors)
    audit_filter = AuditFilter(
        officer_id=_number(values["officer"]),
        action=AuditAction(values["action"]) if values["action"] in set(AuditAction) else None,
        subject_type=values["subject_type"] or None,
        subject_id=_number(values["subject_id"]),
        since=since,
        until=until + timedelta(days=1) if until else None,
    )
    return AuditSearch(values=values, audit_filter=audit_filter, errors=errors)


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None


def _day(text: str, name: str, errors: dict[str, str]) -> datetime | None:
    """'24/11/2026' as the start of that day in the UK."""
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        errors[name] = "Enter a date like 24/11/2026"
        return None
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)
