from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from werkzeug.wrappers import Response

from crm.clock import london_today
from crm.permissions import Permission
from crm.services.follow_ups import due_within, open_follow_ups, overdue
from crm.services.health import database_is_reachable
from crm.services.timeline import recent_activity
from web.auth.access import public, requires
from web.auth.session import current_officer
from web.database import db_session

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    today = london_today()
    viewer = current_officer()
    mine = open_follow_ups(db_session(), viewer=viewer, assignee_id=viewer.id)
    return render_template(
        "home/index.html",
        overdue=overdue(mine, today),
        due_this_week=due_within(mine, today, days=7),
        recent=recent_activity(db_session(), viewer=viewer, limit=8),
        today=today,
    )


@blueprint.get("/health")
@public
def health() -> tuple[Response, int]:
    if database_is_reachable(db_session()):
        return jsonify(status="ok"), 200
    return jsonify(status="unavailable", detail="database unreachable"), 503


@blueprint.get("/accessibility")
@public
def accessibility() -> str:
    return render_template("home/accessibility.html")
