"""Telling whether a row of a spreadsheet is a contact Weaver already has.

Contacts are the same when they share a charity number, a Companies House number, an email
address or a website, each compared in a normal form ("01234567" and "1234567", "Info@X.org"
and "info@x.org", "https://www.x.org/" and "x.org" are the same). A row with none of those is
the same as the one contact of its kind with exactly its name, if there is just one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from crm.models import Contact, ContactKind, Officer
from crm.services.visibility import visible_contacts

# In the order a match is looked for, with the words a report uses for each.
KEYS = {
    "id": "Weaver id",
    "charity_number": "charity number",
    "companies_house_number": "Companies House number",
    "email": "email",
    "website": "website",
}
COMPANY_NUMBER_LENGTH = 8


def normal_key(key: str, value: object) -> str:
    """The form two values of one key are compared in; "" for no value."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if key in ("charity_number", "companies_house_number"):
        text = re.sub(r"\s+", "", text).upper()
        if key == "companies_house_number" and text.isdigit():
            # Spreadsheets drop the leading zeros of a number typed into a cell.
            text = text.zfill(COMPANY_NUMBER_LENGTH)
        return text
    if key == "email":
        return text.casefold()
    if key == "website":
        return _normal_website(text)
    return text


def _normal_website(text: str) -> str:
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".casefold()


def normal_name(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class KnownContact:
    """A contact already in Weaver, or (in a dry run) one an earlier row would make."""

    ref: int
    kind: ContactKind
    name: str
    visible: bool
    # The line of this file that made or changed it: a second row for it is a duplicate.
    line_number: int | None = None


@dataclass(frozen=True)
class Match:
    contact: KnownContact | None
    by: str = ""
    problem: str | None = None


@dataclass
class KnownContacts:
    contacts: dict[int, KnownContact] = field(default_factory=dict)
    by_key: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    by_name: dict[tuple[ContactKind, str], set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, *, viewer: Officer) -> KnownContacts:
        """Every contact's keys (a few short strings each), read once before an import."""
        known = cls()
        visible = case((visible_contacts(viewer), True), else_=False)
        # The table's own columns: Organisation's would limit the query to organisations.
        columns = Contact.__table__.c
        rows = session.execute(
            select(
                columns.id,
                columns.kind,
                columns.name,
                columns.email,
                columns.charity_number,
                columns.companies_house_number,
                columns.website,
                visible,
            ).execution_options(yield_per=2000)
        )
        for row in rows:
            contact = KnownContact(
                ref=row[0], kind=ContactKind(row[1]), name=row[2], visible=bool(row[7])
            )
            keys = {
                "id": row[0],
                "email": row[3],
                "charity_number": row[4],
                "companies_house_number": row[5],
                "website": row[6],
            }
            known.remember(contact, keys)
        return known

    def remember(self, contact: KnownContact, keys: Mapping[str, object]) -> None:
        self.contacts[contact.ref] = contact
        for key in KEYS:
            value = normal_key(key, keys.get(key))
            if value:
                self.by_key.setdefault((key, value), set()).add(contact.ref)
        self.by_name.setdefault((contact.kind, normal_name(contact.name)), set()).add(contact.ref)

    def match(self, kind: ContactKind, name: str, keys: Mapping[str, object]) -> Match:
        found: dict[int, str] = {}
        for key, words in KEYS.items():
            value = normal_key(key, keys.get(key))
            if not value:
                continue
            refs = self.by_key.get((key, value), set())
            if len(refs) > 1:
                return Match(None, problem=f"More than one contact has this {words}: merge them")
            for ref in refs:
                found.setdefault(ref, words)
            if key == "id" and not refs:
                return Match(None, problem="No contact has this Weaver id")
        if len(found) > 1:
            return Match(None, problem=_two_contacts(found.values()))
        if found:
            ref, by = next(iter(found.items()))
            return Match(self.contacts[ref], by=by)
        if any(normal_key(key, keys.get(key)) for key in KEYS):
            return Match(None)
        return self._match_by_name(kind, name)

    def _match_by_name(self, kind: ContactKind, name: str) -> Match:
        refs = self.by_name.get((kind, normal_name(name)), set())
        if len(refs) > 1:
            return Match(
                None,
                problem=(
                    f"More than one {kind.value} is called this: add an email or a number "
                    "to say which"
                ),
            )
        if refs:
            return Match(self.contacts[next(iter(refs))], by="name")
        return Match(None)

    def organisation_named(self, name: str) -> KnownContact | Match:
        """The one visible organisation with this name, or a Match saying what is wrong."""
        refs = [
            ref
            for ref in self.by_name.get((ContactKind.ORGANISATION, normal_name(name)), set())
            if self.contacts[ref].visible
        ]
        if len(refs) == 1:
            return self.contacts[refs[0]]
        if refs:
            return Match(None, problem=f"More than one organisation is called ‘{name}’")
        return Match(None, problem=f"No organisation is called ‘{name}’: add it first")


def _two_contacts(reasons: Iterable[str]) -> str:
    first, second = list(reasons)[:2]
    return f"The {first} and the {second} belong to two different contacts"
