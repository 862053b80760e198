"""Reading the contacts list's filters from the query string, forgiving of anything malformed:
a value that means nothing is dropped, never an error."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from werkzeug.datastructures import MultiDict

from crm.models import ContactKind, OrganisationType
from crm.services.contact_list import NO_OWNER, ContactFilter

MAX_TEXT = 200
NO_OWNER_VALUE = "none"
FILTER_NAMES = ("q", "kind", "type", "theme", "locality", "ward", "owner", "tag")

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class ContactListing:
    """What the officer chose, kept for redisplay and for links, and the filter it means."""

    values: dict[str, str]
    contact_filter: ContactFilter

    @property
    def query_args(self) -> dict[str, str]:
        """The filters in use, for links that keep them (pages, the download)."""
        return {name: value for name, value in self.values.items() if value}

    @property
    def extra_filters_in_use(self) -> bool:
        return any(self.values[name] for name in FILTER_NAMES[2:])


def read_listing(args: MultiDict[str, str]) -> ContactListing:
    values = {name: args.get(name, "").strip()[:MAX_TEXT] for name in FILTER_NAMES}
    contact_filter = ContactFilter(
        text=values["q"],
        kind=_member(ContactKind, values["kind"]),
        organisation_type=_member(OrganisationType, values["type"]),
        theme_id=_number(values["theme"]),
        locality_id=_number(values["locality"]),
        ward_id=_number(values["ward"]),
        owner_id=NO_OWNER if values["owner"] == NO_OWNER_VALUE else _number(values["owner"]),
        tag_id=_number(values["tag"]),
    )
    return ContactListing(values=values, contact_filter=contact_filter)


def _member(enum: type[E], value: str) -> E | None:
    try:
        return enum(value)
    except ValueError:
        return None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 and int(text) > 0 else None
