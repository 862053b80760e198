"""The going-cold list: who is overdue for a touch, by how long, and when they last were."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crm.clock import utc_now
from crm.models import Officer
from crm.pagination import Page
from crm.permissions import Permission, can
from crm.services.cadences import count_going_cold, going_cold
from crm.services.follow_ups import team_member_ids
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import db_session

blueprint = Blueprint("going_cold", __name__, url_prefix="/going-cold")

PER_PAGE = 50


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    viewer = current_officer()
    who = _whose(viewer, request.args.get("who"))
    owner_ids = {
        "mine": [viewer.id],
        "team": team_member_ids(db_session(), viewer),
        "everyone": None,
    }[who]
    now = utc_now()
    total = count_going_cold(db_session(), viewer=viewer, owner_ids=owner_ids, now=now)
    last_page = max(1, -(-total // PER_PAGE))
    number = min(max(1, request.args.get("page", 1, type=int)), last_page)
    items = going_cold(
        db_session(),
        viewer=viewer,
        owner_ids=owner_ids,
        now=now,
        limit=PER_PAGE,
        offset=(number - 1) * PER_PAGE,
    )
    return render_template(
        "going_cold/index.html",
        page=Page(items=items, number=number, per_page=PER_PAGE, total=total),
        who=who,
        may_see_team=_may_see_team(viewer),
    )


def _whose(viewer: Officer, asked: str | None) -> str:
    """Whose contacts to list: the viewer's own unless they asked for everyone's, or for
    their team's and lead one."""
    if asked == "everyone" or (asked == "team" and _may_see_team(viewer)):
        return asked
    return "mine"


def _may_see_team(viewer: Officer) -> bool:
    return viewer.team_id is not None and can(viewer, Permission.REASSIGN_TEAM_WORK)
