from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput
from crm.permissions import Permission
from crm.services.officers import change_password
from web.account.forms import ChangePasswordForm
from web.auth.access import requires
from web.auth.session import current_officer, start_session
from web.database import commit, db_session

blueprint = Blueprint("account", __name__, url_prefix="/account")


@blueprint.route("/password", methods=["GET", "POST"])
@requires(Permission.READ_CRM)
def password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        officer = current_officer()
        try:
            change_password(
                db_session(),
                officer,
                form.current_password.data or "",
                form.new_password.data or "",
            )
        except InvalidInput as error:
            form[error.field or "new_password"].errors.append(str(error))
        else:
            commit()
            # Every other session has ended; this one carries on with the new token.
            start_session(officer)
            flash(
                "Your password has been changed. You have been signed out everywhere else",
                "success",
            )
            return redirect(url_for("home.index"))
    return render_template("account/password.html", form=form)
