from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for

from crm.clock import utc_now
from crm.models import FollowUp
from crm.services.calendar_feed import calendar_feed, officer_for_calendar_token
from web.auth.access import public
from web.database import db_session

blueprint = Blueprint("calendar", __name__, url_prefix="/calendar")


@blueprint.get("/<token>.ics")
# Public because calendar apps cannot sign in: the secret in the address is the key.
@public
def feed(token: str) -> Response:
    session = db_session()
    officer = officer_for_calendar_token(session, token)
    if officer is None:
        abort(404)
    body = calendar_feed(
        session,
        officer,
        now=utc_now(),
        follow_up_url=_follow_up_url,
        uid_domain=request.host.split(":")[0] or "weaver",
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="weaver-follow-ups.ics"'
    # The address is a secret: no shared cache may keep the feed.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _follow_up_url(follow_up: FollowUp) -> str:
    return url_for("follow_ups.show", follow_up_id=follow_up.id, _external=True)
