"""Importing organisations and people from CSV: bad rows reported by line while the rest
import, dry runs that change nothing, and re-imports that update rather than duplicate."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.database import Database
from crm.errors import InvalidInput
from crm.exports import safe_cell
from crm.models import (
    Affiliation,
    AuditAction,
    AuditEvent,
    Contact,
    ContactKind,
    Locality,
    OfficerRole,
    Organisation,
    OrganisationType,
    Person,
    Theme,
    Ward,
)
from crm.services import contact_import
from crm.services.contact_import import ImportOptions, ImportReport, import_contacts
from crm.services.contact_spreadsheet import map_columns, parse_map_option
from crm.unit_of_work import unit_of_work
from tests import factories

BAD_ROWS = (
    "Name,Kind,Charity number,Email,Locality,Themes,Tags\r\n"
    "Marshby Community Pantry,organisation,1187654,hello@pantry.example,Marshby,"
    "Soup runs;Allotments,warm space\r\n"
    ",organisation,1000001,nobody@example.org,,,\r\n"
    "Caf\xe9 Bad Encoding,organisation,,,,,\r\n"
    "Pantry Again,organisation,1187654,,,,\r\n"
    '"=HYPERLINK(""http://evil.example"",""click"")",organisation,,formula@example.org,,,\r\n'
    "Jo Volunteer,person,,jo@example.org,Marshby,,\r\n"
)


def csv_lines(text: str, encoding: str = "utf-8") -> list[bytes]:
    """The file as a stream of lines, the way the CLI and the web page read it."""
    return io.BytesIO(text.encode(encoding)).readlines()


def bad_rows_file() -> list[bytes]:
    # One line in Windows-1252 in an otherwise UTF-8 file: "Café" as Excel would save it.
    lines = csv_lines(BAD_ROWS)
    lines[3] = "Caf\xe9 Bad Encoding,organisation,,,,,\r\n".encode("windows-1252")
    return lines


@pytest.fixture
def admin_id(database: Database) -> int:
    with unit_of_work(database.session_factory) as session:
        return factories.officer(session, email="admin@council.example", role=OfficerRole.ADMIN).id


def run(database: Database, lines: list[bytes], admin_id: int, **options: object) -> ImportReport:
    return import_contacts(
        database.session_factory,
        lines,
        file_name="contacts.csv",
        officer_id=admin_id,
        options=ImportOptions(**options),
    )


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_bad_rows_are_reported_by_line_and_the_rest_import(
    database: Database, admin_id: int
) -> None:
    report = run(database, bad_rows_file(), admin_id)

    assert (report.rows, report.created, report.rejected) == (6, 3, 3)
    problems = {problem.line_number: problem.reason for problem in report.problems}
    assert sorted(problems) == [3, 4, 5]
    assert problems[3] == "The name is missing"
    assert "not UTF-8" in problems[4]
    assert problems[5] == "The same contact as line 2 (same charity number)"
    with unit_of_work(database.session_factory) as session:
        pantry = session.scalars(
            select(Organisation).where(Organisation.charity_number != "")
        ).one()
        assert pantry.name == "Marshby Community Pantry"
        assert [theme.name for theme in pantry.themes] == ["Allotments", "Soup runs"]
        assert [tag.name for tag in pantry.tags] == ["warm space"]
        assert pantry.locality.name == "Marshby"
        # A formula is kept as the text it is; exports neutralise it.
        formula = session.scalars(
            select(Contact).where(Contact.email == "formula@example.org")
        ).one()
        assert formula.name == '=HYPERLINK("http://evil.example","click")'
        assert safe_cell(formula.name).startswith("'=")
        person = session.scalars(select(Person)).one()
        assert (person.name, person.locality.name) == ("Jo Volunteer", "Marshby")
    assert report.new_names.themes == ["Soup runs", "Allotments"]
    assert report.new_names.localities == ["Marshby"]


def test_a_dry_run_reports_what_would_happen_and_changes_nothing(
    database: Database, admin_id: int
) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.organisation(session, "Old Pantry Name", charity_number="1187654")
        before = (count(session, Contact), count(session, AuditEvent), count(session, Theme))

    report = run(database, bad_rows_file(), admin_id, dry_run=True)

    assert (report.created, report.updated, report.rejected) == (2, 1, 3)
    assert report.dry_run
    assert report.new_names.localities == ["Marshby"]
    with unit_of_work(database.session_factory) as session:
        after = (count(session, Contact), count(session, AuditEvent), count(session, Theme))
        assert after == before
        assert session.scalars(select(Organisation)).one().name == "Old Pantry Name"
        assert count(session, Locality) == 0


def test_importing_the_same_file_again_updates_rather_than_duplicates(
    database: Database, admin_id: int
) -> None:
    first = run(database, bad_rows_file(), admin_id)
    again = run(database, bad_rows_file(), admin_id)

    assert first.created == 3
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = csv_lines(
        "Charity number,Name,Phone,Tags\r\n1187654,Marshby Community Pantry CIO,01632 960 001,"
        "food bank\r\n"
    )
    report = run(database, changed, admin_id)

    assert (report.created, report.updated) == (0, 1)
    with unit_of_work(database.session_factory) as session:
        assert count(session, Contact) == 3
        pantry = session.scalars(
            select(Organisation).where(Organisation.charity_number != "")
        ).one()
        assert pantry.name == "Marshby Community Pantry CIO"
        assert pantry.phone == "01632 960 001"
        # What the row left blank stays; tags are added to.
        assert pantry.email == "hello@pantry.example"
        assert [tag.name for tag in pantry.tags] == ["food bank", "warm space"]
        change = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.CHANGED, AuditEvent.subject_id == pantry.id
            )
        ).one()
        assert change.before["name"] == "Marshby Community Pantry"


def test_duplicates_are_found_by_normalised_email_website_and_company_number(
    database: Database, admin_id: int
) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.organisation(session, "By Email", email="Info@Group.example")
        factories.organisation(session, "By Website", website="https://www.site.example/")
        factories.organisation(session, "By Company", companies_house_number="01234567")
    lines = csv_lines(
        "Name,Email,Website,Company number,Description\r\n"
        "Email group,info@group.example,,,a\r\n"
        "Website group,,site.example,,b\r\n"
        "Company group,,,1234567,c\r\n"
    )

    report = run(database, lines, admin_id)

    assert (report.created, report.updated, report.rejected) == (0, 3, 0), report.problems
    with unit_of_work(database.session_factory) as session:
        assert sorted(o.description for o in session.scalars(select(Organisation))) == [
            "a",
            "b",
            "c",
        ]


def test_a_row_matching_two_contacts_or_a_hidden_one_is_refused(
    database: Database, admin_id: int
) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.organisation(session, "One", email="one@example.org")
        factories.organisation(session, "Two", charity_number="1234567")
        owner = factories.officer(session, email="owner@council.example")
        private = factories.person(session, "Jo Private")
        private.email = "jo@private.example"
        private.is_restricted = True
        private.owner_id = owner.id
    lines = csv_lines(
        "Name,Kind,Email,Charity number\r\n"
        "Both,organisation,one@example.org,1234567\r\n"
        "Jo,person,jo@private.example,\r\n"
        "One as a person,person,one@example.org,\r\n"
    )

    report = run(database, lines, admin_id)

    reasons = [problem.reason for problem in report.problems]
    assert reasons == [
        "The charity number and the email belong to two different contacts",
        "The email is that of a restricted record you may not see: ask its owner",
        "The email is that of an existing organisation, but this row is a person",
    ]
    with unit_of_work(database.session_factory) as session:
        assert session.get(Person, private.id).name == "Jo Private"


def test_people_join_their_organisation_by_name(database: Database, admin_id: int) -> None:
    lines = csv_lines(
        "Kind,Name,Job title,Organisation,Organisation type\r\n"
        "organisation,Saltings Lunch Club,,,Community group\r\n"
        "person,Ann Chair,Chair,saltings lunch club,\r\n"
        "person,Bo Nobody,,No Such Group,\r\n"
    )

    report = run(database, lines, admin_id)

    assert report.created == 2
    assert [(p.line_number, p.reason) for p in report.problems] == [
        (4, "No organisation is called ‘No Such Group’: add it first")
    ]
    with unit_of_work(database.session_factory) as session:
        club = session.scalars(select(Organisation)).one()
        assert club.organisation_type is OrganisationType.COMMUNITY_GROUP
        affiliation = session.scalars(select(Affiliation)).one()
        assert (affiliation.person.name, affiliation.role) == ("Ann Chair", "Chair")
        assert affiliation.organisation_id == club.id


def test_rows_that_break_the_contact_rules_say_why(database: Database, admin_id: int) -> None:
    lines = csv_lines(
        "Name,Kind,Email,Charity number,Organisation type,Owner,Job title\r\n"
        "Bad email,organisation,not-an-email,,,,\r\n"
        "Bad number,organisation,,12,,,\r\n"
        "Bad type,organisation,,,Spaceship,,\r\n"
        "Bad owner,organisation,,,,nobody@council.example,\r\n"
        "Bad kind,robot,,,,,\r\n"
        "Org with a job,organisation,,,,,Chair\r\n"
        "Too,many,cells,here,,,,\r\n"
    )

    report = run(database, lines, admin_id)

    assert report.created == 0
    reasons = {problem.line_number: problem.reason for problem in report.problems}
    assert reasons[2].startswith("Enter an email address in the correct format")
    assert reasons[3].startswith("Enter a charity number of 6 to 8 digits")
    assert reasons[4].startswith("The organisation type ‘spaceship’ is not one of")
    assert reasons[5] == "No officer has the email ‘nobody@council.example’"
    assert reasons[6] == "The kind ‘robot’ is neither organisation nor person"
    assert reasons[7] == "An organisation has no job title: is the kind right?"
    assert reasons[8].startswith("The row has 8 cells but the file has 7 columns")


def test_batches_commit_as_they_go_and_a_bad_row_spoils_only_itself(
    database: Database, admin_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contact_import, "BATCH_SIZE", 3)
    rows = [f"Group {n},{n:07d}" for n in range(1, 8)]
    rows[4] = "Group 5,bad"
    lines = csv_lines("Name,Charity number\r\n" + "\r\n".join(rows) + "\r\n")

    report = run(database, lines, admin_id)

    assert (report.created, report.rejected) == (6, 1)
    assert report.problems[0].line_number == 6
    with unit_of_work(database.session_factory) as session:
        assert count(session, Organisation) == 6
        summary = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "contact import")
        ).one()
        assert summary.after["added"] == 6
        assert summary.officer_id == admin_id
        created = session.scalar(
            select(func.count()).where(
                AuditEvent.action == AuditAction.CREATED, AuditEvent.subject_type == "contact"
            )
        )
        assert created == 6


def test_a_ward_is_found_in_its_locality(database: Database, admin_id: int) -> None:
    with unit_of_work(database.session_factory) as session:
        marshby = Locality(name="Marshby")
        saltings = Locality(name="Saltings")
        session.add_all([marshby, saltings])
        session.flush()
        session.add_all(
            [
                Ward(name="Harbour", locality_id=marshby.id),
                Ward(name="Harbour", locality_id=saltings.id),
                Ward(name="Quayside", locality_id=saltings.id),
            ]
        )
    lines = csv_lines(
        "Name,Locality,Ward\r\nA,saltings,harbour\r\nB,,Quayside\r\nC,,Harbour\r\nD,,Nowhere\r\n"
    )

    report = run(database, lines, admin_id)

    assert report.created == 2
    assert [p.reason for p in report.problems] == [
        "More than one locality has a ward called ‘Harbour’: give its locality",
        "No ward is called ‘Nowhere’: give its locality too",
    ]
    with unit_of_work(database.session_factory) as session:
        placed = {c.name: (c.locality.name, c.ward.name) for c in session.scalars(select(Contact))}
        assert placed == {"A": ("Saltings", "Harbour"), "B": ("Saltings", "Quayside")}


def test_a_file_in_windows_encoding_imports_when_told(database: Database, admin_id: int) -> None:
    lines = csv_lines("Name\r\nCafé Society\r\n", encoding="windows-1252")

    wrong = run(database, lines, admin_id, dry_run=True)
    right = run(database, lines, admin_id, encoding="windows-1252")

    assert wrong.rejected == 1
    assert right.created == 1
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(Contact.name)).one() == "Café Society"


def test_people_by_default_when_told(database: Database, admin_id: int) -> None:
    report = run(
        database,
        csv_lines("Full name\r\nAmy Example\r\n"),
        admin_id,
        default_kind=ContactKind.PERSON,
    )

    assert report.created == 1
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(Person.name)).one() == "Amy Example"


def test_headings_are_matched_by_name_unless_mapped() -> None:
    mapping = map_columns(["ORG NAME", "E-mail", "Charity_No.", "Notes"])
    assert mapping.fields == ("name", "email", "charity_number", "")
    assert mapping.ignored == ["Notes"]

    overrides = parse_map_option(["Notes=Description", "E-mail="])
    mapping = map_columns(["ORG NAME", "E-mail", "Notes"], overrides)
    assert mapping.fields == ("name", "", "description")

    with pytest.raises(InvalidInput, match="No column holds the name"):
        map_columns(["Email"])
    with pytest.raises(InvalidInput, match="is not a field"):
        map_columns(["Name", "Notes"], {"Notes": "Shoe size"})
    with pytest.raises(InvalidInput, match="both Name"):
        map_columns(["Name", "Group"], {"Group": "name"})
    with pytest.raises(InvalidInput, match="no column called ‘Nope’"):
        map_columns(["Name"], {"Nope": "email"})
    with pytest.raises(InvalidInput, match="not a mapping"):
        parse_map_option(["Name"])


def test_a_file_with_unreadable_headings_is_refused(database: Database, admin_id: int) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        run(database, [], admin_id)
    with pytest.raises(InvalidInput, match="column headings"):
        run(database, [b"Nam\xff\r\n", b"x\r\n"], admin_id)
