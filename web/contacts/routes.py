from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from crm.errors import NotFound
from crm.models import ContactKind
from crm.permissions import Permission
from crm.services.audit import record_view
from crm.services.contacts import current_affiliations, get_contact, search_contacts
from crm.services.follow_ups import open_follow_ups
from crm.services.targets import targets_for_accounts
from crm.services.timeline import contact_timeline
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session

blueprint = Blueprint("contacts", __name__, url_prefix="/contacts")


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    query = request.args.get("q", "").strip()[:200]
    kind = _contact_kind(request.args.get("kind", ""))
    page = search_contacts(
        db_session(),
        query,
        viewer=current_officer(),
        kind=kind,
        page=request.args.get("page", 1, type=int),
    )
    return render_template("contacts/index.html", page=page, query=query, kind=kind)


@blueprint.get("/<int:contact_id>")
@requires(Permission.READ_CRM)
def show(contact_id: int) -> str:
    session = db_session()
    viewer = current_officer()
    try:
        contact = get_contact(session, contact_id, viewer=viewer)
    except NotFound:
        abort(404)
    record_view(session, viewer.id, contact)
    commit()
    return render_template(
        "contacts/show.html",
        contact=contact,
        affiliations=current_affiliations(session, contact, viewer=viewer),
        follow_ups=open_follow_ups(session, viewer=viewer, contact_id=contact.id),
        listening=targets_for_accounts(session, [account.id for account in contact.accounts]),
        timeline=contact_timeline(
            session, contact.id, viewer=viewer, page=request.args.get("page", 1, type=int)
        ),
    )


def _contact_kind(value: str) -> ContactKind | None:
    try:
        return ContactKind(value)
    except ValueError:
        return None
