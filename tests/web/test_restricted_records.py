"""A private individual's record is seen only by its owner's team and information governance:
through pages, forms and the API alike, and a hidden record is 'not found', not 'forbidden'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask

from crm.clock import london_today, utc_now
from crm.models import OfficerRole, Team
from crm.services.api_tokens import create_token
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers, csrf_token_from


@dataclass
class Scene:
    person_id: int
    organisation_id: int


@pytest.fixture
def scene(database) -> Scene:
    with unit_of_work(database.session_factory) as session:
        team = Team(name="North team")
        session.add(team)
        session.flush()
        owner = factories.officer(session, email="olive@council.example", name="Olive Owner")
        owner.team_id = team.id
        factories.officer(session, email="tom@council.example").team_id = team.id
        factories.officer(session, email="oscar@council.example", name="Oscar Outsider")
        factories.officer(
            session, email="ida@council.example", role=OfficerRole.INFORMATION_GOVERNANCE
        )
        group = factories.organisation(session, "Saltings Lunch Club")
        person = factories.person(session, "Jo Private", member_of=group)
        person.is_restricted = True
        person.owner_id = owner.id
        factories.logged_interaction(
            session,
            [group, person],
            by=owner,
            when=utc_now() - timedelta(hours=2),
            note="Talked with Jo about their circumstances",
        )
        factories.follow_up(
            session, person, due_on=london_today(), assignee=owner, note="Call Jo back"
        )
        return Scene(person_id=person.id, organisation_id=group.id)


def as_officer(app: Flask, database, email: str):
    client = app.test_client()
    assert Officers(client, database).sign_in(email).status_code == 302
    return client


def test_an_officer_outside_the_team_cannot_find_or_open_the_record(app, database, scene) -> None:
    oscar = as_officer(app, database, "oscar@council.example")

    assert "Jo Private" not in oscar.get("/contacts/?q=jo").get_data(as_text=True)
    assert oscar.get(f"/contacts/{scene.person_id}").status_code == 404
    organisation = oscar.get(f"/contacts/{scene.organisation_id}").get_data(as_text=True)
    assert "Saltings Lunch Club" in organisation
    assert "Jo Private" not in organisation
    assert "their circumstances" not in organisation
    assert "Call Jo back" not in oscar.get("/follow-ups/?who=everyone").get_data(as_text=True)
    assert "their circumstances" not in oscar.get("/").get_data(as_text=True)
    form = oscar.get("/interactions/new")
    assert "Jo Private" not in form.get_data(as_text=True)
    smuggled = oscar.post(
        "/interactions/new",
        data={
            "csrf_token": csrf_token_from(form),
            "contact_id": scene.person_id,
            "kind": "call",
            "occurred_on": [
                str(london_today().day),
                str(london_today().month),
                str(london_today().year),
            ],
            "occurred_time": "00:00",
            "note": "guessing ids",
        },
    )
    assert "One of the chosen contacts no longer exists" in smuggled.get_data(as_text=True)


def test_the_api_hides_it_the_same_way(app, database, scene) -> None:
    with unit_of_work(database.session_factory) as session:
        from crm.services.officers import officer_by_email

        secret = create_token(
            session, officer_by_email(session, "oscar@council.example"), "probe"
        ).secret
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/contacts/{scene.person_id}", headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/contacts/{scene.person_id}/timeline", headers=headers).status_code
        == 404
    )
    listed = client.get("/api/v1/contacts?q=jo", headers=headers).json
    assert listed["total"] == 0
    logged = client.post(
        "/api/v1/interactions",
        headers=headers,
        json={
            "contact_ids": [scene.person_id],
            "kind": "call",
            "occurred_at": "2026-11-20T10:00:00Z",
        },
    )
    assert logged.status_code == 404


@pytest.mark.parametrize(
    "email", ["olive@council.example", "tom@council.example", "ida@council.example"]
)
def test_the_owner_their_team_and_information_governance_see_it(
    app, database, scene, email
) -> None:
    client = as_officer(app, database, email)
    page = client.get(f"/contacts/{scene.person_id}")
    assert page.status_code == 200
    assert "their circumstances" in page.get_data(as_text=True)
    assert "Jo Private" in client.get("/contacts/?q=jo").get_data(as_text=True)
