"""Admins manage officers: add them, change their role, deactivate them."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from crm.models import Officer, OfficerRole
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers, csrf_token_from


def signed_in_admin(officers: Officers, database) -> Officer:
    with unit_of_work(database.session_factory) as session:
        admin = factories.officer(session, email="admin@council.example", role=OfficerRole.ADMIN)
    officers.sign_in("admin@council.example")
    return admin


def test_an_admin_adds_an_officer_who_can_then_sign_in(
    app: Flask, client, officers, database
) -> None:
    signed_in_admin(officers, database)
    response = officers.post_form(
        "/admin/officers/new",
        {
            "name": "Priya Newstarter",
            "email": "priya@council.example",
            "role": "viewer",
            "password": "three random words here",
        },
    )
    assert response.status_code == 302
    assert "Priya Newstarter" in client.get("/admin/officers").get_data(as_text=True)

    newcomer = app.test_client()
    Officers(newcomer, database).sign_in("priya@council.example", "three random words here")
    assert newcomer.get("/interactions/new").status_code == 403  # a viewer
    assert newcomer.get("/contacts/").status_code == 200


def test_adding_an_officer_explains_problems(client, officers, database) -> None:
    signed_in_admin(officers, database)
    response = officers.post_form(
        "/admin/officers/new",
        {
            "name": "Someone",
            "email": "admin@council.example",
            "role": "officer",
            "password": "password1234",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "too common" in page
    with unit_of_work(database.session_factory) as session:
        assert len(session.scalars(select(Officer)).all()) == 1


def test_deactivating_an_officer_ends_their_session_at_once(
    app, client, officers, database
) -> None:
    with unit_of_work(database.session_factory) as session:
        target_id = factories.officer(session, email="leaver@council.example").id
    leaver = app.test_client()
    Officers(leaver, database).sign_in("leaver@council.example")
    assert leaver.get("/contacts/").status_code == 200

    signed_in_admin(officers, database)
    page = client.get(f"/admin/officers/{target_id}")
    client.post(
        f"/admin/officers/{target_id}/deactivate", data={"csrf_token": csrf_token_from(page)}
    )

    assert leaver.get("/contacts/").status_code == 302
    assert Officers(leaver, database).sign_in("leaver@council.example").status_code == 200
    with unit_of_work(database.session_factory) as session:
        assert officer_by_email(session, "leaver@council.example").is_active is False


def test_an_admin_changes_a_role_but_not_their_own(client, officers, database) -> None:
    admin = signed_in_admin(officers, database)
    with unit_of_work(database.session_factory) as session:
        other_id = factories.officer(session, email="lead@council.example").id

    officers.post_form(f"/admin/officers/{other_id}", {"role": "team_lead"})
    own = officers.post_form(f"/admin/officers/{admin.id}", {"role": "viewer"})

    assert "You cannot change your own role" in own.get_data(as_text=True)
    with unit_of_work(database.session_factory) as session:
        assert officer_by_email(session, "lead@council.example").role is OfficerRole.TEAM_LEAD
        assert officer_by_email(session, "admin@council.example").role is OfficerRole.ADMIN


def test_a_changed_role_cannot_be_smuggled_in_by_a_non_admin(client, officers, database) -> None:
    me = officers.signed_in()
    response = officers.post_form(
        f"/admin/officers/{me.id}", {"role": "admin"}, form_page="/contacts/"
    )
    assert response.status_code == 403
    with unit_of_work(database.session_factory) as session:
        assert officer_by_email(session, me.email).role is OfficerRole.OFFICER
