from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import Field

from crm.clock import to_london, utc_now
from crm.errors import WeaverError
from crm.models import InteractionKind
from crm.permissions import Permission
from crm.services.contacts import contact_choices
from crm.services.interactions import record_interaction
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session
from web.interactions.forms import LogInteractionForm

blueprint = Blueprint("interactions", __name__, url_prefix="/interactions")


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new() -> str | Response:
    form = LogInteractionForm()
    form.contact_id.choices = [
        (0, "Choose a contact"),
        *contact_choices(db_session(), viewer=current_officer()),
    ]
    if request.method == "GET":
        _fill_defaults(form)
    elif form.validate_on_submit():
        try:
            logged = record_interaction(
                db_session(),
                officer_id=current_officer().id,
                contact_ids=[form.contact_id.data],
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
            return redirect(url_for("contacts.show", contact_id=form.contact_id.data))
    return render_template("interactions/new.html", form=form)


def _fill_defaults(form: LogInteractionForm) -> None:
    now = to_london(utc_now())
    form.contact_id.data = request.args.get("contact", 0, type=int)
    form.occurred_on.data = now.date()
    form.occurred_time.data = now.strftime("%H:%M")


def _field_for(form: LogInteractionForm, error: WeaverError) -> Field:
    """The form field a service error belongs to; the contact, if it names none we know."""
    name = getattr(error, "field", None)
    if name == "contact_ids":
        return form.contact_id
    return form._fields.get(name or "", form.contact_id)
