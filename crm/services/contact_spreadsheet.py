"""The columns of a contacts spreadsheet: what an export writes and what an import reads.

An export's headings are the import's own names for its fields, so a downloaded list can be
changed in a spreadsheet and imported again: the "Weaver id" column says which record each
row is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crm.errors import InvalidInput


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    # Other headings people give this column, compared as `heading_key` makes them.
    aliases: tuple[str, ...] = ()
    hint: str = ""


FIELDS = (
    Field("id", "Weaver id", ("id", "weaver id", "record number"), "To update that very record"),
    Field(
        "kind",
        "Kind",
        ("contact kind", "contact type", "record type"),
        "Organisation or person",
    ),
    Field(
        "name",
        "Name",
        (
            "organisation name",
            "organization name",
            "org name",
            "group name",
            "full name",
            "contact name",
            "person",
        ),
    ),
    Field("email", "Email", ("email address", "e mail", "e mail address")),
    Field("phone", "Phone", ("telephone", "phone number", "telephone number", "tel", "mobile")),
    Field(
        "organisation_type",
        "Organisation type",
        ("type", "org type", "organization type", "type of organisation"),
        "Charity, CIO, community group, faith group, ...",
    ),
    Field(
        "charity_number",
        "Charity number",
        ("charity no", "registered charity number", "charity registration number"),
    ),
    Field(
        "companies_house_number",
        "Companies House number",
        ("company number", "company no", "company registration number", "ch number"),
    ),
    Field("website", "Website", ("web", "url", "web site", "website address", "web address")),
    Field("description", "Description", ("about", "what they do")),
    Field("job_title", "Job title", ("role", "position", "job")),
    Field(
        "organisation",
        "Organisation",
        ("organization", "member of", "works for"),
        "For a person: the organisation they belong to, by name",
    ),
    Field("locality", "Locality", ("area", "neighbourhood", "town")),
    Field("ward", "Ward"),
    Field("themes", "Themes", ("theme",), "Names separated by semicolons"),
    Field("tags", "Tags", ("tag", "labels"), "Names separated by semicolons"),
    Field("owner", "Owner", ("owner email", "relationship manager"), "The officer's email"),
)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}
IGNORE = ""


def heading_key(heading: str) -> str:
    """'Charity_No.' and 'charity no' are one heading."""
    return " ".join(re.sub(r"[^\w]+|_", " ", heading.casefold()).split())


_BY_HEADING = {
    heading_key(name): field.key
    for field in FIELDS
    for name in (field.key, field.label, *field.aliases)
}

# What an override may name: a field's key or its label.
_BY_TARGET = {heading_key(name): field.key for field in FIELDS for name in (field.key, field.label)}


@dataclass(frozen=True)
class ColumnMapping:
    """Which field each column of the file holds, by position; IGNORE for none."""

    headings: tuple[str, ...]
    fields: tuple[str, ...]

    def field_of(self, position: int) -> str:
        return self.fields[position] if position < len(self.fields) else IGNORE

    @property
    def ignored(self) -> list[str]:
        return [
            heading
            for heading, field in zip(self.headings, self.fields, strict=True)
            if field == IGNORE and heading
        ]

    def as_overrides(self) -> dict[str, str]:
        return dict(zip(self.headings, self.fields, strict=True))


def map_columns(
    headings: Sequence[str], overrides: Mapping[str, str] | None = None
) -> ColumnMapping:
    """Each heading matched to a field by its name, unless `overrides` (heading -> field key,
    label, or "" to skip the column) says otherwise. Raises InvalidInput if two columns would
    fill one field, an override names no field, or no column holds the name."""
    wanted = {heading_key(heading): target for heading, target in (overrides or {}).items()}
    fields = []
    for heading in headings:
        key = heading_key(heading)
        if key in wanted:
            fields.append(_field_named(wanted.pop(key), heading))
        else:
            fields.append(_BY_HEADING.get(key, IGNORE))
    if wanted:
        missing = ", ".join(
            f"‘{heading}’" for heading in (overrides or {}) if heading_key(heading) in wanted
        )
        raise InvalidInput(f"The file has no column called {missing}", field="map")
    _check_each_field_once(headings, fields)
    if "name" not in fields:
        raise InvalidInput(
            'No column holds the name. Say which one does, for example --map "Group=Name"',
            field="map",
        )
    return ColumnMapping(headings=tuple(headings), fields=tuple(fields))


def suggested_fields(headings: Sequence[str]) -> list[str]:
    """Each heading's field by its name, or IGNORE; a field already taken is not offered twice."""
    taken: set[str] = set()
    fields = []
    for heading in headings:
        field = _BY_HEADING.get(heading_key(heading), IGNORE)
        fields.append(IGNORE if field in taken else field)
        taken.add(field)
    return fields


def map_columns_in_order(headings: Sequence[str], fields: Sequence[str]) -> ColumnMapping:
    """The field of each column, by position (as the web page's mapping step sends them);
    IGNORE ("") for a column to skip. Raises InvalidInput as map_columns does."""
    if len(fields) != len(headings) or any(
        field not in FIELDS_BY_KEY and field != IGNORE for field in fields
    ):
        raise InvalidInput("Choose a field, or Do not import, for each column", field="map")
    _check_each_field_once(headings, fields)
    if "name" not in fields:
        raise InvalidInput("Choose which column holds the name", field="map")
    return ColumnMapping(headings=tuple(headings), fields=tuple(fields))


def _field_named(target: str, heading: str) -> str:
    if not target.strip():
        return IGNORE
    field = _BY_TARGET.get(heading_key(target))
    if field is None:
        known = ", ".join(field.label for field in FIELDS)
        raise InvalidInput(
            f"‘{target}’ (for the column ‘{heading}’) is not a field. Choose from: {known}",
            field="map",
        )
    return field


def _check_each_field_once(headings: Sequence[str], fields: Sequence[str]) -> None:
    seen: dict[str, str] = {}
    for heading, field in zip(headings, fields, strict=True):
        if field == IGNORE:
            continue
        if field in seen:
            raise InvalidInput(
                f"The columns ‘{seen[field]}’ and ‘{heading}’ are both "
                f"{FIELDS_BY_KEY[field].label}. Skip one of them",
                field="map",
            )
        seen[field] = heading


def parse_map_option(values: Sequence[str]) -> dict[str, str]:
    """--map "Org Name=Name" options as {heading: field}."""
    overrides = {}
    for value in values:
        heading, equals, target = value.partition("=")
        if not equals or not heading.strip():
            raise InvalidInput(
                f'‘{value}’ is not a mapping: write it as "Column heading=Field"', field="map"
            )
        overrides[heading.strip()] = target.strip()
    return overrides


def split_names(cell: str) -> list[str]:
    """Several names in one cell, separated by semicolons (or by commas if there are none)."""
    separator = ";" if ";" in cell else ","
    return [name for name in (part.strip() for part in cell.split(separator)) if name]
