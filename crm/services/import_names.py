"""Themes, localities, wards and owners that a spreadsheet names, found by name or made.

A theme, locality or ward that does not exist yet is made (a dry run only lists it), so a
first import can set up the borough; the import's report lists every one it made, so a
misspelt name is easy to spot. An owner must be an officer already, named by email.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.models import Locality, Theme, Ward
from crm.services.contact_details import check_owner
from crm.services.contact_import_rows import RowRejected
from crm.services.officers import officer_by_email


@dataclass
class NewNames:
    """Names this import made (or, in a dry run, would make)."""

    themes: list[str] = field(default_factory=list)
    localities: list[str] = field(default_factory=list)
    wards: list[str] = field(default_factory=list)

    def add(self, other: NewNames) -> None:
        for name, values in vars(other).items():
            known = getattr(self, name)
            known.extend(value for value in values if value not in known)

    def __bool__(self) -> bool:
        return bool(self.themes or self.localities or self.wards)


@dataclass(frozen=True)
class Places:
    locality_id: int | None
    ward_id: int | None


class NameFinder:
    """Finds names for one row, making missing ones unless this is a dry run. Ids found are
    shared with later rows through `known_ids` once the row is saved (`keep`): a row that is
    rolled back takes what it made with it."""

    def __init__(
        self, session: Session, *, dry_run: bool, known_ids: dict[tuple[str, str], int]
    ) -> None:
        self.session = session
        self.dry_run = dry_run
        self.known_ids = known_ids
        self.made = NewNames()
        self._found: dict[tuple[str, str], int] = {}

    def keep(self) -> None:
        self.known_ids.update(self._found)

    def theme_ids(self, names: list[str]) -> list[int]:
        ids = {self._id_of(Theme, name, self.made.themes) for name in names}
        return sorted(id_ for id_ in ids if id_ is not None)

    def places(self, locality_name: str, ward_name: str) -> Places:
        locality_id = None
        if locality_name:
            locality_id = self._id_of(Locality, locality_name, self.made.localities)
        if not ward_name:
            return Places(locality_id, None)
        if locality_name:
            ward = self._ward_in(locality_id, ward_name)
        else:
            ward = self._only_ward_called(ward_name)
        return Places(
            locality_id if locality_id else (ward.locality_id if ward else None),
            ward.id if ward else None,
        )

    def owner_id(self, email: str) -> int | None:
        if not email:
            return None
        officer = officer_by_email(self.session, email)
        if officer is None:
            raise RowRejected(f"No officer has the email ‘{email}’")
        problem = check_owner(self.session, officer.id)
        if problem:
            raise RowRejected(f"{officer.name} cannot manage contacts: {problem.lower()}")
        return officer.id

    def _ward_in(self, locality_id: int | None, name: str) -> Ward | None:
        ward = None
        if locality_id is not None:
            ward = self.session.scalar(
                select(Ward).where(
                    Ward.locality_id == locality_id, func.lower(Ward.name) == func.lower(name)
                )
            )
        if ward is None:
            self.made.wards.append(name)
            if locality_id is not None and not self.dry_run:
                ward = Ward(name=name, locality_id=locality_id)
                self.session.add(ward)
                self.session.flush()
        return ward

    def _only_ward_called(self, name: str) -> Ward:
        wards = list(
            self.session.scalars(
                select(Ward).where(func.lower(Ward.name) == func.lower(name)).limit(2)
            )
        )
        if not wards:
            raise RowRejected(f"No ward is called ‘{name}’: give its locality too")
        if len(wards) > 1:
            raise RowRejected(
                f"More than one locality has a ward called ‘{name}’: give its locality"
            )
        return wards[0]

    def _id_of(self, model: type[Theme] | type[Locality], name: str, made: list[str]) -> int | None:
        key = (model.__tablename__, name.casefold())
        if key in self.known_ids:
            return self.known_ids[key]
        found = self.session.scalar(
            select(model.id).where(func.lower(model.name) == func.lower(name)).limit(1)
        )
        if found is None:
            made.append(name)
            if self.dry_run:
                return None
            thing = model(name=name)
            self.session.add(thing)
            self.session.flush()
            found = thing.id
        self._found[key] = found
        return found
