"""Signing in with a second factor, and admins made to set one up."""

from __future__ import annotations

import pyotp

from crm.models import OfficerRole
from crm.services.officers import create_officer, officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import csrf_token_from


def test_a_password_alone_is_not_enough_with_a_second_factor(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        officer = factories.officer(session, email="two@council.example")
        officer.totp_secret = pyotp.random_base32()
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token_from(page),
            "email": "two@council.example",
            "password": factories.PASSWORD,
        },
    )
    assert response.location.startswith("/sign-in/code")
    assert client.get("/contacts/").status_code == 302  # not signed in yet

    wrong = officers.enter_code("two@council.example", response.location, code="000000")
    assert "That code is not right" in wrong.get_data(as_text=True)
    right = officers.enter_code("two@council.example", response.location)
    assert right.status_code == 302
    assert client.get("/contacts/").status_code == 200


def test_the_code_step_times_out(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="two@council.example").totp_secret = pyotp.random_base32()
    page = client.get("/sign-in")
    client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token_from(page),
            "email": "two@council.example",
            "password": factories.PASSWORD,
        },
    )
    with client.session_transaction() as session:
        session["pending_since"] -= 6 * 60
    response = client.get("/sign-in/code")
    assert response.status_code == 302
    assert response.location == "/sign-in"


def test_an_admin_without_a_second_factor_must_set_one_up_first(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        create_officer(
            session,
            email="newadmin@council.example",
            name="New Admin",
            password=factories.PASSWORD,
            role=OfficerRole.ADMIN,
        )
    officers.sign_in("newadmin@council.example")

    for path in ("/", "/contacts/", "/admin/officers"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location == "/account/two-factor"

    set_up = client.get("/account/two-factor")
    text = set_up.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in text
    with client.session_transaction() as session:
        secret = session["enrolling_totp_secret"]
    client.post(
        "/account/two-factor",
        data={"csrf_token": csrf_token_from(set_up), "code": pyotp.TOTP(secret).now()},
    )

    assert client.get("/admin/officers").status_code == 200
    with unit_of_work(database.session_factory) as session:
        assert officer_by_email(session, "newadmin@council.example").totp_secret == secret
