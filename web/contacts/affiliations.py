"""Adding a person to an organisation, from either one's page, and ending a role (routes on
the contacts blueprint). Choosing the other side is a search, so it works without JavaScript
however many contacts there are."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import Affiliation, Contact, ContactKind, Organisation
from crm.permissions import Permission
from crm.services.affiliations import add_affiliation, end_affiliation, get_affiliation
from crm.services.contacts import search_contacts
from web.auth.access import requires
from web.auth.session import current_officer
from web.contacts.forms import AffiliationForm, EndAffiliationForm
from web.contacts.lookup import visible_contact_or_404
from web.contacts.routes import blueprint
from web.database import commit, db_session

CANDIDATES_SHOWN = 20


@blueprint.route("/<int:contact_id>/affiliations/new", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new_affiliation(contact_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id)
    other = ContactKind.PERSON if isinstance(contact, Organisation) else ContactKind.ORGANISATION
    query = request.args.get("q", "").strip()[:200]
    form = AffiliationForm(other=other.value)
    candidates = _candidates(query, other)
    form.other_id.choices = [(c.id, c.name) for c in candidates]
    if form.validate_on_submit():
        person_id, organisation_id = (
            (form.other_id.data, contact.id)
            if other is ContactKind.PERSON
            else (contact.id, form.other_id.data)
        )
        try:
            add_affiliation(
                db_session(),
                person_id=person_id,
                organisation_id=organisation_id,
                role=form.role.data or "",
                started_on=form.started_on.data,
                ended_on=form.ended_on.data,
                officer=current_officer(),
            )
        except NotFound:
            form.other_id.errors.append(f"Choose the {other.value} again: it could not be found")
        except InvalidInput as error:
            form[_field_for(error)].errors.append(str(error))
        else:
            commit()
            flash("Affiliation added", "success")
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_template(
        "contacts/new_affiliation.html",
        form=form,
        contact=contact,
        other=other,
        query=query,
        candidates=candidates,
    )


@blueprint.route("/<int:contact_id>/affiliations/<int:affiliation_id>/end", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def end_affiliation_page(contact_id: int, affiliation_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id)
    affiliation = _affiliation_or_404(contact, affiliation_id)
    form = EndAffiliationForm()
    if form.validate_on_submit():
        try:
            end_affiliation(
                db_session(), affiliation.id, ended_on=form.ended_on.data, officer=current_officer()
            )
        except InvalidInput as error:
            form.ended_on.errors.append(str(error))
        else:
            commit()
            flash(
                f"Ended {affiliation.person.name}’s role at {affiliation.organisation.name}",
                "success",
            )
            return redirect(url_for("contacts.show", contact_id=contact.id))
    return render_template(
        "contacts/end_affiliation.html", form=form, contact=contact, affiliation=affiliation
    )


def _candidates(query: str, kind: ContactKind) -> list[Contact]:
    if not query:
        return []
    found = search_contacts(
        db_session(), query, viewer=current_officer(), kind=kind, per_page=CANDIDATES_SHOWN
    )
    return list(found.items)


def _field_for(error: InvalidInput) -> str:
    if error.field in ("role", "started_on", "ended_on"):
        return error.field
    return "other_id"


def _affiliation_or_404(contact: Contact, affiliation_id: int) -> Affiliation:
    try:
        affiliation = get_affiliation(db_session(), affiliation_id, viewer=current_officer())
    except NotFound:
        abort(404)
    if contact.id not in (affiliation.person_id, affiliation.organisation_id):
        abort(404)
    return affiliation
