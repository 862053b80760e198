"""Adding, changing, handing over and deleting contacts (routes on the contacts blueprint)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput
from crm.models import Contact, Organisation
from crm.permissions import Permission
from crm.services.contact_deletion import delete_contact, deletion_impact
from crm.services.contact_details import InvalidDetails, problems
from crm.services.contact_editing import (
    create_organisation,
    create_person,
    editing_choices,
    hand_over,
    handover_history,
    update_contact,
)
from web.auth.access import requires
from web.auth.session import current_officer
from web.contacts.forms import (
    ConfirmForm,
    ContactForm,
    HandoverForm,
    OrganisationForm,
    PersonForm,
)
from web.contacts.lookup import to_contact_if_still_visible, visible_contact_or_404
from web.contacts.routes import blueprint
from web.database import commit, db_session


@blueprint.route("/new/organisation", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new_organisation() -> str | Response:
    form = OrganisationForm()
    return _adding(form, create_organisation) or render_template(
        "contacts/new_organisation.html", form=form
    )


@blueprint.route("/new/person", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new_person() -> str | Response:
    form = PersonForm()
    return _adding(form, create_person) or render_template("contacts/new_person.html", form=form)


@blueprint.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def edit(contact_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id)
    form: OrganisationForm | PersonForm = (
        OrganisationForm() if isinstance(contact, Organisation) else PersonForm()
    )
    form.without_owner()
    form.offer(editing_choices(db_session()))
    if not form.is_submitted():
        form.fill(contact)
    elif _saved(
        form,
        lambda: update_contact(db_session(), contact.id, form.details(), officer=current_officer()),
        contact_id=contact.id,
        owner_id=contact.owner_id,
    ):
        flash(f"Saved the details of {contact.name}", "success")
        return to_contact_if_still_visible(contact.id)
    return render_template("contacts/edit.html", form=form, contact=contact)


@blueprint.route("/<int:contact_id>/owner", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def handover(contact_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id)
    choices = editing_choices(db_session())
    form = HandoverForm()
    form.owner_id.choices = [
        ("", "Choose an officer"),
        *((officer.id, officer.name) for officer in choices.owners),
    ]
    if not form.is_submitted():
        form.owner_id.data = None
    elif form.validate_on_submit():
        try:
            hand_over(
                db_session(),
                contact.id,
                to_officer_id=form.owner_id.data,
                note=form.note.data or "",
                officer=current_officer(),
            )
        except InvalidInput as error:
            form[error.field or "owner_id"].errors.append(str(error))
        else:
            commit()
            flash(
                f"{contact.owner.name if contact.owner else ''} now manages this relationship",
                "success",
            )
            return to_contact_if_still_visible(contact.id)
    return render_template(
        "contacts/handover.html",
        form=form,
        contact=contact,
        handovers=handover_history(db_session(), contact.id),
    )


@blueprint.route("/<int:contact_id>/delete", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def delete(contact_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = contact.name
        delete_contact(db_session(), contact.id, officer=current_officer())
        commit()
        flash(f"Deleted {name}", "success")
        return redirect(url_for("contacts.index"))
    impact = deletion_impact(db_session(), contact.id, viewer=current_officer())
    return render_template("contacts/delete.html", form=form, contact=contact, impact=impact)


def _adding(form: OrganisationForm | PersonForm, create: Callable[..., Contact]) -> Response | None:
    """The new contact's page once it is added; None to show the form (again)."""
    form.offer(editing_choices(db_session()))
    if not form.is_submitted():
        form["owner_id"].data = current_officer().id
        return None
    added = _saved(
        form,
        lambda: create(
            db_session(), form.details(), officer=current_officer(), owner_id=form.owner()
        ),
        owner_id=form.owner(),
    )
    if added is None:
        return None
    flash(f"Added {added.name}", "success")
    return to_contact_if_still_visible(added.id)


def _saved(
    form: ContactForm,
    save: Callable[[], Contact],
    *,
    contact_id: int | None = None,
    owner_id: int | None = None,
) -> Contact | None:
    """Save and commit if both the form and the service's rules accept it; otherwise put
    every message (the form's own and the service's) on its field, so all show at once."""
    if not form.validate():
        found = problems(db_session(), form.details(), contact_id=contact_id, owner_id=owner_id)
        for field, message in found.items():
            if not form[field].errors:
                form[field].errors.append(message)
        return None
    try:
        contact = save()
    except InvalidDetails as error:
        for field, message in error.errors.items():
            form[field].errors.append(message)
        return None
    except InvalidInput as error:
        form["name"].errors.append(str(error))
        return None
    commit()
    return contact
