"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def check_new_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Password must be {MIN_LENGTH} characters or more", field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Password must be {MAX_LENGTH} characters or fewer", field="password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verifying against this when the email is unknown keeps sign-in timing the same either way.
_DUMMY_HASH = _hasher.hash("weaver-timing-equaliser")


def spend_verification_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)
