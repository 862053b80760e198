"""Deny by default: every route says who may use it, and the wrong role is refused."""

from __future__ import annotations

import pytest
from flask import Flask

from crm.models import OfficerRole
from crm.permissions import ROLE_PERMISSIONS, Permission
from crm.services.api_tokens import create_token
from crm.unit_of_work import unit_of_work
from tests import factories
from web.auth.access import rule_for


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and rule_for(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def routes_needing(app: Flask, permission: Permission) -> list[tuple[str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule_for(app.view_functions[rule.endpoint]) != permission:
            continue
        url = rule.build({name: 1 for name in rule.arguments})[1]
        found.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


@pytest.mark.parametrize("role", list(OfficerRole), ids=lambda role: role.value)
def test_each_role_is_refused_what_it_is_not_allowed(
    app: Flask, client, officers, database, role
) -> None:
    with unit_of_work(database.session_factory) as session:
        officer = factories.officer(session, email="someone@council.example", role=role)
        api_token = create_token(session, officer, "sweep").secret
    assert officers.sign_in("someone@council.example").status_code == 302
    app.config["WTF_CSRF_ENABLED"] = False  # so a refusal can only come from the role check
    refused = [
        (method, url)
        for permission in Permission
        if permission not in ROLE_PERMISSIONS[role]
        for method, url in routes_needing(app, permission)
    ]
    for method, url in refused:
        headers = {"Authorization": f"Bearer {api_token}"} if url.startswith("/api/") else {}
        assert client.open(url, method=method, headers=headers).status_code == 403, (
            role,
            method,
            url,
        )


def test_a_viewer_can_read_but_not_log_an_interaction(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="viewer@council.example", role=OfficerRole.VIEWER)
    officers.sign_in("viewer@council.example")

    assert client.get("/contacts/").status_code == 200
    refused = client.get("/interactions/new")
    assert refused.status_code == 403
    assert "You do not have permission to see this page" in refused.get_data(as_text=True)
