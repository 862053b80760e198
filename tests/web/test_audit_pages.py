"""Information governance searches and exports the audit log; others cannot."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from crm.models import AuditAction, AuditEvent, OfficerRole
from crm.services import audit
from crm.unit_of_work import unit_of_work
from tests import factories


def sign_in_as_information_governance(officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(
            session,
            email="ig@council.example",
            name="Ida Governance",
            role=OfficerRole.INFORMATION_GOVERNANCE,
        )
    officers.sign_in("ig@council.example")


def test_viewing_a_person_shows_up_in_the_audit_log(app, client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        person_id = factories.person(session, "Jo Private").id
        factories.officer(session, email="nosy@council.example", name="Nosy Officer")
    officers.sign_in("nosy@council.example")
    assert client.get(f"/contacts/{person_id}").status_code == 200
    client.post("/sign-out", data={"csrf_token": _token(client)})

    sign_in_as_information_governance(officers, database)
    page = client.get(f"/audit/?action=viewed&subject_type=contact&subject_id={person_id}")
    text = page.get_data(as_text=True)

    assert page.status_code == 200
    assert "1 entry" in text
    assert "Viewed Jo Private" in text
    assert "Nosy Officer" in text


def test_the_log_can_be_searched_by_every_kind_of_thing_it_holds(client, officers, database):
    with unit_of_work(database.session_factory) as session:
        for subject_type in ("erasure_request", "collection_target"):
            audit.record(
                session,
                officer_id=None,
                action=AuditAction.CHANGED,
                subject_type=subject_type,
                subject_id=7,
                summary=f"Changed {subject_type} 7",
            )
    sign_in_as_information_governance(officers, database)

    choices = client.get("/audit/").get_data(as_text=True)
    found = client.get("/audit/?subject_type=erasure_request").get_data(as_text=True)

    assert '<option value="erasure_request"' in choices
    assert '<option value="collection_target"' in choices
    assert "Changed erasure_request 7" in found
    assert "Changed collection_target 7" not in found


def test_a_bad_date_in_the_search_is_explained(client, officers, database) -> None:
    sign_in_as_information_governance(officers, database)
    text = client.get("/audit/?from=31/02/2026").get_data(as_text=True)
    assert "Enter a date like 24/11/2026" in text


def test_the_export_is_a_safe_spreadsheet_and_is_itself_audited(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="tricky@council.example", name="=cmd|' /C calc'!A0")
    sign_in_as_information_governance(officers, database)

    # Closing the streamed response ends the request, as a real server does.
    with client.get("/audit/export.csv?action=created") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["When (UK time)", "Officer", "Action"]
    assert all(row[2] == "created" for row in rows[1:])
    assert any("tricky@council.example" in row[5] for row in rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    with unit_of_work(database.session_factory) as session:
        exported = session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORTED)
        ).one()
        assert exported.after == {"action": "created"}


def test_an_officer_cannot_read_the_audit_log(client, officers) -> None:
    officers.signed_in()
    assert client.get("/audit/").status_code == 403
    with client.get("/audit/export.csv") as response:
        assert response.status_code == 403


def _token(client) -> str:
    from tests.web.conftest import csrf_token_from

    return csrf_token_from(client.get("/"))
