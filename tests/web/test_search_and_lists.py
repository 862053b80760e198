"""The search page, the contacts list's filters, and downloading the list as a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from crm.database import Database
from crm.models import AuditAction, AuditEvent, Locality, OfficerRole, Tag
from crm.unit_of_work import unit_of_work
from tests import factories

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_search_finds_contacts_and_interactions_escaped(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        group = factories.organisation(
            session, "Brackenford <script>alert(1)</script> Pantry", description="Food parcels"
        )
        factories.logged_interaction(
            session, [group], when=WHEN, note="Brackenford <img src=x onerror=alert(1)> hall"
        )

    page = client.get("/search/?q=brack").get_data(as_text=True)

    assert "1 contact and 1 interaction matching" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page
    assert "<mark>Brackenford</mark>" in page
    assert f'href="/contacts/{group.id}"' in page


def test_search_hides_restricted_records_from_others(client, officers, database) -> None:
    officers.signed_in("outsider@council.example")
    with unit_of_work(database.session_factory) as session:
        owner = factories.officer(session, email="owner@council.example")
        person = factories.person(session, "Jo Quillfeather")
        person.is_restricted, person.owner_id = True, owner.id
        factories.logged_interaction(session, [person], when=WHEN, note="Quillfeather at home")

    page = client.get("/search/?q=quillfeather").get_data(as_text=True)

    assert "0 contacts and 0 interactions matching" in page
    assert "Jo Quillfeather" not in page


def test_search_survives_query_syntax_and_empty_words(client, officers, database) -> None:
    officers.signed_in()
    for query in ['"', "NEAR(", "a:b*", "-", "'; --", "%00"]:
        response = client.get("/search/", query_string={"q": query})
        assert response.status_code == 200, query
    assert "Enter a word or number" in client.get("/search/?q=***").get_data(as_text=True)
    assert client.get("/search/?q=x&page=99999999999999999999").status_code == 200


def test_the_contacts_list_filters_by_tag_and_locality(client, officers, database) -> None:
    officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        marshby = Locality(name="Marshby")
        tag = Tag(name="warm space")
        session.add_all([marshby, tag])
        session.flush()
        pantry = factories.organisation(session, "Marshby Pantry")
        pantry.locality_id, pantry.tags = marshby.id, [tag]
        factories.organisation(session, "Saltings Club")
        ids = {"locality": marshby.id, "tag": tag.id}

    by_tag = client.get(f"/contacts/?tag={ids['tag']}").get_data(as_text=True)
    by_place = client.get(f"/contacts/?locality={ids['locality']}&kind=organisation")
    nonsense = client.get("/contacts/?tag=abc&locality=-1&type=robot&owner=x")

    assert "Marshby Pantry" in by_tag and "Saltings Club" not in by_tag
    assert "1 contact" in by_place.get_data(as_text=True)
    assert nonsense.status_code == 200
    assert "2 contacts" in nonsense.get_data(as_text=True)
    # The download link keeps the filters.
    assert f"/contacts/export.csv?tag={ids['tag']}" in by_tag


def test_the_download_is_the_filtered_list_neutralised_and_audited(
    client, officers, database: Database
) -> None:
    me = officers.signed_in()
    with unit_of_work(database.session_factory) as session:
        factories.organisation(session, '=HYPERLINK("http://evil.example") Club')
        factories.organisation(session, "Other Group")
        owner = factories.officer(session, email="owner@council.example")
        hidden = factories.person(session, "Jo Hidden Club")
        hidden.is_restricted, hidden.owner_id = True, owner.id

    with client.get("/contacts/export.csv?q=club") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))

    assert rows[0][:3] == ["Weaver id", "Kind", "Name"]
    assert [row[2] for row in rows[1:]] == ['\'=HYPERLINK("http://evil.example") Club']
    with unit_of_work(database.session_factory) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORTED)
        ).one()
        assert (event.officer_id, event.subject_type) == (me.id, "contacts")
        assert event.after == {"text": "club"}


def test_a_read_only_viewer_may_not_download_the_list(client, officers, database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="viewer@council.example", role=OfficerRole.VIEWER)
        factories.organisation(session)
    officers.sign_in("viewer@council.example")

    assert "Download as CSV" not in client.get("/contacts/").get_data(as_text=True)
    assert client.get("/contacts/export.csv").status_code == 403
