from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.clock import utc_now
from crm.models import Officer
from crm.permissions import Permission
from crm.services.officers import authenticate, end_all_sessions, officer_by_session_token
from crm.services.two_factor import verify
from web.auth.access import public, requires
from web.auth.forms import CodeForm, SignInForm
from web.auth.session import current_officer, end_session, start_session
from web.database import commit, db_session
from web.extensions import limiter

blueprint = Blueprint("auth", __name__)

# Between a right password and a right code: whose, and since when.
PENDING_TOKEN = "pending_officer"
PENDING_SINCE = "pending_since"
PENDING_SECONDS = 5 * 60


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _account_and_address() -> str:
    """Limits per account count only from one address, so an attacker elsewhere cannot lock
    the real officer out; the per-address limit stops one address trying many accounts."""
    return f"{(request.form.get('email') or '').strip().lower()}|{request.remote_addr}"


@blueprint.route("/sign-in", methods=["GET", "POST"])
# Every attempt counts before it is checked, so parallel guesses cannot slip past the limit.
@limiter.limit("10 per 15 minutes", key_func=_account_and_address, methods=["POST"])
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
            next_url = safe_next(request.args.get("next"))
            if officer.has_two_factor:
                session[PENDING_TOKEN] = officer.session_token
                session[PENDING_SINCE] = int(utc_now().timestamp())
                return redirect(url_for("auth.two_factor", next=next_url))
            start_session(officer)
            return redirect(next_url)
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/sign_in.html", form=form)


def _pending_officer() -> Officer | None:
    token = session.get(PENDING_TOKEN)
    started = session.get(PENDING_SINCE, 0)
    if not token or utc_now().timestamp() - started > PENDING_SECONDS:
        return None
    return officer_by_session_token(db_session(), token)


def _pending_key() -> str:
    return f"code|{session.get(PENDING_TOKEN, '')}"


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", key_func=_pending_key, methods=["POST"])
@public
def two_factor() -> str | Response:
    officer = _pending_officer()
    if officer is None:
        flash("Sign in again to continue", "info")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if verify(db_session(), officer, form.code.data or ""):
            commit()
            session.clear()
            start_session(officer)
            return redirect(safe_next(request.args.get("next")))
        form.code.errors.append(
            "That code is not right or has been used. Enter the code your app shows now"
        )
    return render_template("auth/two_factor.html", form=form)


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
