"""A Flask app on the test database, a client, and a helper that signs in like a person."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from crm.database import Database
from crm.models import Officer
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from web import create_app
from web.database import database as app_database

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def make_app(database: Database, environment: dict[str, str]) -> Iterator[Callable[..., Flask]]:
    """Build an app from the environment as it is now; its connections close after the test."""
    made: list[Flask] = []

    def make(**config: object) -> Flask:
        made.append(create_app({"TESTING": True, **config}))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            app_database().dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token_from(response: TestResponse) -> str:
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


class Officers:
    """Creates officers and signs them in through the real sign-in form."""

    def __init__(self, client: FlaskClient, database: Database) -> None:
        self.client = client
        self.database = database

    def create(self, email: str = "officer@council.example", name: str = "Alex Officer") -> Officer:
        with unit_of_work(self.database.session_factory) as session:
            return factories.officer(session, email=email, name=name)

    def sign_in(
        self,
        email: str = "officer@council.example",
        password: str = factories.PASSWORD,
        next_url: str | None = None,
    ) -> TestResponse:
        page = self.client.get("/sign-in")
        path = "/sign-in" + (f"?{urlencode({'next': next_url})}" if next_url else "")
        response = self.client.post(
            path,
            data={"csrf_token": csrf_token_from(page), "email": email, "password": password},
        )
        if response.status_code == 302 and response.location.startswith("/sign-in/code"):
            return self.enter_code(email, response.location)
        return response

    def enter_code(self, email: str, code_page: str, code: str | None = None) -> TestResponse:
        """The second step, with the code the officer's authenticator app would show now."""
        if code is None:
            with unit_of_work(self.database.session_factory) as session:
                secret = officer_by_email(session, email).totp_secret
            code = pyotp.TOTP(secret).now()
        page = self.client.get(code_page)
        return self.client.post(code_page, data={"csrf_token": csrf_token_from(page), "code": code})

    def signed_in(self, email: str = "officer@council.example") -> Officer:
        officer = self.create(email=email)
        response = self.sign_in(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return officer

    def post_form(
        self, url: str, data: dict[str, object], form_page: str | None = None
    ) -> TestResponse:
        """Submit a form the way a browser would: with the token from the page it came from."""
        page = self.client.get(form_page or url)
        return self.client.post(url, data={"csrf_token": csrf_token_from(page), **data})


@pytest.fixture
def officers(client: FlaskClient, database: Database) -> Officers:
    return Officers(client, database)
