"""Creating officers and checking who is signing in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm import passwords
from crm.errors import InvalidInput, NotFound, OfficerAlreadyExists
from crm.models import AuditAction, Officer, OfficerRole
from crm.models.officers import new_session_token
from crm.services import api_tokens, audit


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_officer(
    session: Session,
    *,
    email: str,
    name: str,
    password: str,
    role: OfficerRole = OfficerRole.OFFICER,
    team_id: int | None = None,
    created_by_id: int | None = None,
) -> Officer:
    email = normalise_email(email)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput(
            "Enter an email address in the correct format, like name@example.gov.uk", field="email"
        )
    if not name.strip():
        raise InvalidInput("Enter the officer's name", field="name")
    passwords.check_new_password(password)
    if officer_by_email(session, email) is not None:
        raise OfficerAlreadyExists(
            f"An officer with the email {email} already exists", field="email"
        )
    officer = Officer(
        email=email,
        name=name.strip(),
        password_hash=passwords.hash_password(password),
        role=role,
        team_id=team_id,
    )
    session.add(officer)
    session.flush()
    audit.record_about_officer(
        session,
        officer,
        by=created_by_id,
        action=AuditAction.CREATED,
        summary=f"Created officer {officer.email}",
        after=audit.snapshot(officer, "email", "name", "role"),
    )
    return officer


def set_password(session: Session, officer: Officer, password: str) -> None:
    """Change the password and end every session the officer had."""
    passwords.check_new_password(password)
    officer.password_hash = passwords.hash_password(password)
    officer.session_token = new_session_token()
    session.flush()


def officer_by_email(session: Session, email: str) -> Officer | None:
    return session.scalar(select(Officer).where(Officer.email == normalise_email(email)))


def officer_by_session_token(session: Session, token: str) -> Officer | None:
    return session.scalar(
        select(Officer).where(Officer.session_token == token, Officer.is_active.is_(True))
    )


def authenticate(session: Session, email: str, password: str) -> Officer | None:
    """The active officer with these credentials, or None. Takes as long either way."""
    officer = officer_by_email(session, email)
    if officer is None or not officer.is_active:
        passwords.spend_verification_time(password)
        return None
    if not passwords.verify_password(officer.password_hash, password):
        return None
    if passwords.needs_rehash(officer.password_hash):
        officer.password_hash = passwords.hash_password(password)
    audit.record_about_officer(
        session,
        officer,
        by=officer.id,
        action=AuditAction.SIGNED_IN,
        summary="Signed in with the right password",
    )
    return officer


def end_all_sessions(session: Session, officer: Officer) -> None:
    officer.session_token = new_session_token()
    session.flush()


def change_password(session: Session, officer: Officer, current: str, new: str) -> None:
    if not passwords.verify_password(officer.password_hash, current):
        raise InvalidInput("Your current password is not right", field="current_password")
    try:
        set_password(session, officer, new)
    except InvalidInput as error:
        raise InvalidInput(str(error), field="new_password") from error
    api_tokens.revoke_all(session, officer)
    audit.record_about_officer(
        session,
        officer,
        by=officer.id,
        action=AuditAction.CHANGED,
        summary="Changed their password, ending their other sessions and API tokens",
    )


def deactivate(session: Session, officer: Officer, *, changed_by_id: int | None) -> None:
    """Stop the officer signing in, and end the sessions they have now."""
    _change(session, officer, changed_by_id, f"Deactivated {officer.email}", is_active=False)
    end_all_sessions(session, officer)
    api_tokens.revoke_all(session, officer)


def reactivate(session: Session, officer: Officer, *, changed_by_id: int | None) -> None:
    _change(session, officer, changed_by_id, f"Reactivated {officer.email}", is_active=True)


def change_role(
    session: Session, officer: Officer, role: OfficerRole, *, changed_by_id: int | None
) -> None:
    _change(session, officer, changed_by_id, f"Changed the role of {officer.email}", role=role)


def _change(
    session: Session, officer: Officer, changed_by_id: int | None, summary: str, **changes: object
) -> None:
    before = audit.snapshot(officer, *changes)
    for name, value in changes.items():
        setattr(officer, name, value)
    session.flush()
    audit.record_about_officer(
        session,
        officer,
        by=changed_by_id,
        action=AuditAction.CHANGED,
        summary=summary,
        before=before,
        after=audit.snapshot(officer, *changes),
    )


def all_officers(session: Session) -> list[Officer]:
    return list(session.scalars(select(Officer).order_by(Officer.is_active.desc(), Officer.name)))


def get_officer(session: Session, officer_id: int) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No officer with that id")
    return officer
