from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from crm.errors import InvalidInput, OfficerAlreadyExists
from crm.services.officers import authenticate, create_officer, end_all_sessions
from tests import factories


def test_an_officer_signs_in_with_their_password_whatever_the_email_case(session) -> None:
    factories.officer(session, email="Sam.Okonedo@Council.example")
    officer = authenticate(session, " sam.okonedo@council.EXAMPLE ", factories.PASSWORD)
    assert officer is not None
    assert officer.email == "sam.okonedo@council.example"


def test_passwords_are_stored_as_argon2id_hashes(session) -> None:
    officer = factories.officer(session)
    assert officer.password_hash.startswith("$argon2id$")
    assert factories.PASSWORD not in officer.password_hash


@pytest.mark.parametrize("password", ["wrong password!", factories.PASSWORD.upper(), ""])
def test_a_wrong_password_is_refused(session, password: str) -> None:
    factories.officer(session, email="jo@council.example")
    assert authenticate(session, "jo@council.example", password) is None


def test_an_unknown_or_deactivated_officer_is_refused(session) -> None:
    officer = factories.officer(session, email="gone@council.example")
    officer.is_active = False
    assert authenticate(session, "gone@council.example", factories.PASSWORD) is None
    assert authenticate(session, "nobody@council.example", factories.PASSWORD) is None


def test_a_hash_with_old_parameters_is_upgraded_at_sign_in(session) -> None:
    officer = factories.officer(session, email="old@council.example")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    officer.password_hash = weak.hash(factories.PASSWORD)
    old_hash = officer.password_hash

    assert authenticate(session, "old@council.example", factories.PASSWORD) is officer
    assert officer.password_hash != old_hash
    assert PasswordHasher().check_needs_rehash(officer.password_hash) is False


def test_short_passwords_and_duplicate_emails_are_refused(session) -> None:
    with pytest.raises(InvalidInput, match="12 characters"):
        create_officer(session, email="a@council.example", name="A", password="short")
    factories.officer(session, email="twice@council.example")
    with pytest.raises(OfficerAlreadyExists):
        factories.officer(session, email="TWICE@council.example")


def test_ending_all_sessions_changes_the_session_token(session) -> None:
    officer = factories.officer(session)
    before = officer.session_token
    end_all_sessions(session, officer)
    assert officer.session_token != before
