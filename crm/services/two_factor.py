"""A second factor with an authenticator app (TOTP, RFC 6238)."""

from __future__ import annotations

import time

import pyotp
from sqlalchemy.orm import Session

from crm.errors import InvalidInput
from crm.models import AuditAction, Officer
from crm.services import audit

ISSUER = "Weaver"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """What the QR code holds: an authenticator app reads the account and secret from it."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _accepted_step(secret: str, code: str, now: float) -> int | None:
    """The step the code belongs to, allowing one step either side for clock drift."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def turn_on(
    session: Session, officer: Officer, secret: str, code: str, now: float | None = None
) -> None:
    step = _accepted_step(secret, code, time.time() if now is None else now)
    if step is None:
        raise InvalidInput("Enter the 6-digit code your app shows now", field="code")
    officer.totp_secret = secret
    officer.totp_last_step = step
    session.flush()
    audit.record_about_officer(
        session,
        officer,
        by=officer.id,
        action=AuditAction.CHANGED,
        summary="Set up a second factor for signing in",
    )


def verify(session: Session, officer: Officer, code: str, now: float | None = None) -> bool:
    """True once per code: a code already used (or an older one) is refused."""
    if officer.totp_secret is None:
        return False
    step = _accepted_step(officer.totp_secret, code, time.time() if now is None else now)
    if step is None or (officer.totp_last_step is not None and step <= officer.totp_last_step):
        return False
    officer.totp_last_step = step
    session.flush()
    return True
