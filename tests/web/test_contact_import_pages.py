"""Admins import contacts from a CSV file in the browser: upload, columns, dry run, import,
and the report of rows not imported."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from crm.database import Database
from crm.models import AuditEvent, Contact, OfficerRole, Organisation
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import csrf_token_from
from web.contact_import import routes as import_routes

ADMIN = "admin@council.example"
FILE = (
    b"Group name,Charity No.,Notes,E-mail\r\n"
    b"Marshby Community Pantry,1187654,Food parcels,hello@pantry.example\r\n"
    b",1000001,No name here,\r\n"
    b"Pantry Twice,1187654,,\r\n"
    b"=1+2 Club,,,sums@example.org\r\n"
)


@pytest.fixture
def admin(officers, database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email=ADMIN, name="Ada Admin", role=OfficerRole.ADMIN)
    assert officers.sign_in(ADMIN).status_code == 302


def upload(client, content: bytes = FILE, name: str = "groups.csv", **fields: str):
    page = client.get("/import/contacts/")
    data = {
        "csrf_token": csrf_token_from(page),
        "file": (io.BytesIO(content), name),
        "default_kind": "organisation",
        "encoding": "utf-8",
        **fields,
    }
    return client.post("/import/contacts/", data=data, content_type="multipart/form-data")


BOUNDARY = "weaver-test-boundary"


def multipart_body(content: bytes) -> bytes:
    """A file upload as raw bytes, so the test client makes no temporary file of its own."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        'filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n'
    )
    return head.encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()


def contacts_in(database: Database) -> int:
    with unit_of_work(database.session_factory) as session:
        return session.scalar(select(func.count()).select_from(Contact))


@pytest.mark.usefixtures("admin")
def test_an_admin_checks_then_imports_and_reads_the_error_report(client, database) -> None:
    uploaded = upload(client)
    assert uploaded.status_code == 302
    columns_url = uploaded.location
    token = re.search(r"/import/contacts/([^/]+)/columns", columns_url).group(1)

    columns = client.get(columns_url).get_data(as_text=True)
    assert "Column 1: ‘<bdi>Group name</bdi>’" in columns
    assert '<option value="name" selected>' in columns
    assert '<option value="charity_number" selected>' in columns

    chosen = {"column-0": "name", "column-1": "charity_number", "column-2": "description"}
    chosen["column-3"] = "email"
    check = client.get(f"/import/contacts/{token}/check", query_string=chosen)
    text = check.get_data(as_text=True)
    assert check.status_code == 200
    assert "Nothing has changed yet" in text
    assert "Import 2 contacts" in text
    assert contacts_in(database) == 0

    done = client.post(
        f"/import/contacts/{token}/import", data={"csrf_token": csrf_token_from(check), **chosen}
    )
    assert done.status_code == 302
    report = client.get(done.location).get_data(as_text=True)

    assert "Import finished" in report
    assert "The name is missing" in report
    assert "The same contact as line 2 (same charity number)" in report
    assert re.search(r"<td[^>]*>3</td>\s*<td[^>]*>The name is missing", report)
    with unit_of_work(database.session_factory) as session:
        pantry = session.scalars(
            select(Organisation).where(Organisation.charity_number != "")
        ).one()
        assert pantry.description == "Food parcels"
        assert session.scalar(select(func.count()).select_from(Contact)) == 2
        summary = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "contact import")
        ).one()
        assert summary.after["file"] == "groups.csv"
    # The uploaded file is gone once imported; the report stays readable.
    assert client.get(f"/import/contacts/{token}/columns").status_code == 404
    assert client.get(done.location).status_code == 200


@pytest.mark.usefixtures("admin")
def test_choosing_two_columns_for_one_field_is_explained(client) -> None:
    columns_url = upload(client).location
    check_url = columns_url.replace("/columns", "/check")

    page = client.get(
        check_url,
        query_string={"column-0": "name", "column-1": "name", "column-2": "", "column-3": ""},
    ).get_data(as_text=True)

    assert "There is a problem" in page
    assert "are both Name" in page


@pytest.mark.usefixtures("admin")
def test_a_bad_upload_is_refused_with_a_reason(client) -> None:
    assert "The file is empty" in upload(client, b"").get_data(as_text=True)
    assert "must be a CSV file" in upload(client, name="groups.xlsx").get_data(as_text=True)
    unreadable = upload(client, b"Nam\xff,Email\r\n").get_data(as_text=True)
    assert "column headings, cannot be read" in unreadable
    too_big = client.post(
        "/import/contacts/",
        data=multipart_body(b"Name\r\n" + b"x" * (3 * 1024 * 1024)),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert too_big.status_code == 413
    assert "too large" in too_big.get_data(as_text=True)


@pytest.mark.usefixtures("admin")
def test_a_file_too_long_for_the_web_is_sent_to_the_command(client, monkeypatch) -> None:
    monkeypatch.setattr(import_routes, "MAX_ROWS", 3)
    page = upload(client).get_data(as_text=True)
    assert "The file has 4 rows. The web page imports up to 3 at a time" in page


@pytest.mark.usefixtures("admin")
def test_a_windows_file_imports_when_the_admin_says_so(client, database) -> None:
    columns_url = upload(
        client, "Name\r\nCafé Society\r\n".encode("windows-1252"), encoding="windows-1252"
    ).location
    check = client.get(columns_url.replace("/columns", "/check"))
    assert "Import 1 contact" in check.get_data(as_text=True)


def test_another_officer_cannot_use_an_admins_upload(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email=ADMIN, role=OfficerRole.ADMIN)
        factories.officer(session, email="other.admin@council.example", role=OfficerRole.ADMIN)
    officers.sign_in(ADMIN)
    columns_url = upload(client).location
    client.post("/sign-out", data={"csrf_token": csrf_token_from(client.get("/"))})

    officers.sign_in("other.admin@council.example")

    assert client.get(columns_url).status_code == 404
    assert client.get("/import/contacts/..%2F..%2Fsecret_key/columns").status_code == 404


def test_officers_may_not_import(client, officers) -> None:
    officers.signed_in()
    assert client.get("/import/contacts/").status_code == 403
    assert "Import contacts" not in client.get("/contacts/").get_data(as_text=True)
