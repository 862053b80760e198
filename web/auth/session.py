"""Flask-Login wiring: a browser session holds the officer's session token, not their id.

Changing the token (sign-out, password change, deactivation) ends every session at once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from crm.clock import utc_now
from crm.models import Officer
from crm.permissions import Permission, can
from crm.services.officers import officer_by_session_token
from web.database import db_session
from web.extensions import login_manager


class SignedInOfficer:
    """The signed-in officer as Flask-Login sees them."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, officer: Officer) -> None:
        self.officer = officer

    @property
    def is_active(self) -> bool:
        return self.officer.is_active

    def get_id(self) -> str:
        return self.officer.session_token

    def can(self, permission: str) -> bool:
        """For templates: show only what the officer may use."""
        return can(self.officer, Permission(permission))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.officer, name)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_expire_old_sessions)


@login_manager.user_loader
def _load_officer(session_token: str) -> SignedInOfficer | None:
    officer = officer_by_session_token(db_session(), session_token)
    return SignedInOfficer(officer) if officer else None


def start_session(officer: Officer) -> None:
    """Sign the officer in on this browser, with fresh idle and absolute clocks."""
    login_user(SignedInOfficer(officer))
    now = int(utc_now().timestamp())
    session["signed_in_at"] = now
    session["last_seen_at"] = now


def end_session() -> None:
    logout_user()
    session.pop("signed_in_at", None)
    session.pop("last_seen_at", None)


def _expire_old_sessions() -> Any:
    """Sign out after too long idle, or too long since signing in, whatever the activity."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = int(utc_now().timestamp())
    idle = timedelta(minutes=current_app.config["IDLE_TIMEOUT_MINUTES"]).total_seconds()
    lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"]).total_seconds()
    signed_in_at = session.get("signed_in_at", 0)
    last_seen_at = session.get("last_seen_at", 0)
    if now - last_seen_at > idle or now - signed_in_at > lifetime:
        end_session()
        flash("You were signed out to keep Weaver secure. Sign in again to carry on", "info")
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    session["last_seen_at"] = now
    return None


def current_officer() -> Officer:
    """The signed-in officer's row; only call on routes that require sign-in."""
    return current_user.officer
