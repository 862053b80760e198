"""Importing organisations and people from a CSV file, or checking what an import would do.

Rows are read as the file streams and saved in batches, each row in a savepoint of its own:
a row that cannot be imported is reported with its line number and reason, and the rest
import. A row that is a contact Weaver already has (crm.services.contact_keys) updates it,
filling in what the row says and keeping what it leaves blank; tags and themes are added to.
Contacts are made and changed through crm.services.contact_editing, so the checks and the
audit log are those of the contact forms.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from crm.csv_records import CsvRecord, csv_records
from crm.errors import InvalidInput, WeaverError
from crm.models import (
    Affiliation,
    AuditAction,
    Contact,
    ContactKind,
    Officer,
    Organisation,
    Person,
)
from crm.services import audit
from crm.services.affiliations import add_affiliation
from crm.services.contact_details import (
    ContactDetails,
    InvalidDetails,
    OrganisationDetails,
    PersonDetails,
    checked,
)
from crm.services.contact_editing import (
    create_organisation,
    create_person,
    hand_over,
    update_contact,
)
from crm.services.contact_import_rows import RowRejected, RowValues, read_row
from crm.services.contact_keys import KnownContact, KnownContacts, normal_key
from crm.services.contact_spreadsheet import ColumnMapping, map_columns, map_columns_in_order
from crm.services.import_names import NameFinder, NewNames
from crm.unit_of_work import unit_of_work

BATCH_SIZE = 200
MAX_REPORTED_PROBLEMS = 1000
DEFAULT_ROLE = "Member"


@dataclass(frozen=True)
class ImportOptions:
    overrides: Mapping[str, str] = field(default_factory=dict)
    # The field of each column by position, instead of matching headings; "" skips a column.
    columns: tuple[str, ...] | None = None
    default_kind: ContactKind = ContactKind.ORGANISATION
    encoding: str = "utf-8"
    dry_run: bool = False


@dataclass
class RowProblem:
    line_number: int
    reason: str


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    new_names: NewNames = field(default_factory=NewNames)

    def reject(self, line_number: int, reason: str) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(RowProblem(line_number, reason))

    @property
    def problems_not_listed(self) -> int:
        return self.rejected - len(self.problems)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> ImportReport:
        return cls(
            **{
                **values,
                "problems": [RowProblem(**problem) for problem in values["problems"]],
                "new_names": NewNames(**values["new_names"]),
            }
        )


class UnreadableFile(InvalidInput):
    pass


@dataclass(frozen=True)
class FileStart:
    """The column headings, the first row under them (examples for choosing fields), and how
    many rows there are."""

    headings: list[str]
    example: list[str]
    rows: int


def read_start(lines: Iterable[bytes], *, encoding: str = "utf-8") -> FileStart:
    """Reads the whole file, a record at a time."""
    records = csv_records(lines, encoding=encoding)
    headings = _headings(records)
    example: list[str] = []
    rows = 0
    for record in records:
        rows += 1
        if not example and not record.problem:
            example = record.cells
    return FileStart(headings, [*example, *[""] * len(headings)][: len(headings)], rows)


def _headings(records: Iterator[CsvRecord]) -> list[str]:
    header = next(records, None)
    if header is None:
        raise UnreadableFile("The file is empty")
    if header.problem:
        raise UnreadableFile(
            f"The first line, the column headings, cannot be read. {header.problem}"
        )
    return header.cells


def import_contacts(
    session_factory: sessionmaker[Session],
    lines: Iterable[bytes],
    *,
    file_name: str,
    officer_id: int,
    options: ImportOptions = ImportOptions(),
    on_bytes: Callable[[int], None] = lambda _size: None,
) -> ImportReport:
    """Import the file (or, with options.dry_run, only work out what importing would do)."""
    records = csv_records(lines, encoding=options.encoding, on_bytes=on_bytes)
    headings = _headings(records)
    if options.columns is not None:
        mapping = map_columns_in_order(headings, options.columns)
    else:
        mapping = map_columns(headings, options.overrides)
    report = ImportReport(
        file_name=file_name, dry_run=options.dry_run, ignored_columns=mapping.ignored
    )
    with unit_of_work(session_factory) as session:
        viewer = _officer(session, officer_id)
        importer = _Importer(KnownContacts.load(session, viewer=viewer), mapping, options, report)
    for batch in _batches(records, BATCH_SIZE):
        with _batch_session(session_factory, dry_run=options.dry_run) as session:
            officer = _officer(session, officer_id)
            for record in batch:
                importer.import_record(session, officer, record)
    if not options.dry_run:
        with unit_of_work(session_factory) as session:
            _record_import(session, officer_id, report)
    return report


def _officer(session: Session, officer_id: int) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.is_active:
        raise WeaverError("The officer importing the file no longer has an active account")
    return officer


def _batches(records: Iterator[CsvRecord], size: int) -> Iterator[list[CsvRecord]]:
    while batch := list(itertools.islice(records, size)):
        yield batch


@contextmanager
def _batch_session(session_factory: sessionmaker[Session], *, dry_run: bool) -> Iterator[Session]:
    if not dry_run:
        with unit_of_work(session_factory) as session:
            yield session
        return
    session = session_factory()
    try:
        yield session
    finally:
        # A dry run writes nothing; roll back anything a lookup might have left pending.
        session.rollback()
        session.close()


def _record_import(session: Session, officer_id: int, report: ImportReport) -> None:
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CREATED,
        subject_type="contact import",
        subject_id=None,
        summary=(
            f"Imported contacts from {report.file_name}: {report.created} added, "
            f"{report.updated} changed, {report.unchanged} unchanged, "
            f"{report.rejected} rejected"
        ),
        after={
            "file": report.file_name,
            "added": report.created,
            "changed": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "new_names": asdict(report.new_names),
        },
    )


# What became of a row ("created", "updated" or "unchanged": an ImportReport count), and the
# contact with the keys later rows may match it by.
_Outcome = tuple[str, tuple[KnownContact, dict[str, object]]]


class _Importer:
    """Carries what earlier rows did (contacts made, keys seen) on to later ones."""

    def __init__(
        self,
        known: KnownContacts,
        mapping: ColumnMapping,
        options: ImportOptions,
        report: ImportReport,
    ) -> None:
        self.known = known
        self.mapping = mapping
        self.options = options
        self.report = report
        self._planned = itertools.count(-1, -1)  # refs for contacts a dry run would make
        self._name_ids: dict[tuple[str, str], int] = {}

    def import_record(self, session: Session, officer: Officer, record: CsvRecord) -> None:
        self.report.rows += 1
        names = NameFinder(session, dry_run=self.options.dry_run, known_ids=self._name_ids)
        try:
            with session.begin_nested():
                values = read_row(record, self.mapping, self.options.default_kind)
                outcome, remembered = self._import_row(session, officer, values, names)
        except (RowRejected, WeaverError) as error:
            self.report.reject(record.line_number, _reason(error))
            return
        except IntegrityError:
            self.report.reject(
                record.line_number, "The row clashes with another record: check its numbers"
            )
            return
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        self.report.new_names.add(names.made)
        names.keep()
        contact, keys = remembered
        contact.line_number = values.line_number
        self.known.remember(contact, keys)

    def _import_row(
        self, session: Session, officer: Officer, values: RowValues, names: NameFinder
    ) -> _Outcome:
        match = self.known.match(values.kind, values.name, _keys(values))
        if match.problem:
            raise RowRejected(match.problem)
        if match.contact is not None:
            _check_can_update(match.contact, values, match.by)
        organisation = self._organisation(values)
        owner_id = names.owner_id(values.get("owner"))
        if match.contact is None:
            return self._create(session, officer, values, names, organisation, owner_id)
        return self._update(session, officer, values, names, match.contact, organisation, owner_id)

    def _organisation(self, values: RowValues) -> KnownContact | None:
        if not values.get("organisation"):
            return None
        found = self.known.organisation_named(values.get("organisation"))
        if not isinstance(found, KnownContact):
            raise RowRejected(found.problem or "No such organisation")
        return found

    def _create(
        self,
        session: Session,
        officer: Officer,
        values: RowValues,
        names: NameFinder,
        organisation: KnownContact | None,
        owner_id: int | None,
    ) -> _Outcome:
        details = _new_details(values, names)
        if self.options.dry_run:
            checked(session, details, owner_id=owner_id)
            ref = next(self._planned)
        else:
            make = create_organisation if values.kind is ContactKind.ORGANISATION else create_person
            contact = make(session, details, officer=officer, owner_id=owner_id)
            ref = contact.id
            if organisation is not None:
                _affiliate(session, officer, contact.id, organisation.ref, values)
        known = KnownContact(ref=ref, kind=values.kind, name=details.name, visible=True)
        return "created", (known, _details_keys(ref, details))

    def _update(
        self,
        session: Session,
        officer: Officer,
        values: RowValues,
        names: NameFinder,
        known: KnownContact,
        organisation: KnownContact | None,
        owner_id: int | None,
    ) -> _Outcome:
        contact = _with_details(session, known)
        if contact is None:
            raise RowRejected("The contact it matches was deleted while the file was importing")
        current = current_details(contact)
        merged = checked(
            session,
            _merged_details(current, values, names),
            contact_id=contact.id,
            owner_id=contact.owner_id,
        )
        new_owner = owner_id is not None and owner_id != contact.owner_id
        joins = organisation is not None and not _is_member(session, contact.id, organisation.ref)
        if merged == current and not new_owner and not joins:
            return "unchanged", (known, _details_keys(known.ref, merged))
        if not self.options.dry_run:
            if merged != current:
                update_contact(session, contact.id, merged, officer=officer)
            if new_owner:
                note = f"Owner given in the import of {self.report.file_name}"
                hand_over(session, contact.id, to_officer_id=owner_id, note=note, officer=officer)
            if joins:
                _affiliate(session, officer, contact.id, organisation.ref, values)
        return "updated", (known, _details_keys(known.ref, merged))


def _with_details(session: Session, known: KnownContact) -> Contact | None:
    """The contact and everything its details are read from."""
    if known.kind is ContactKind.ORGANISATION:
        options = [
            selectinload(Organisation.tags),
            selectinload(Organisation.themes),
            selectinload(Organisation.localities_served),
            selectinload(Organisation.wards_served),
        ]
        statement = select(Organisation).where(Organisation.id == known.ref).options(*options)
    else:
        statement = select(Person).where(Person.id == known.ref).options(selectinload(Person.tags))
    return session.scalars(statement).one_or_none()


def _check_can_update(known: KnownContact, values: RowValues, by: str) -> None:
    if known.line_number is not None:
        raise RowRejected(f"The same contact as line {known.line_number} (same {by})")
    if not known.visible:
        raise RowRejected(f"The {by} is that of a restricted record you may not see: ask its owner")
    if known.kind is not values.kind:
        raise RowRejected(
            f"The {by} is that of an existing {known.kind.value}, but this row is "
            f"{'a person' if values.kind is ContactKind.PERSON else 'an organisation'}"
        )


def _keys(values: RowValues) -> dict[str, object]:
    return {key: values.get(key) for key in ("id", *_MATCHED_DETAILS)}


_MATCHED_DETAILS = ("charity_number", "companies_house_number", "email", "website")


def _details_keys(ref: int, details: ContactDetails) -> dict[str, object]:
    return {"id": ref, **{key: getattr(details, key, "") for key in _MATCHED_DETAILS}}


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidDetails):
        return "; ".join(dict.fromkeys(error.errors.values()))
    return str(error)


def _is_member(session: Session, person_id: int, organisation_ref: int) -> bool:
    if organisation_ref < 0:
        return False
    return (
        session.scalar(
            select(Affiliation.id).where(
                Affiliation.person_id == person_id,
                Affiliation.organisation_id == organisation_ref,
                Affiliation.ended_on.is_(None),
            )
        )
        is not None
    )


def _affiliate(
    session: Session, officer: Officer, person_id: int, organisation_id: int, values: RowValues
) -> None:
    add_affiliation(
        session,
        person_id=person_id,
        organisation_id=organisation_id,
        role=values.get("job_title") or DEFAULT_ROLE,
        officer=officer,
    )


# Details: what a row says, alone (a new contact) or over what Weaver has (an update)


def _new_details(values: RowValues, names: NameFinder) -> ContactDetails:
    places = names.places(values.get("locality"), values.get("ward"))
    common: dict[str, Any] = {
        "name": values.name,
        "email": values.get("email"),
        "phone": values.get("phone"),
        "locality_id": places.locality_id,
        "ward_id": places.ward_id,
        "tags": tuple(values.names("tags")),
    }
    if values.kind is ContactKind.PERSON:
        return PersonDetails(**common, job_title=values.get("job_title"))
    return OrganisationDetails(
        **common,
        organisation_type=values.organisation_type,
        charity_number=values.get("charity_number"),
        companies_house_number=normal_key(
            "companies_house_number", values.get("companies_house_number")
        ),
        website=values.get("website"),
        description=values.get("description"),
        theme_ids=tuple(names.theme_ids(values.names("themes"))),
    )


def _merged_details(
    current: ContactDetails, values: RowValues, names: NameFinder
) -> ContactDetails:
    """What Weaver has, with what the row says on top: a blank cell changes nothing, and
    tags and themes are added to those the contact has."""
    given = _new_details(values, names)
    changes: dict[str, Any] = {
        key: getattr(given, key) for key in _ROW_DETAILS if values.get(key) and hasattr(given, key)
    }
    if values.get("locality") or values.get("ward"):
        changes.update(locality_id=given.locality_id, ward_id=given.ward_id)
    changes["tags"] = tuple(dict.fromkeys([*current.tags, *given.tags]))
    if isinstance(given, OrganisationDetails) and isinstance(current, OrganisationDetails):
        changes["theme_ids"] = tuple(sorted({*current.theme_ids, *given.theme_ids}))
    return replace(current, **changes)


# The details a row's cell of the same name sets.
_ROW_DETAILS = (
    "name",
    "email",
    "phone",
    "job_title",
    "organisation_type",
    "charity_number",
    "companies_house_number",
    "website",
    "description",
)


# Each details field read back from a contact; one without a counterpart stops the import
# rather than blanking what it holds.
_READ_BACK = {
    "tags": lambda contact: tuple(tag.name for tag in contact.tags),
    "theme_ids": lambda contact: tuple(sorted(theme.id for theme in contact.themes)),
    "localities_served_ids": lambda contact: tuple(
        sorted(locality.id for locality in contact.localities_served)
    ),
    "wards_served_ids": lambda contact: tuple(sorted(ward.id for ward in contact.wards_served)),
}


def current_details(contact: Contact) -> ContactDetails:
    """The contact's details as its edit form would start from them."""
    details_class = OrganisationDetails if isinstance(contact, Organisation) else PersonDetails
    values = {}
    for item in fields(details_class):
        read = _READ_BACK.get(item.name)
        value = read(contact) if read else getattr(contact, item.name)
        values[item.name] = "" if value is None and item.default == "" else value
    return details_class(**values)
