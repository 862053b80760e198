"""Flask-Login wiring: a browser session holds the officer's session token, not their id.

Changing the token (sign-out, password change, deactivation) ends every session at once.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from crm.models import Officer
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

    def __getattr__(self, name: str) -> Any:
        return getattr(self.officer, name)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def _load_officer(session_token: str) -> SignedInOfficer | None:
    officer = officer_by_session_token(db_session(), session_token)
    return SignedInOfficer(officer) if officer else None


def current_officer() -> Officer:
    """The signed-in officer's row; only call on routes that require sign-in."""
    return current_user.officer
