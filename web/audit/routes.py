from __future__ import annotations

import json
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy.orm import Session, sessionmaker

from crm.clock import to_london, utc_now
from crm.exports import csv_lines
from crm.models import AuditAction
from crm.permissions import Permission
from crm.services import audit
from crm.services.audit import AuditFilter
from crm.services.officers import all_officers
from crm.unit_of_work import unit_of_work
from web.audit.filters import read_search
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, database, db_session

blueprint = Blueprint("audit", __name__, url_prefix="/audit")

EXPORT_HEADER = [
    "When (UK time)",
    "Officer",
    "Action",
    "Subject",
    "Subject id",
    "Summary",
    "Before",
    "After",
]


@blueprint.get("/")
@requires(Permission.READ_AUDIT)
def index() -> str:
    search = read_search(request.args)
    page = audit.search_audit(
        db_session(), search.audit_filter, page=request.args.get("page", 1, type=int)
    )
    return render_template(
        "audit/index.html",
        search=search,
        page=page,
        officers=all_officers(db_session()),
        actions=list(AuditAction),
        subject_types=audit.subject_types(db_session()),
    )


@blueprint.get("/export.csv")
@requires(Permission.EXPORT_DATA)
def export() -> Response:
    search = read_search(request.args)
    session = db_session()
    audit.record(
        session,
        officer_id=current_officer().id,
        action=AuditAction.EXPORTED,
        subject_type="audit log",
        subject_id=None,
        summary="Exported the audit log",
        after={key: value for key, value in search.values.items() if value},
    )
    commit()
    rows = _export_rows(database().session_factory, search.audit_filter)
    filename = f"weaver-audit-{to_london(utc_now()):%Y-%m-%d}.csv"
    return Response(
        csv_lines(EXPORT_HEADER, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _export_rows(
    session_factory: sessionmaker[Session], audit_filter: AuditFilter
) -> Iterator[list[object]]:
    """Rows read with a session of the export's own, open only while the file streams."""
    with unit_of_work(session_factory) as session:
        for event in audit.all_matching(session, audit_filter):
            yield [
                to_london(event.occurred_at).isoformat(timespec="seconds"),
                event.officer.email if event.officer else "system",
                event.action.value,
                event.subject_type,
                event.subject_id,
                event.summary,
                json.dumps(event.before) if event.before else "",
                json.dumps(event.after) if event.after else "",
            ]


@blueprint.get("/repeated-views")
@requires(Permission.READ_AUDIT)
def repeated_views() -> str:
    days = current_app.config["REPEATED_VIEW_DAYS"]
    threshold = current_app.config["REPEATED_VIEW_THRESHOLD"]
    return render_template(
        "audit/repeated_views.html",
        flagged=audit.repeated_views(db_session(), days=days, threshold=threshold),
        days=days,
        threshold=threshold,
    )
