from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.errors import InvalidInput, NotFound
from crm.permissions import Permission
from crm.services.api_tokens import create_token, revoke, tokens_of
from crm.services.calendar_feed import new_calendar_token, revoke_calendar_token
from crm.services.officers import change_password
from crm.services.two_factor import new_secret, provisioning_uri, turn_on
from web.account.forms import ChangePasswordForm, NewApiTokenForm, SetUpTwoFactorForm
from web.admin.forms import ConfirmForm
from web.auth.access import requires
from web.auth.session import current_officer, start_session
from web.database import commit, db_session
from web.extensions import limiter

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _password_key() -> str:
    return f"password|{current_user.get_id()}"


@blueprint.route("/password", methods=["GET", "POST"])
# Someone holding a stolen session must not be able to guess the password and lock the
# officer out by changing it.
@limiter.limit("10 per 15 minutes", key_func=_password_key, methods=["POST"])
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


@blueprint.route("/api-tokens", methods=["GET", "POST"])
@requires(Permission.READ_CRM)
def api_tokens() -> str:
    officer = current_officer()
    form = NewApiTokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            new_token = create_token(db_session(), officer, form.name.data or "")
        except InvalidInput as error:
            form.name.errors.append(str(error))
        else:
            commit()
            form = NewApiTokenForm(formdata=None)
    return render_template(
        "account/api_tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens_of(db_session(), officer),
        confirm=ConfirmForm(),
    )


@blueprint.post("/api-tokens/<int:token_id>/revoke")
@requires(Permission.READ_CRM)
def revoke_api_token(token_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        token = revoke(db_session(), current_officer(), token_id)
    except NotFound:
        abort(404)
    commit()
    flash(f"The token '{token.name}' no longer works", "success")
    return redirect(url_for("account.api_tokens"))


@blueprint.route("/calendar", methods=["GET", "POST"])
@requires(Permission.READ_CRM)
def calendar() -> str:
    """Make (or replace) the secret address of the officer's calendar feed; shown once."""
    form = ConfirmForm()
    feed_url = None
    if form.validate_on_submit():
        token = new_calendar_token(db_session(), current_officer())
        commit()
        feed_url = url_for("calendar.feed", token=token, _external=True)
    return render_template(
        "account/calendar.html",
        form=form,
        feed_url=feed_url,
        has_feed=current_officer().calendar_token_hash is not None,
    )


@blueprint.post("/calendar/revoke")
@requires(Permission.READ_CRM)
def revoke_calendar() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if revoke_calendar_token(db_session(), current_officer()):
        commit()
        flash("Your calendar feed is off. Its address no longer works", "success")
    return redirect(url_for("account.calendar"))
