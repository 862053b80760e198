"""The quick log: one form for who, what, when, a note and a follow-up, from anywhere."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import Field

from crm.clock import to_london, utc_now
from crm.errors import WeaverError
from crm.models import Contact, InteractionKind
from crm.permissions import Permission
from crm.services.interactions import chosen_contacts, contacts_to_log_with, record_interaction
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session
from web.filters import humanise
from web.interactions.forms import MAX_FIND_LENGTH, LogInteractionForm

blueprint = Blueprint("interactions", __name__, url_prefix="/interactions")


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new() -> str | Response:
    form = LogInteractionForm()
    if request.method == "GET":
        _fill_defaults(form)
    # A Find saves nothing and checks nothing: the form comes back with who matches.
    elif not form.finding and form.validate_on_submit():
        try:
            logged = record_interaction(
                db_session(),
                officer_id=current_officer().id,
                contact_ids=form.chosen_ids,
                kind=InteractionKind(form.kind.data),
                occurred_at=form.occurred_at(),
                note=form.note.data or "",
                follow_up_on=form.follow_up_on.data,
            )
        except WeaverError as error:
            _field_for(form, error).errors.append(str(error))
        else:
            commit()
            message = "Interaction saved"
            if logged.follow_up_id is not None:
                message += " with a follow-up"
            flash(message, "success")
            return redirect(url_for("contacts.show", contact_id=form.chosen_ids[0]))
    return _render(form)


@blueprint.get("/contacts.json")
@requires(Permission.READ_CRM)
def contacts() -> Response:
    """Contacts matching what is typed in the quick log's finder, for its script."""
    text = request.args.get("q", "")[:MAX_FIND_LENGTH]
    found = contacts_to_log_with(db_session(), text, viewer=current_officer())
    return jsonify(contacts=[_contact_json(contact) for contact in found])


def _contact_json(contact: Contact) -> dict[str, object]:
    return {"id": contact.id, "name": contact.name, "kind": humanise(contact.kind)}


def _render(form: LogInteractionForm) -> str:
    session, viewer = db_session(), current_officer()
    chosen = chosen_contacts(session, form.chosen_ids, viewer=viewer)
    query = (form.find.data or "").strip() if form.finding else ""
    found = contacts_to_log_with(session, query, viewer=viewer) if query else []
    chosen_ids = {contact.id for contact in chosen}
    return render_template(
        "interactions/new.html",
        form=form,
        chosen=chosen,
        found=[contact for contact in found if contact.id not in chosen_ids],
        query=query,
    )


def _fill_defaults(form: LogInteractionForm) -> None:
    now = to_london(utc_now())
    contact_id = request.args.get("contact", 0, type=int)
    form.contact_id.data = [contact_id] if contact_id > 0 else []
    form.occurred_on.data = now.date()
    form.occurred_time.data = now.strftime("%H:%M")


def _field_for(form: LogInteractionForm, error: WeaverError) -> Field:
    """The form field a service error belongs to; the contacts, if it names none we know."""
    name = getattr(error, "field", None)
    if name == "contact_ids":
        return form.contact_id
    return form._fields.get(name or "", form.contact_id)
