from __future__ import annotations

import pyotp
import pytest

from crm.errors import InvalidInput
from crm.services.two_factor import new_secret, turn_on, verify
from tests import factories

NOW = 1_790_000_000.0


def test_turning_on_needs_a_code_from_the_app(session) -> None:
    officer = factories.officer(session)
    secret = new_secret()
    with pytest.raises(InvalidInput, match="6-digit code"):
        turn_on(session, officer, secret, "123456", now=NOW)
    assert officer.totp_secret is None
    turn_on(session, officer, secret, pyotp.TOTP(secret).at(NOW), now=NOW)
    assert officer.totp_secret == secret


def test_a_code_works_once_and_drift_of_one_step_is_allowed(session) -> None:
    officer = factories.officer(session)
    secret = new_secret()
    totp = pyotp.TOTP(secret)
    turn_on(session, officer, secret, totp.at(NOW), now=NOW)

    assert verify(session, officer, totp.at(NOW), now=NOW) is False  # used to turn it on
    assert verify(session, officer, totp.at(NOW + 30), now=NOW) is True  # phone a step ahead
    assert verify(session, officer, totp.at(NOW + 30), now=NOW + 30) is False  # replay
    assert verify(session, officer, totp.at(NOW + 60), now=NOW + 200) is False  # too old
    assert verify(session, officer, "12 34 5x", now=NOW) is False
