"""One row of a contacts spreadsheet read into what it says, or the reason it cannot be.

Nothing here touches the database: crm.services.contact_import looks names up and saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crm.csv_records import CsvRecord
from crm.models import ContactKind, OrganisationType
from crm.services.contact_spreadsheet import FIELDS_BY_KEY, IGNORE, ColumnMapping, split_names

ORGANISATION_ONLY = (
    "organisation_type",
    "charity_number",
    "companies_house_number",
    "website",
    "description",
    "themes",
)
PERSON_ONLY = ("job_title", "organisation")

_KINDS = {
    "organisation": ContactKind.ORGANISATION,
    "organization": ContactKind.ORGANISATION,
    "org": ContactKind.ORGANISATION,
    "group": ContactKind.ORGANISATION,
    "person": ContactKind.PERSON,
    "people": ContactKind.PERSON,
    "individual": ContactKind.PERSON,
}
_ORGANISATION_TYPES = {
    **{kind.value.replace("_", " "): kind for kind in OrganisationType},
    "charitable incorporated organisation": OrganisationType.CIO,
    "cvs": OrganisationType.CVS_INFRASTRUCTURE,
    "infrastructure body": OrganisationType.CVS_INFRASTRUCTURE,
    "cvs infrastructure body": OrganisationType.CVS_INFRASTRUCTURE,
    "council for voluntary service": OrganisationType.CVS_INFRASTRUCTURE,
    "faith": OrganisationType.FAITH_GROUP,
    "community": OrganisationType.COMMUNITY_GROUP,
}


class RowRejected(Exception):
    """Why a row is not imported, in words for the person who made the file."""


@dataclass(frozen=True)
class RowValues:
    line_number: int
    kind: ContactKind
    cells: Mapping[str, str]  # field key -> what the row says; blank cells are left out

    @property
    def name(self) -> str:
        return self.cells.get("name", "")

    def get(self, key: str) -> str:
        return self.cells.get(key, "")

    def names(self, key: str) -> list[str]:
        return split_names(self.get(key))

    @property
    def organisation_type(self) -> OrganisationType | None:
        text = " ".join(self.get("organisation_type").casefold().replace("_", " ").split())
        if not text:
            return None
        if text not in _ORGANISATION_TYPES:
            known = ", ".join(kind.value.replace("_", " ") for kind in OrganisationType)
            raise RowRejected(f"The organisation type ‘{text}’ is not one of: {known}")
        return _ORGANISATION_TYPES[text]


def read_row(record: CsvRecord, mapping: ColumnMapping, default_kind: ContactKind) -> RowValues:
    if record.problem:
        raise RowRejected(record.problem)
    if len(record.cells) > len(mapping.headings):
        raise RowRejected(
            f"The row has {len(record.cells)} cells but the file has "
            f"{len(mapping.headings)} columns: is there a comma that needs quotes?"
        )
    cells = {
        mapping.field_of(position): cell
        for position, cell in enumerate(record.cells)
        if cell and mapping.field_of(position) != IGNORE
    }
    kind = _kind(cells.get("kind", ""), default_kind)
    if not cells.get("name"):
        raise RowRejected("The name is missing")
    _check_fits(kind, cells)
    return RowValues(line_number=record.line_number, kind=kind, cells=cells)


def _kind(text: str, default: ContactKind) -> ContactKind:
    if not text:
        return default
    kind = _KINDS.get(text.casefold())
    if kind is None:
        raise RowRejected(f"The kind ‘{text}’ is neither organisation nor person")
    return kind


def _check_fits(kind: ContactKind, cells: Mapping[str, str]) -> None:
    wrong: Sequence[str] = ORGANISATION_ONLY if kind is ContactKind.PERSON else PERSON_ONLY
    given = [FIELDS_BY_KEY[key].label.lower() for key in wrong if cells.get(key)]
    if given:
        listed = " or ".join(given)
        article = "A person" if kind is ContactKind.PERSON else "An organisation"
        raise RowRejected(f"{article} has no {listed}: is the kind right?")
