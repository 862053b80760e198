"""`crm import contacts FILE.csv` as an operator runs it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from crm.cli import cli
from crm.database import Database
from crm.models import AuditEvent, Contact, OfficerRole, Organisation
from crm.unit_of_work import unit_of_work
from tests import factories

ADMIN = "admin@council.example"


def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "groups.csv"
    path.write_bytes(
        b"\xef\xbb\xbfGroup,Charity,Email\r\n"
        b"Marshby Community Pantry,1187654,hello@pantry.example\r\n"
        b",1000001,\r\n"
        b"Caf\xe9 Society,,\r\n"
        b"Saltings Lunch Club,,lunch@saltings.example\r\n"
    )
    return path


def make_admin(database: Database) -> None:
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email=ADMIN, role=OfficerRole.ADMIN)


def contacts(database: Database) -> list[str]:
    with unit_of_work(database.session_factory) as session:
        return list(session.scalars(select(Contact.name).order_by(Contact.name)))


def test_a_dry_run_reports_and_changes_nothing(database, environment, tmp_path) -> None:
    make_admin(database)
    result = CliRunner().invoke(
        cli,
        [
            "import",
            "contacts",
            str(a_file(tmp_path)),
            "--dry-run",
            "--map",
            "Group=Name",
            "--map",
            "Charity=Charity number",
            "--by",
            ADMIN,
        ],
    )

    assert result.exit_code == 1, result.output  # rows were rejected
    assert "Dry run, nothing changed" in result.output
    assert "would add 2" in result.output
    assert "Line 3: The name is missing" in result.output
    assert "Line 4: The line is not UTF-8 text" in result.output
    assert contacts(database) == []


def test_importing_shows_progress_and_reports_bad_lines(database, environment, tmp_path) -> None:
    make_admin(database)
    path = a_file(tmp_path)
    args = ["import", "contacts", str(path), "--map", "Group=Name", "--by", ADMIN]
    args += ["--map", "Charity=Charity number"]

    first = CliRunner().invoke(cli, args)
    again = CliRunner().invoke(cli, args)

    assert "Reading groups.csv" in first.output  # the progress bar's label
    assert "Imported groups.csv: added 2" in first.output
    assert "added 0, updated 0, left 2 as they were" in again.output
    assert contacts(database) == ["Marshby Community Pantry", "Saltings Lunch Club"]
    with unit_of_work(database.session_factory) as session:
        pantry = session.scalars(
            select(Organisation).where(Organisation.charity_number != "")
        ).one()
        assert pantry.email == "hello@pantry.example"
        imports = session.scalar(
            select(func.count()).where(AuditEvent.subject_type == "contact import")
        )
        assert imports == 2


def test_the_import_needs_an_admin_and_a_name_column(database, environment, tmp_path) -> None:
    make_admin(database)
    with unit_of_work(database.session_factory) as session:
        factories.officer(session, email="officer@council.example")
    path = a_file(tmp_path)

    not_admin = CliRunner().invoke(
        cli, ["import", "contacts", str(path), "--by", "officer@council.example"]
    )
    no_name = CliRunner().invoke(cli, ["import", "contacts", str(path), "--by", ADMIN])
    windows = CliRunner().invoke(
        cli,
        [
            *("import", "contacts", str(path), "--by", ADMIN),
            *("--encoding", "windows-1252", "--map", "Group=Name", "--dry-run"),
        ],
    )

    assert not_admin.exit_code == 1
    assert "is not an active admin who may import contacts" in not_admin.output
    assert no_name.exit_code == 1
    assert "No column holds the name" in no_name.output
    assert "Traceback" not in no_name.output
    # Read as Windows text, "Café" is fine (and the UTF-8 byte order mark is still dropped).
    assert "would add 3" in windows.output
