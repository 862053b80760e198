"""Web hardening: error pages, size limits, hosts, proxies, and hostile text everywhere."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from crm.clock import london_today, utc_now
from crm.models import OfficerRole
from crm.services.ingestion import store_collected_post
from crm.unit_of_work import unit_of_work
from tests import factories
from web.auth.access import public

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}\u202egnp.exe"


def test_a_server_error_is_friendly_logged_with_a_reference_and_still_has_headers(
    make_app, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(TESTING=False)

    @app.get("/boom")
    @public
    def boom() -> str:
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in page and "Traceback" not in page
    reference = re.search(r"quote this reference: <strong[^>]*>([0-9A-F]{8})<", page).group(1)
    assert any(reference in record.getMessage() for record in caplog.records)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_oversized_form_gets_a_friendly_error(client, officers) -> None:
    officers.signed_in()
    response = client.post("/interactions/new", data={"note": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_only_trusted_hosts_are_answered(make_app, monkeypatch) -> None:
    monkeypatch.setenv("WEAVER_TRUSTED_HOSTS", "weaver.council.example")
    app = make_app()
    client = app.test_client()
    assert client.get("/health", headers={"Host": "weaver.council.example"}).status_code == 200
    assert client.get("/health", headers={"Host": "evil.example"}).status_code == 400


def test_hsts_is_sent_when_the_proxy_says_https(make_app, monkeypatch) -> None:
    monkeypatch.setenv("WEAVER_PROXY_HOPS", "1")
    app = make_app()
    client = app.test_client()
    plain = client.get("/health")
    behind_tls = client.get("/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in plain.headers
    assert behind_tls.headers["Strict-Transport-Security"].startswith("max-age=")


def test_hostile_text_is_inert_on_every_page_that_shows_it(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        admin = factories.officer(
            session, email="admin@council.example", name=XSS, role=OfficerRole.ADMIN
        )
        group = factories.organisation(session, XSS, description=XSS, website="javascript:alert(1)")
        person = factories.person(session, XSS, member_of=group)
        factories.account(session, group, handle=XSS)
        factories.logged_interaction(
            session, [group, person], when=utc_now() - timedelta(hours=1), note=XSS, by=admin
        )
        store_collected_post(session, factories.post(text=XSS, author_handle=XSS), [group.id])
        factories.follow_up(session, group, due_on=london_today(), assignee=admin, note=XSS)
        group_id, person_id = group.id, person.id
    officers.sign_in("admin@council.example")

    pages = [
        "/",
        "/contacts/",
        f"/contacts/{group_id}",
        f"/contacts/{person_id}",
        "/follow-ups/?who=everyone",
        "/admin/officers",
        "/interactions/new",
    ]
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page, path
        assert "<img src=x" not in page, path
        assert "{{7*7}}" in page, path  # shown as typed: text is never a template
        assert 'href="javascript:' not in page, path
    timeline = client.get(f"/contacts/{group_id}").get_data(as_text=True)
    # Right-to-left overrides cannot reorder what is around the name.
    assert "<bdi>&lt;script&gt;" in timeline
