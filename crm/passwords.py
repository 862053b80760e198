"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 256  # long enough for any passphrase; bounded so hashing cannot be abused

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def check_new_password(password: str) -> None:
    """Length and a list of common passwords, and no composition rules (NCSC and NIST advice).

    The password is used exactly as typed: no trimming, no case folding.
    """
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Password must be {MIN_LENGTH} characters or more", field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Password must be {MAX_LENGTH} characters or fewer", field="password")
    if is_common(password):
        raise InvalidInput(
            "That password is too common and easy to guess. Try three random words together",
            field="password",
        )


@cache
def _common_passwords() -> frozenset[str]:
    # 30,000 passwords most often found in breaches, as shipped with zxcvbn.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """A listed password, one padded with digits or symbols (password2026!), or one or two
    characters repeated."""
    lowered = password.lower()
    stem = _PADDING.sub("", lowered)
    common = _common_passwords()
    return lowered in common or (len(stem) >= 4 and stem in common) or len(set(lowered)) <= 2


_PADDING = re.compile(r"[\d\W_]+$")


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
