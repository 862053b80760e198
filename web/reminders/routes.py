from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from crm.clock import utc_now
from crm.permissions import Permission
from crm.services.digest_delivery import describe_delivery
from crm.services.escalation import count_without_an_officer, follow_ups_without_an_officer
from crm.services.reminders import (
    last_finished_run,
    recent_deliveries,
    recent_runs,
    reminders_look_stopped,
)
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import db_session

blueprint = Blueprint("reminders", __name__, url_prefix="/admin/reminders")


@blueprint.get("")
@requires(Permission.MANAGE_OFFICERS)
def index() -> str:
    session = db_session()
    unowned = follow_ups_without_an_officer(session, viewer=current_officer())
    return render_template(
        "reminders/index.html",
        runs=recent_runs(session),
        deliveries=[(d, describe_delivery(d)) for d in recent_deliveries(session)],
        unowned=unowned,
        unowned_hidden=count_without_an_officer(session) - len(unowned),
    )


@blueprint.app_context_processor
def reminders_warning() -> dict[str, Any]:
    """Every signed-in officer is told when reminders look stopped: they rely on them."""
    if not current_user.is_authenticated:
        return {}
    try:
        session = db_session()
        if not reminders_look_stopped(session, now=utc_now()):
            return {}
        last = last_finished_run(session)
    except SQLAlchemyError:
        # An error page must still render when the database is what failed.
        return {}
    return {"reminders_stopped": True, "reminders_last_run": last}
