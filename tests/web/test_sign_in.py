"""Every page but sign-in and the health check needs a signed-in officer."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.web.conftest import csrf_token_from

PUBLIC = {
    "auth.sign_in",
    "auth.two_factor",
    "home.health",
    "home.accessibility",
    "api.openapi",
    # Calendar apps cannot sign in: the secret in the address is the key (a wrong one is 404).
    "calendar.feed",
    "static",
}


def test_every_other_route_sends_an_anonymous_visitor_to_sign_in(app: Flask, client) -> None:
    # Without CSRF in the way, a refusal can only come from the sign-in rule.
    app.config["WTF_CSRF_ENABLED"] = False
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in PUBLIC]
    assert len(rules) >= 6
    for rule in rules:
        url = rule.build({name: 1 for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if rule.endpoint.startswith("api."):
                assert response.status_code == 401, (rule, method)  # the API wants a token
                continue
            assert response.status_code == 302, (rule, method)
            assert response.location.startswith("/sign-in"), (rule, method)


def test_the_health_check_is_public(client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_the_accessibility_statement_is_public(client) -> None:
    response = client.get("/accessibility")
    assert response.status_code == 200
    assert "Accessibility statement for Weaver" in response.get_data(as_text=True)


def test_signing_in_leads_to_the_home_page(client, officers) -> None:
    officers.create(name="Rhian Castell")
    response = officers.sign_in()
    assert response.status_code == 302
    assert response.location == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Hello, <bdi>Rhian Castell</bdi>" in home.get_data(as_text=True)


def test_a_wrong_password_shows_an_error_summary(client, officers) -> None:
    officers.create()
    response = officers.sign_in(password="not the password at all")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter a correct email address and password" in page
    assert client.get("/").status_code == 302


def test_sign_in_without_the_csrf_token_is_refused(client, officers) -> None:
    from tests import factories

    officers.create()
    response = client.post(
        "/sign-in", data={"email": "officer@council.example", "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/contacts/", "/contacts/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_sign_in_only_returns_to_pages_on_this_site(officers, next_url, expected) -> None:
    officers.create()
    response = officers.sign_in(next_url=next_url)
    assert response.location == expected


def test_signing_out_kills_the_old_session_cookie(app: Flask, client, officers) -> None:
    officers.signed_in()
    stolen = client.get_cookie("session")
    assert stolen is not None
    home = client.get("/")
    client.post("/sign-out", data={"csrf_token": csrf_token_from(home)})
    assert client.get("/").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", stolen.value)
    assert replay.get("/").status_code == 302


def test_pages_carry_security_headers(client, officers) -> None:
    for response in (client.get("/sign-in"), client.get("/no-such-page")):
        csp = response.headers["Content-Security-Policy"]
        assert "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    officers.signed_in()
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_a_nul_byte_in_the_email_is_just_a_wrong_email(client, officers) -> None:
    officers.create()
    response = officers.sign_in(email="officer@council.example\x00")
    assert response.status_code == 302
