"""Creating, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.clock import utc_now
from crm.errors import InvalidInput, NotFound
from crm.models import ApiToken, AuditAction, Officer
from crm.services import audit

TOKEN_PREFIX = "wvr_"
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the officer once, never stored


def _digest(secret: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, officer: Officer, name: str) -> NewToken:
    name = name.strip()
    if not name:
        raise InvalidInput("Enter a name that says what the token is for", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        officer_id=officer.id, name=name[:100], token_hash=_digest(secret), prefix=secret[:10]
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CREATED,
        subject_type="api token",
        subject_id=token.id,
        summary=f"Created the API token '{token.name}'",
    )
    return NewToken(token=token, secret=secret)


def officer_for_token(session: Session, secret: str) -> Officer | None:
    """The active officer a live token belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _digest(secret), ApiToken.revoked_at.is_(None))
        .options(selectinload(ApiToken.officer))
    )
    if token is None or not token.officer.is_active:
        return None
    now = utc_now()
    # Every API call would otherwise be a write; "last used" to the minute is enough.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
    return token.officer


def tokens_of(session: Session, officer: Officer) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.officer_id == officer.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def revoke_all(session: Session, officer: Officer) -> None:
    """When an officer's password changes or they leave, their tokens stop working for good."""
    for token in session.scalars(
        select(ApiToken).where(ApiToken.officer_id == officer.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = utc_now()
    session.flush()


def revoke(session: Session, officer: Officer, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    # Another officer's token is "not found": its existence is not theirs to learn.
    if token is None or token.officer_id != officer.id:
        raise NotFound("No such token")
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        audit.record(
            session,
            officer_id=officer.id,
            action=AuditAction.CHANGED,
            subject_type="api token",
            subject_id=token.id,
            summary=f"Revoked the API token '{token.name}'",
        )
    session.flush()
    return token
