"""The JSON API: tokens, the same permissions as the UI, pagination, and clear errors."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.clock import london_today, utc_now
from crm.models import AuditEvent, Interaction, OfficerRole
from crm.services.api_tokens import create_token
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import csrf_token_from


def token_for(
    database, role: OfficerRole = OfficerRole.OFFICER, email: str = "api@council.example"
) -> str:
    with unit_of_work(database.session_factory) as session:
        officer = factories.officer(session, email=email, role=role)
        return create_token(session, officer, "tests").secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_contacts_are_searched_and_paged(client, database) -> None:
    secret = token_for(database)
    with unit_of_work(database.session_factory) as session:
        for n in range(30):
            factories.organisation(session, f"Youth Group {n:02d}")
        factories.organisation(session, "Brackenford Food Bank")

    first = client.get("/api/v1/contacts?q=youth&per_page=25", headers=bearer(secret)).json
    second = client.get("/api/v1/contacts?q=youth&per_page=25&page=2", headers=bearer(secret)).json

    assert (first["total"], first["pages"], len(first["items"])) == (30, 2, 25)
    assert len(second["items"]) == 5
    assert first["items"][0] == {
        "id": first["items"][0]["id"],
        "kind": "organisation",
        "name": "Youth Group 00",
        "email": None,
        "locality": None,
    }


def test_a_contacts_timeline_and_a_missing_contact(client, database) -> None:
    secret = token_for(database)
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(session)
        factories.logged_interaction(
            session, [group], when=utc_now() - timedelta(days=1), note="A coffee"
        )
        group_id = group.id
    timeline = client.get(f"/api/v1/contacts/{group_id}/timeline", headers=bearer(secret))
    assert [item["text"] for item in timeline.json["items"]] == ["A coffee"]
    missing = client.get("/api/v1/contacts/999999/timeline", headers=bearer(secret))
    assert missing.status_code == 404
    assert missing.json == {"error": "No contact with that id"}


def test_logging_an_interaction_through_the_api(client, database) -> None:
    secret = token_for(database)
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session).id
    due = london_today() + timedelta(days=7)
    response = client.post(
        "/api/v1/interactions",
        headers=bearer(secret),
        json={
            "contact_ids": [group_id],
            "kind": "call",
            "occurred_at": "2026-11-20T10:30:00+00:00",
            "note": "Rang from the ward dashboard",
            "follow_up_on": due.isoformat(),
        },
    )
    assert response.status_code == 201, response.json
    assert response.json["follow_up_id"] is not None
    with unit_of_work(database.session_factory) as session:
        logged = session.scalars(select(Interaction)).one()
        assert logged.text == "Rang from the ward dashboard"
        assert session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "interaction")
        ).one()


def test_bad_input_is_explained_and_saves_nothing(client, database) -> None:
    secret = token_for(database)
    with unit_of_work(database.session_factory) as session:
        group_id = factories.organisation(session).id
    cases = [
        ({"contact_ids": [group_id], "kind": "post", "occurred_at": "2026-11-20T10:30:00Z"}, 400),
        ({"contact_ids": [group_id], "kind": "call", "occurred_at": "2026-11-20T10:30:00"}, 400),
        ({"contact_ids": [], "kind": "call", "occurred_at": "2026-11-20T10:30:00Z"}, 400),
        ({"contact_ids": [group_id], "kind": "call", "occurred_at": "2999-01-01T00:00:00Z"}, 422),
        (
            {
                "contact_ids": [group_id + 1000],
                "kind": "call",
                "occurred_at": "2026-11-20T10:30:00Z",
            },
            404,
        ),
    ]
    for body, status in cases:
        response = client.post("/api/v1/interactions", headers=bearer(secret), json=body)
        assert response.status_code == status, (body, response.json)
        assert "error" in response.json
    assert client.get("/api/v1/contacts?page=0", headers=bearer(secret)).status_code == 400
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(Interaction)).first() is None


def test_tokens_carry_the_officers_role_and_die_when_revoked(client, officers, database) -> None:
    viewer = token_for(database, OfficerRole.VIEWER, email="viewer@council.example")
    response = client.post("/api/v1/interactions", headers=bearer(viewer), json={})
    assert response.status_code == 403
    assert client.get("/api/v1/contacts", headers=bearer(viewer)).status_code == 200
    assert client.get("/api/v1/contacts", headers=bearer("wvr_made-up")).status_code == 401
    assert client.get("/api/v1/contacts").status_code == 401

    officers.signed_in()
    page = client.get("/account/api-tokens")
    created = client.post(
        "/account/api-tokens", data={"csrf_token": csrf_token_from(page), "name": "Dashboard"}
    )
    text = created.get_data(as_text=True)
    secret = text.split('<code class="weaver-secret">')[1].split("<")[0]
    assert client.get("/api/v1/contacts", headers=bearer(secret)).status_code == 200

    with unit_of_work(database.session_factory) as session:
        from crm.models import ApiToken

        token = session.scalars(select(ApiToken).where(ApiToken.name == "Dashboard")).one()
        assert secret not in (token.token_hash, token.prefix)
        assert token.last_used_at is not None
        token_id = token.id
    client.post(
        f"/account/api-tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token_from(client.get("/account/api-tokens"))},
    )
    assert client.get("/api/v1/contacts", headers=bearer(secret)).status_code == 401


def test_an_officer_cannot_revoke_someone_elses_token(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        other = factories.officer(session, email="other@council.example")
        other_token_id = create_token(session, other, "theirs").token.id
    officers.signed_in()
    response = client.post(
        f"/account/api-tokens/{other_token_id}/revoke",
        data={"csrf_token": csrf_token_from(client.get("/account/api-tokens"))},
    )
    assert response.status_code == 404


def test_a_deactivated_officers_token_stops_working(client, database) -> None:
    secret = token_for(database)
    with unit_of_work(database.session_factory) as session:
        from crm.services.officers import deactivate, officer_by_email

        deactivate(session, officer_by_email(session, "api@council.example"), changed_by_id=None)
    assert client.get("/api/v1/contacts", headers=bearer(secret)).status_code == 401
