"""My day (the home page), the health check and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from werkzeug.wrappers import Response

from crm.clock import utc_now
from crm.permissions import Permission
from crm.services.health import database_is_reachable
from crm.services.my_day import my_day
from crm.services.timeline import recent_activity
from web.auth.access import public, requires
from web.auth.session import current_officer
from web.database import db_session
from web.follow_ups.forms import snooze_options

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    viewer = current_officer()
    day = my_day(
        db_session(), viewer=viewer, now=utc_now(), for_team=request.args.get("view") == "team"
    )
    return render_template(
        "home/index.html",
        day=day,
        presets=snooze_options(day.today),
        recent=recent_activity(db_session(), viewer=viewer, limit=8),
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
