"""A contact's social accounts: listing them with earlier handles, adding one by handle,
marking the official one, removing one (routes on the contacts blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import Contact, Organisation, Platform, SocialAccount
from crm.permissions import Permission
from crm.services.social_accounts import (
    add_account,
    get_account,
    handle_history,
    listening_targets_of,
    remove_account,
    set_official,
)
from web.auth.access import requires
from web.auth.session import current_officer
from web.contacts.forms import AccountForm, ConfirmForm
from web.contacts.lookup import visible_contact_or_404
from web.contacts.routes import blueprint
from web.database import commit, db_session


@blueprint.get("/<int:contact_id>/accounts")
@requires(Permission.WRITE_CRM)
def accounts(contact_id: int) -> str:
    contact = visible_contact_or_404(contact_id)
    return render_template(
        "contacts/accounts.html",
        contact=contact,
        history=handle_history(db_session(), [account.id for account in contact.accounts]),
        form=ConfirmForm(),
    )


@blueprint.route("/<int:contact_id>/accounts/new", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def new_account(contact_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id)
    form = AccountForm()
    if not isinstance(contact, Organisation):
        del form.is_official
    if form.validate_on_submit():
        try:
            account = add_account(
                db_session(),
                contact.id,
                platform=Platform(form.platform.data),
                handle=form.handle.data or "",
                platform_user_id=form.platform_user_id.data or "",
                is_official=bool(getattr(form, "is_official", None) and form.is_official.data),
                officer=current_officer(),
            )
        except InvalidInput as error:
            form[error.field if error.field in form else "handle"].errors.append(str(error))
        else:
            commit()
            flash(f"Added @{account.handle} to {contact.name}", "success")
            return redirect(url_for("contacts.accounts", contact_id=contact.id))
    return render_template("contacts/new_account.html", form=form, contact=contact)


@blueprint.post("/<int:contact_id>/accounts/<int:account_id>/official")
@requires(Permission.WRITE_CRM)
def mark_official(contact_id: int, account_id: int) -> Response:
    return _set_official(contact_id, account_id, official=True)


@blueprint.post("/<int:contact_id>/accounts/<int:account_id>/not-official")
@requires(Permission.WRITE_CRM)
def mark_not_official(contact_id: int, account_id: int) -> Response:
    return _set_official(contact_id, account_id, official=False)


@blueprint.route("/<int:contact_id>/accounts/<int:account_id>/remove", methods=["GET", "POST"])
@requires(Permission.WRITE_CRM)
def remove_account_page(contact_id: int, account_id: int) -> str | Response:
    contact, account = _account_or_404(contact_id, account_id)
    form = ConfirmForm()
    listened = listening_targets_of(db_session(), account.id)
    if form.validate_on_submit():
        handle = account.handle
        try:
            remove_account(db_session(), account.id, officer=current_officer())
        except InvalidInput as error:
            flash(str(error), "error")
        else:
            commit()
            flash(f"Removed @{handle} from {contact.name}", "success")
            return redirect(url_for("contacts.accounts", contact_id=contact.id))
    return render_template(
        "contacts/remove_account.html",
        form=form,
        contact=contact,
        account=account,
        listened=listened,
    )


def _set_official(contact_id: int, account_id: int, *, official: bool) -> Response:
    contact, account = _account_or_404(contact_id, account_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        set_official(db_session(), account.id, official=official, officer=current_officer())
    except InvalidInput as error:
        flash(str(error), "error")
    else:
        commit()
        flash(
            f"@{account.handle} is {'now' if official else 'no longer'} marked as official",
            "success",
        )
    return redirect(url_for("contacts.accounts", contact_id=contact.id))


def _account_or_404(contact_id: int, account_id: int) -> tuple[Contact, SocialAccount]:
    try:
        account = get_account(db_session(), account_id, viewer=current_officer())
    except NotFound:
        abort(404)
    if account.contact_id != contact_id:
        abort(404)
    return visible_contact_or_404(contact_id), account
