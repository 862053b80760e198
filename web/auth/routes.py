from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.permissions import Permission
from crm.services.officers import authenticate, end_all_sessions
from web.auth.access import public, requires
from web.auth.forms import SignInForm
from web.auth.session import current_officer, end_session, start_session
from web.database import commit, db_session
from web.extensions import limiter

blueprint = Blueprint("auth", __name__)


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _account_and_address() -> str:
    """Limits per account count only from one address, so an attacker elsewhere cannot lock
    the real officer out; the per-address limit stops one address trying many accounts."""
    return f"{(request.form.get('email') or '').strip().lower()}|{request.remote_addr}"


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    "10 per 15 minutes", key_func=_account_and_address, methods=["POST"], deduct_when=_failed
)
@limiter.limit("50 per hour", methods=["POST"], deduct_when=_failed)
@public
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        officer = authenticate(db_session(), form.email.data or "", form.password.data or "")
        if officer is not None:
            commit()  # keeps a password rehash, if authenticate made one
            session.clear()  # nothing from before signing in carries over
            start_session(officer)
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


@blueprint.post("/sign-out")
@requires(Permission.READ_CRM)
def sign_out() -> Response:
    end_all_sessions(db_session(), current_officer())
    commit()
    end_session()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host, scheme, or a protocol-relative URL."""
    default = url_for("home.index")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target
