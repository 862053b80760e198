from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy.orm import Session, sessionmaker

from crm.clock import london_today, to_london, utc_now
from crm.errors import NotFound
from crm.exports import csv_lines
from crm.models import AuditAction, Contact, Officer
from crm.permissions import Permission
from crm.services import audit
from crm.services.audit import record_view
from crm.services.contact_list import (
    EXPORT_HEADER,
    ContactFilter,
    export_rows,
    filter_choices,
    list_contacts,
)
from crm.services.contact_profile import contact_profile
from crm.services.contacts import get_contact
from crm.services.follow_ups import open_follow_ups
from crm.services.officers import all_officers
from crm.services.targets import targets_for_accounts
from crm.services.timeline import timeline_page
from crm.unit_of_work import unit_of_work
from web.auth.access import requires
from web.auth.session import current_officer
from web.contacts.list_filters import read_listing
from web.contacts.timeline_filters import filters_from, query_arguments, timeline_filter_form
from web.database import commit, database, db_session

blueprint = Blueprint("contacts", __name__, url_prefix="/contacts")


@blueprint.get("/")
@requires(Permission.READ_CRM)
def index() -> str:
    listing = read_listing(request.args)
    session = db_session()
    page = list_contacts(
        session,
        listing.contact_filter,
        viewer=current_officer(),
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "contacts/index.html", page=page, listing=listing, choices=filter_choices(session)
    )


@blueprint.get("/export.csv")
@requires(Permission.EXPORT_CONTACTS)
def export() -> Response:
    """The filtered list as a spreadsheet, streamed, and recorded in the audit log."""
    listing = read_listing(request.args)
    officer = current_officer()
    audit.record(
        db_session(),
        officer_id=officer.id,
        action=AuditAction.EXPORTED,
        subject_type="contacts",
        subject_id=None,
        summary="Exported the contacts list",
        after=listing.contact_filter.as_dict(),
    )
    commit()
    rows = _export_rows(database().session_factory, listing.contact_filter, officer.id)
    filename = f"weaver-contacts-{to_london(utc_now()):%Y-%m-%d}.csv"
    return Response(
        csv_lines(EXPORT_HEADER, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _export_rows(
    session_factory: sessionmaker[Session], contact_filter: ContactFilter, officer_id: int
) -> Iterator[list[object]]:
    """Rows read with a session of the export's own, open only while the file streams."""
    with unit_of_work(session_factory) as session:
        viewer = session.get(Officer, officer_id)
        if viewer is not None:
            yield from export_rows(session, contact_filter, viewer=viewer)


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
        profile=contact_profile(session, contact, viewer=viewer),
        follow_ups=open_follow_ups(session, viewer=viewer, contact_id=contact.id),
        listening=targets_for_accounts(session, [account.id for account in contact.accounts]),
        **_timeline(session, contact, viewer),
    )


def _timeline(session: Session, contact: Contact, viewer: Officer) -> dict[str, object]:
    """The timeline's page and its filter form, as the template wants them."""
    form = timeline_filter_form(request.args, all_officers(session))
    filters = filters_from(form)
    page = timeline_page(
        session, contact, viewer=viewer, filters=filters, cursor=request.args.get("cursor")
    )
    return {
        "timeline": page,
        "timeline_form": form,
        "timeline_filters": filters,
        "timeline_query": query_arguments(form),
        "today": london_today(),
    }
