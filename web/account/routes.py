from __future__ import annotations

import segno
from flask import Blueprint, flash, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from crm.errors import InvalidInput
from crm.permissions import Permission
from crm.services.officers import change_password
from crm.services.two_factor import new_secret, provisioning_uri, turn_on
from web.account.forms import ChangePasswordForm, SetUpTwoFactorForm
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


ENROLLING_SECRET = "enrolling_totp_secret"


@blueprint.route("/two-factor", methods=["GET", "POST"])
@requires(Permission.READ_CRM)
def two_factor() -> str | Response:
    officer = current_officer()
    if officer.has_two_factor:
        return render_template("account/two_factor_on.html")
    secret = session.get(ENROLLING_SECRET) or new_secret()
    session[ENROLLING_SECRET] = secret
    form = SetUpTwoFactorForm()
    if form.validate_on_submit():
        try:
            turn_on(db_session(), officer, secret, form.code.data or "")
        except InvalidInput as error:
            form.code.errors.append(str(error))
        else:
            commit()
            session.pop(ENROLLING_SECRET, None)
            flash(
                "Your second factor is on. You will need your app each time you sign in", "success"
            )
            return redirect(url_for("home.index"))
    uri = provisioning_uri(secret, officer.email)
    return render_template(
        "account/two_factor.html",
        form=form,
        qr_code=segno.make(uri, error="m").svg_data_uri(scale=5),
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
    )
