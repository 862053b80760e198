from __future__ import annotations

from flask import Blueprint, render_template, request

from crm.permissions import Permission
from crm.services.search import search
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import db_session
from web.search.highlight import highlighted_excerpt

blueprint = Blueprint("search", __name__, url_prefix="/search")
blueprint.add_app_template_filter(highlighted_excerpt)

MAX_QUERY = 200


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    results = None
    if query:
        results = search(
            db_session(),
            query,
            viewer=current_officer(),
            page=request.args.get("page", 1, type=int),
        )
    return render_template("search/index.html", query=query, results=results)
