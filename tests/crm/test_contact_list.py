"""The contacts list's filters and its spreadsheet export."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session

from crm.exports import csv_lines
from crm.models import (
    ContactKind,
    Locality,
    OrganisationType,
    Tag,
    Theme,
    Ward,
)
from crm.services.contact_list import (
    EXPORT_HEADER,
    NO_OWNER,
    ContactFilter,
    export_rows,
    filter_choices,
    list_contacts,
)
from tests import factories


def names(session: Session, viewer, **filters: object) -> list[str]:
    page = list_contacts(session, ContactFilter(**filters), viewer=viewer)
    return [contact.name for contact in page.items]


def test_each_filter_narrows_the_list(session: Session) -> None:
    me = factories.officer(session, email="me@council.example", name="Me")
    other = factories.officer(session, email="other@council.example", name="Other")
    marshby, saltings = Locality(name="Marshby"), Locality(name="Saltings")
    harbour = Ward(name="Harbour", locality=saltings)
    food, youth = Theme(name="Soup runs"), Theme(name="Scouting")
    warm = Tag(name="warm space")
    session.add_all([marshby, saltings, harbour, food, youth, warm])
    session.flush()
    pantry = factories.organisation(
        session, "Marshby Pantry", organisation_type=OrganisationType.CHARITY
    )
    pantry.locality_id, pantry.owner_id = marshby.id, me.id
    pantry.themes, pantry.tags = [food], [warm]
    club = factories.organisation(
        session, "Saltings Youth Club", organisation_type=OrganisationType.COMMUNITY_GROUP
    )
    club.themes, club.owner_id = [youth], other.id
    club.wards_served = [harbour]
    person = factories.person(session, "Ann Harbour")
    person.ward_id, person.locality_id = harbour.id, saltings.id
    session.flush()

    assert names(session, me) == ["Ann Harbour", "Marshby Pantry", "Saltings Youth Club"]
    assert names(session, me, kind=ContactKind.PERSON) == ["Ann Harbour"]
    assert names(session, me, organisation_type=OrganisationType.CHARITY) == ["Marshby Pantry"]
    assert names(session, me, theme_id=youth.id) == ["Saltings Youth Club"]
    assert names(session, me, tag_id=warm.id) == ["Marshby Pantry"]
    assert names(session, me, locality_id=marshby.id) == ["Marshby Pantry"]
    # In the locality: living in one of its wards, or serving one.
    assert names(session, me, locality_id=saltings.id) == ["Ann Harbour", "Saltings Youth Club"]
    assert names(session, me, ward_id=harbour.id) == ["Ann Harbour", "Saltings Youth Club"]
    assert names(session, me, owner_id=me.id) == ["Marshby Pantry"]
    assert names(session, me, owner_id=NO_OWNER) == ["Ann Harbour"]
    assert names(session, me, text="salt") == ["Saltings Youth Club"]
    assert names(session, me, text="salt", theme_id=food.id) == []
    choices = filter_choices(session)
    assert [ward.name for ward in choices.wards] == ["Harbour"]
    assert [officer.name for officer in choices.owners] == ["Me", "Other"]


def test_the_list_leaves_out_restricted_records_of_others(session: Session) -> None:
    owner = factories.officer(session, email="owner@council.example")
    outsider = factories.officer(session, email="outsider@council.example")
    private = factories.person(session, "Jo Private")
    private.is_restricted, private.owner_id = True, owner.id
    factories.organisation(session, "Open Group")
    session.flush()

    assert names(session, outsider) == ["Open Group"]
    assert names(session, owner) == ["Jo Private", "Open Group"]
    exported = [row[2] for row in export_rows(session, ContactFilter(), viewer=outsider)]
    assert exported == ["Open Group"]


def test_the_export_has_every_column_and_neutralises_formulas(session: Session) -> None:
    me = factories.officer(session, email="me@council.example")
    group = factories.organisation(
        session,
        '=HYPERLINK("http://evil.example")',
        charity_number="1187654",
        website="https://group.example",
        description="+44 is not a sum",
    )
    group.themes = [Theme(name="Soup runs")]
    group.tags = [Tag(name="-1 priority")]
    group.owner_id = me.id
    group.localities_served = [Locality(name="Marshby")]
    session.flush()

    text = "".join(csv_lines(EXPORT_HEADER, export_rows(session, ContactFilter(), viewer=me)))
    header, row = list(csv.reader(io.StringIO(text)))

    record = dict(zip(header, row, strict=True))
    assert record["Name"] == '\'=HYPERLINK("http://evil.example")'
    assert record["Description"] == "'+44 is not a sum"
    assert record["Tags"] == "'-1 priority"
    assert record["Themes"] == "Soup runs"
    assert record["Owner"] == "me@council.example"
    assert record["Charity number"] == "1187654"
    assert record["Localities served"] == "Marshby"
    assert record["Weaver id"] == str(group.id)
    assert record["Kind"] == "organisation"


def test_the_export_reads_in_batches(session: Session, monkeypatch) -> None:
    from crm.services import contact_list

    monkeypatch.setattr(contact_list, "EXPORT_BATCH", 3)
    me = factories.officer(session)
    for number in range(8):
        group = factories.organisation(session, f"Group {number}")
        group.themes = [Theme(name=f"Theme {number}")]
    session.flush()

    rows = list(export_rows(session, ContactFilter(), viewer=me))

    assert [row[2] for row in rows] == [f"Group {n}" for n in range(8)]
    assert [row[12] for row in rows] == [f"Theme {n}" for n in range(8)]
