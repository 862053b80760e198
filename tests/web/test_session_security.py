"""Sessions end when they should: password change, idle time, absolute lifetime; sign-in is
rate-limited without locking the real officer out."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from crm.clock import utc_now
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers


def test_changing_the_password_signs_out_every_other_session(
    app: Flask, client, officers, database
) -> None:
    officers.signed_in()
    laptop = app.test_client()
    Officers(laptop, database).sign_in()
    response = officers.post_form(
        "/account/password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/contacts/").status_code == 200  # this browser carries on
    assert laptop.get("/contacts/").status_code == 302  # the other one is signed out
    assert Officers(laptop, database).sign_in(password="a brand new passphrase").status_code == 302


def test_a_wrong_current_password_changes_nothing(client, officers, database) -> None:
    officers.signed_in()
    response = officers.post_form(
        "/account/password",
        {
            "current_password": "not my password",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert "Your current password is not right" in response.get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        from crm.passwords import verify_password

        officer = officer_by_email(session, "officer@council.example")
        assert verify_password(officer.password_hash, factories.PASSWORD)


def _age_session(client, **seconds_ago: int) -> None:
    with client.session_transaction() as session:
        now = int(utc_now().timestamp())
        for key, ago in seconds_ago.items():
            session[key] = now - ago


def test_an_idle_session_ends(app: Flask, client, officers) -> None:
    officers.signed_in()
    idle = int(timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"]).total_seconds())
    _age_session(client, last_seen_at=idle - 60)
    assert client.get("/contacts/").status_code == 200
    _age_session(client, last_seen_at=idle + 60)
    response = client.get("/contacts/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=/contacts/")


def test_a_session_ends_after_its_lifetime_however_busy(app: Flask, client, officers) -> None:
    officers.signed_in()
    lifetime = int(timedelta(hours=app.config["SESSION_LIFETIME_HOURS"]).total_seconds())
    _age_session(client, signed_in_at=lifetime + 60, last_seen_at=1)
    assert client.get("/").status_code == 302


def test_repeated_wrong_passwords_are_slowed_without_locking_the_officer_out(
    app: Flask, client, officers, database
) -> None:
    officers.create()
    attacker = Officers(app.test_client(), database)
    statuses = [attacker.sign_in(password=f"guess number {n}").status_code for n in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429

    # The real officer, from their own address, still gets in.
    real = app.test_client()
    page = real.get("/sign-in", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    from tests.web.conftest import csrf_token_from

    response = real.post(
        "/sign-in",
        data={
            "csrf_token": csrf_token_from(page),
            "email": "officer@council.example",
            "password": factories.PASSWORD,
        },
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert response.status_code == 302
