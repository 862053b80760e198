"""`crm import contacts FILE.csv`: organisations and people from a spreadsheet, with a
progress bar, a dry run, and every row not imported reported by its line number."""

from __future__ import annotations

from pathlib import Path

import click

from crm import migrate
from crm.config import Settings
from crm.csv_records import ENCODINGS
from crm.database import Database
from crm.models import ContactKind
from crm.permissions import Permission, can
from crm.services.contact_import import ImportOptions, ImportReport, import_contacts
from crm.services.contact_spreadsheet import FIELDS, parse_map_option
from crm.services.officers import officer_by_email
from crm.unit_of_work import unit_of_work


@click.command(
    "contacts",
    help="Import organisations and people from a CSV file. Rows for contacts Weaver already "
    "has (same Weaver id, charity or Companies House number, email or website) update them. "
    "Fields: " + ", ".join(field.label for field in FIELDS) + ".",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar='"HEADING=FIELD"',
    help='Say which field a column holds, e.g. --map "Org Name=Name"; "HEADING=" skips it.',
)
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in ContactKind]),
    default=ContactKind.ORGANISATION.value,
    show_default=True,
    help="What rows without a Kind column are.",
)
@click.option(
    "--encoding",
    type=click.Choice(list(ENCODINGS)),
    default="utf-8",
    show_default=True,
    help="windows-1252 for files older Excel saved as plain CSV.",
)
@click.option(
    "--by",
    "by_email",
    prompt="Your email address in Weaver (the audit log records the import as yours)",
    help="The admin the import is recorded against.",
)
def import_contacts_command(
    file: Path, dry_run: bool, mappings: tuple[str, ...], kind: str, encoding: str, by_email: str
) -> None:
    options = ImportOptions(
        overrides=parse_map_option(mappings),
        default_kind=ContactKind(kind),
        encoding=encoding,
        dry_run=dry_run,
    )
    with Database(Settings.from_environment().database_url) as database:
        migrate.require_up_to_date(database.engine)
        officer_id = _importer_id(database, by_email)
        with (
            file.open("rb") as lines,
            click.progressbar(length=file.stat().st_size, label=f"Reading {file.name}") as bar,
        ):
            report = import_contacts(
                database.session_factory,
                lines,
                file_name=file.name,
                officer_id=officer_id,
                options=options,
                on_bytes=bar.update,
            )
    _print(report)
    if report.rejected:
        raise SystemExit(1)


def _importer_id(database: Database, email: str) -> int:
    with unit_of_work(database.session_factory) as session:
        officer = officer_by_email(session, email)
        if officer is None or not can(officer, Permission.IMPORT_CONTACTS):
            raise click.ClickException(f"{email} is not an active admin who may import contacts")
        return officer.id


def _print(report: ImportReport) -> None:
    if report.dry_run:
        click.echo(
            f"Dry run, nothing changed. Importing {report.file_name} would add "
            f"{report.created:,}, update {report.updated:,} and leave {report.unchanged:,} "
            f"as they are; {report.rejected:,} rows would not be imported."
        )
    else:
        click.echo(
            f"Imported {report.file_name}: added {report.created:,}, updated "
            f"{report.updated:,}, left {report.unchanged:,} as they were; "
            f"{report.rejected:,} rows not imported."
        )
    for label, names in vars(report.new_names).items():
        if names:
            verb = "New" if not report.dry_run else "Would add"
            click.echo(f"{verb} {label}: {', '.join(names)}")
    if report.ignored_columns:
        click.echo(f"Columns not imported: {', '.join(report.ignored_columns)}")
    for problem in report.problems:
        click.echo(f"Line {problem.line_number}: {problem.reason}", err=True)
    if report.problems_not_listed:
        click.echo(f"...and {report.problems_not_listed:,} more.", err=True)
