"""Merging duplicates: find two records of one organisation or person, see them side by side,
choose the one that stays (routes on the contacts blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import Contact
from crm.permissions import Permission
from crm.services.contacts import search_contacts
from crm.services.merging import merge_contacts, merge_preview, possible_duplicates
from web.auth.access import requires
from web.auth.session import current_officer
from web.contacts.forms import MergeForm
from web.contacts.lookup import to_contact_if_still_visible, visible_contact_or_404
from web.contacts.routes import blueprint
from web.database import commit, db_session

CANDIDATES_SHOWN = 20


@blueprint.get("/merge")
@requires(Permission.WRITE_CRM)
def merge() -> str:
    """Step one: choose the first record; step two: choose its duplicate."""
    first_id = request.args.get("first", type=int)
    first = visible_contact_or_404(first_id) if first_id is not None else None
    query = request.args.get("q", "").strip()[:200]
    found: list[Contact] = []
    if query:
        page = search_contacts(
            db_session(),
            query,
            viewer=current_officer(),
            kind=first.kind if first else None,
            per_page=CANDIDATES_SHOWN,
        )
        found = [contact for contact in page.items if first is None or contact.id != first.id]
    return render_template(
        "contacts/merge.html",
        first=first,
        query=query,
        found=found,
        likely=possible_duplicates(db_session(), first, viewer=current_officer()) if first else [],
    )


@blueprint.route("/merge/compare", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def merge_compare() -> str | Response:
    first_id = request.args.get("first", type=int)
    second_id = request.args.get("second", type=int)
    if first_id is None or second_id is None:
        abort(404)
    try:
        preview = merge_preview(db_session(), first_id, second_id, viewer=current_officer())
    except NotFound:
        abort(404)
    except InvalidInput as error:
        flash(str(error), "error")
        return redirect(url_for("contacts.merge", first=first_id))
    form = MergeForm()
    form.offer(preview.first.contact, preview.second.contact)
    if form.validate_on_submit():
        survivor_id = form.survivor_id.data
        duplicate_id = second_id if survivor_id == first_id else first_id
        merged = merge_contacts(
            db_session(),
            survivor_id=survivor_id,
            duplicate_id=duplicate_id,
            officer=current_officer(),
        )
        commit()
        flash(f"Merged {merged.merged_name} into this record", "success")
        return to_contact_if_still_visible(survivor_id)
    return render_template("contacts/merge_compare.html", form=form, preview=preview)
