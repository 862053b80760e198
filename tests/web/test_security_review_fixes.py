"""Holes a security review found, each closed and kept closed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from crm.clock import london_today, utc_now
from crm.models import InteractionKind, Officer, OfficerRole
from crm.services.api_tokens import create_token
from crm.services.interactions import record_interaction
from crm.services.officers import create_officer, officer_by_email, reactivate
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers


def test_a_follow_up_from_a_hidden_interaction_does_not_leak_its_note(app, database) -> None:
    with unit_of_work(database.session_factory) as session:
        owner = factories.officer(session, email="olive@council.example")
        factories.officer(session, email="oscar@council.example")
        group = factories.organisation(session, "Saltings Lunch Club")
        person = factories.person(session, "Jo Private")
        person.is_restricted, person.owner_id = True, owner.id
        session.flush()
        record_interaction(
            session,
            officer_id=owner.id,
            contact_ids=[group.id, person.id],
            kind=InteractionKind.MEETING,
            occurred_at=utc_now(),
            note="Jo disclosed debt problems",
            follow_up_on=london_today() + timedelta(days=3),
        )
        group_id = group.id
        secret = create_token(
            session, officer_by_email(session, "oscar@council.example"), "probe"
        ).secret
    oscar = app.test_client()
    Officers(oscar, database).sign_in("oscar@council.example")

    assert "debt problems" not in oscar.get("/follow-ups/?who=everyone").get_data(as_text=True)
    assert "debt problems" not in oscar.get(f"/contacts/{group_id}").get_data(as_text=True)
    api = oscar.get(
        "/api/v1/follow-ups?assignee=anyone", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.json == {"items": []}


def test_tokens_die_with_a_password_change_and_stay_dead_after_reactivation(
    client, officers, database
) -> None:
    with unit_of_work(database.session_factory) as session:
        me = factories.officer(session, email="officer@council.example")
        first = create_token(session, me, "one").secret
    officers.sign_in()
    officers.post_form(
        "/account/password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert (
        client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {first}"}).status_code
        == 401
    )

    with unit_of_work(database.session_factory) as session:
        me = officer_by_email(session, "officer@council.example")
        second = create_token(session, me, "two").secret
        from crm.services.officers import deactivate

        deactivate(session, me, changed_by_id=None)
        reactivate(session, me, changed_by_id=None)
    assert (
        client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {second}"}).status_code
        == 401
    )


def test_guessing_the_current_password_is_rate_limited(client, officers) -> None:
    officers.signed_in()
    statuses = [
        officers.post_form(
            "/account/password",
            {
                "current_password": f"guess {n}",
                "new_password": "a brand new passphrase",
                "confirm_password": "a brand new passphrase",
            },
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_information_governance_must_set_up_a_second_factor(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        create_officer(
            session,
            email="ig@council.example",
            name="IG",
            password=factories.PASSWORD,
            role=OfficerRole.INFORMATION_GOVERNANCE,
        )
    officers.sign_in("ig@council.example")
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response.location == "/account/two-factor"


def test_an_admin_cannot_grant_information_governance(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="admin@council.example", role=OfficerRole.ADMIN)
        ig = factories.officer(
            session, email="ig@council.example", role=OfficerRole.INFORMATION_GOVERNANCE
        )
        ig_id = ig.id
    officers.sign_in("admin@council.example")

    created = officers.post_form(
        "/admin/officers/new",
        {
            "name": "Sock Puppet",
            "email": "sock@council.example",
            "role": "information_governance",
            "password": "three random words here",
        },
    )
    changed = officers.post_form(
        f"/admin/officers/{ig_id}", {"role": "officer"}, form_page="/admin/officers/new"
    )

    assert created.status_code == 200
    assert changed.status_code == 200
    assert "changed by the operator" in changed.get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        assert (
            session.scalars(select(Officer).where(Officer.email == "sock@council.example")).first()
            is None
        )
        assert officer_by_email(session, "ig@council.example").role is (
            OfficerRole.INFORMATION_GOVERNANCE
        )
