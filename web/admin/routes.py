from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.models import Officer, OfficerRole
from crm.permissions import ROLE_NAMES, Permission
from crm.services.officers import (
    all_officers,
    change_role,
    create_officer,
    deactivate,
    get_officer,
    reactivate,
)
from web.admin.forms import ChangeRoleForm, ConfirmForm, NewOfficerForm
from web.auth.access import requires
from web.auth.session import current_officer
from web.database import commit, db_session

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.get("/officers")
@requires(Permission.MANAGE_OFFICERS)
def officers() -> str:
    return render_template(
        "admin/officers.html", officers=all_officers(db_session()), role_names=ROLE_NAMES
    )


@blueprint.route("/officers/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_OFFICERS)
def new_officer() -> str | Response:
    form = NewOfficerForm()
    if form.validate_on_submit():
        try:
            officer = create_officer(
                db_session(),
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or "",
                role=OfficerRole(form.role.data),
                created_by_id=current_officer().id,
            )
        except InvalidInput as error:
            form[error.field or "email"].errors.append(str(error))
        else:
            commit()
            flash(f"{officer.name} can now sign in as {officer.email}", "success")
            return redirect(url_for("admin.officers"))
    return render_template("admin/new_officer.html", form=form)


@blueprint.route("/officers/<int:officer_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_OFFICERS)
def officer(officer_id: int) -> str | Response:
    officer = _officer_or_404(officer_id)
    form = ChangeRoleForm(role=officer.role.value)
    if form.validate_on_submit():
        if officer.id == current_officer().id:
            form.role.errors.append("You cannot change your own role. Ask another admin")
        elif officer.role is OfficerRole.INFORMATION_GOVERNANCE:
            form.role.errors.append("Information governance roles are changed by the operator")
        else:
            change_role(
                db_session(),
                officer,
                OfficerRole(form.role.data),
                changed_by_id=current_officer().id,
            )
            commit()
            flash(f"{officer.name} is now: {ROLE_NAMES[officer.role].lower()}", "success")
            return redirect(url_for("admin.officers"))
    return render_template(
        "admin/officer.html",
        officer=officer,
        form=form,
        confirm=ConfirmForm(),
        role_names=ROLE_NAMES,
    )


@blueprint.post("/officers/<int:officer_id>/deactivate")
@requires(Permission.MANAGE_OFFICERS)
def deactivate_officer(officer_id: int) -> Response:
    officer = _officer_or_404(officer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if officer.id == current_officer().id:
        flash("You cannot deactivate yourself. Ask another admin", "error")
        return redirect(url_for("admin.officer", officer_id=officer.id))
    deactivate(db_session(), officer, changed_by_id=current_officer().id)
    commit()
    flash(f"{officer.name} can no longer sign in, and has been signed out", "success")
    return redirect(url_for("admin.officers"))


@blueprint.post("/officers/<int:officer_id>/reactivate")
@requires(Permission.MANAGE_OFFICERS)
def reactivate_officer(officer_id: int) -> Response:
    officer = _officer_or_404(officer_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reactivate(db_session(), officer, changed_by_id=current_officer().id)
    commit()
    flash(f"{officer.name} can sign in again", "success")
    return redirect(url_for("admin.officers"))


def _officer_or_404(officer_id: int) -> Officer:
    try:
        return get_officer(db_session(), officer_id)
    except NotFound:
        abort(404)
