"""Information governance records an erasure request, reads what would go, then erases or
refuses; nobody else can reach these pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from crm.clock import london_today
from crm.models import Contact, ErasureRequest, ErasureStatus
from crm.services.erasure import respond_by
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import csrf_token_from
from tests.web.test_audit_pages import sign_in_as_information_governance
from web.filters import long_date

RECEIVED = london_today() - timedelta(days=2)


def _person_with_history(database) -> int:
    with unit_of_work(database.session_factory) as session:
        person = factories.person(session, "Sam <b>Private</b>")
        group = factories.organisation(session, "Riverside Food Bank")
        when = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
        factories.logged_interaction(session, [person], when=when, note="Coffee with Sam")
        factories.logged_interaction(session, [person, group], when=when, note="Group meeting")
        return person.id


def _record(client, person_id: int, reference: str = "IG-2026-14"):
    form = client.get(f"/erasure/new/{person_id}")
    return client.post(
        f"/erasure/new/{person_id}",
        data={
            "csrf_token": csrf_token_from(form),
            "reference": reference,
            "received_on": [str(RECEIVED.day), str(RECEIVED.month), str(RECEIVED.year)],
        },
    )


def test_information_governance_finds_the_person_and_records_the_request(
    client, officers, database
) -> None:
    person_id = _person_with_history(database)
    sign_in_as_information_governance(officers, database)

    found = client.get("/erasure/new?q=sam").get_data(as_text=True)
    assert f'href="/erasure/new/{person_id}"' in found
    assert "Sam &lt;b&gt;Private&lt;/b&gt;" in found

    response = _record(client, person_id)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)

    assert "IG-2026-14" in page
    assert long_date(respond_by(RECEIVED)) in page  # one calendar month later
    assert "What erasing this person removes" in page
    assert "1 logged interaction involves other contacts too" in page


def test_a_request_without_a_reference_is_explained(client, officers, database) -> None:
    person_id = _person_with_history(database)
    sign_in_as_information_governance(officers, database)

    response = _record(client, person_id, reference="")

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Enter the case reference" in text


def test_erasing_needs_the_check_confirmed_then_removes_the_person(
    client, officers, database
) -> None:
    person_id = _person_with_history(database)
    sign_in_as_information_governance(officers, database)
    show = client.get(_record(client, person_id).location)
    request_path = show.request.path

    unconfirmed = client.post(
        f"{request_path}/erase", data={"csrf_token": csrf_token_from(show)}
    ).get_data(as_text=True)
    assert "Confirm you have checked before erasing" in unconfirmed
    with unit_of_work(database.session_factory) as session:
        assert session.get(Contact, person_id) is not None

    done = client.post(
        f"{request_path}/erase", data={"csrf_token": csrf_token_from(show), "confirm": "y"}
    )
    assert done.status_code == 302
    page = client.get(done.location).get_data(as_text=True)

    assert "What was erased" in page
    assert "Sam" not in page
    with unit_of_work(database.session_factory) as session:
        assert session.get(Contact, person_id) is None
        request = session.scalars(select(ErasureRequest)).one()
        assert request.status is ErasureStatus.COMPLETED
    assert client.get(f"/contacts/{person_id}").status_code == 404


def test_a_refusal_records_its_reason(client, officers, database) -> None:
    person_id = _person_with_history(database)
    sign_in_as_information_governance(officers, database)
    show = client.get(_record(client, person_id).location)

    response = client.post(
        f"{show.request.path}/refuse",
        data={"csrf_token": csrf_token_from(show), "reason": "Safeguarding record we must keep"},
    )
    page = client.get(response.location).get_data(as_text=True)

    assert "Refused" in page
    assert "Safeguarding record we must keep" in page
    with unit_of_work(database.session_factory) as session:
        assert session.get(Contact, person_id) is not None


def test_officers_cannot_see_erasure_requests(client, officers, database) -> None:
    person_id = _person_with_history(database)
    officers.signed_in()

    assert client.get("/erasure/").status_code == 403
    assert client.get(f"/erasure/new/{person_id}").status_code == 403
    assert "Erasure requests" not in client.get("/").get_data(as_text=True)
