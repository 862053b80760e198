from __future__ import annotations

from flask import Blueprint, render_template, request

from crm.clock import london_today
from crm.permissions import Permission
from crm.services.follow_ups import open_follow_ups
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import db_session

blueprint = Blueprint("follow_ups", __name__, url_prefix="/follow-ups")


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    show_everyone = request.args.get("who") == "everyone"
    viewer = current_officer()
    follow_ups = open_follow_ups(
        db_session(), viewer=viewer, assignee_id=None if show_everyone else viewer.id
    )
    return render_template(
        "follow_ups/index.html",
        follow_ups=follow_ups,
        show_everyone=show_everyone,
        today=london_today(),
    )
