"""The contacts list: filtered by words, kind, organisation type, theme, place, owner and tag,
a page at a time on screen or all of it as a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.models import (
    Contact,
    ContactKind,
    Locality,
    Officer,
    Organisation,
    OrganisationType,
    Person,
    Tag,
    Theme,
    Ward,
    contact_tags,
    organisation_localities,
    organisation_themes,
    organisation_wards,
)
from crm.pagination import Page, paginate
from crm.services.contact_editing import possible_owners
from crm.services.contact_spreadsheet import FIELDS_BY_KEY
from crm.services.search import contacts_matching
from crm.services.visibility import visible_contacts

CONTACTS_PER_PAGE = 25
EXPORT_BATCH = 500
NO_OWNER = 0  # the owner filter's value for "nobody"


@dataclass(frozen=True)
class ContactFilter:
    text: str = ""
    kind: ContactKind | None = None
    organisation_type: OrganisationType | None = None
    theme_id: int | None = None
    locality_id: int | None = None
    ward_id: int | None = None
    owner_id: int | None = None
    tag_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return self == ContactFilter()

    def as_dict(self) -> dict[str, Any]:
        """The filters in use, as plain values: for the audit log of an export."""
        return {
            key: getattr(value, "value", value)
            for key, value in asdict(self).items()
            if value not in (None, "")
        }


def _conditions(session: Session, contact_filter: ContactFilter) -> list[ColumnElement[bool]]:
    conditions = []
    matching = contacts_matching(session, contact_filter.text)
    if matching is not None:
        conditions.append(matching)
    if contact_filter.kind is not None:
        conditions.append(Contact.kind == contact_filter.kind)
    if contact_filter.organisation_type is not None:
        conditions.append(Contact.__table__.c.organisation_type == contact_filter.organisation_type)
    if contact_filter.theme_id is not None:
        conditions.append(_linked(organisation_themes, "theme_id", contact_filter.theme_id))
    if contact_filter.tag_id is not None:
        conditions.append(_linked(contact_tags, "tag_id", contact_filter.tag_id))
    if contact_filter.locality_id is not None:
        conditions.append(_in_locality(contact_filter.locality_id))
    if contact_filter.ward_id is not None:
        conditions.append(
            or_(
                Contact.ward_id == contact_filter.ward_id,
                _linked(organisation_wards, "ward_id", contact_filter.ward_id),
            )
        )
    if contact_filter.owner_id == NO_OWNER:
        conditions.append(Contact.owner_id.is_(None))
    elif contact_filter.owner_id is not None:
        conditions.append(Contact.owner_id == contact_filter.owner_id)
    return conditions


def _linked(link_table, column: str, value: int) -> ColumnElement[bool]:
    return exists().where(link_table.c.contact_id == Contact.id, link_table.c[column] == value)


def _in_locality(locality_id: int) -> ColumnElement[bool]:
    """A person or organisation there, an organisation serving it, or one in or serving one of
    its wards."""
    wards = select(Ward.id).where(Ward.locality_id == locality_id)
    return or_(
        Contact.locality_id == locality_id,
        Contact.ward_id.in_(wards),
        _linked(organisation_localities, "locality_id", locality_id),
        exists().where(
            organisation_wards.c.contact_id == Contact.id,
            organisation_wards.c.ward_id.in_(wards),
        ),
    )


def _listed(session: Session, contact_filter: ContactFilter, viewer: Officer):
    return (
        select(Contact)
        .where(*_conditions(session, contact_filter), visible_contacts(viewer))
        .order_by(func.lower(Contact.name), Contact.id)
    )


def list_contacts(
    session: Session,
    contact_filter: ContactFilter,
    *,
    viewer: Officer,
    page: int = 1,
    per_page: int = CONTACTS_PER_PAGE,
) -> Page[Contact]:
    statement = _listed(session, contact_filter, viewer).options(
        selectinload(Contact.locality), selectinload(Contact.owner)
    )
    return paginate(session, statement, page=page, per_page=per_page)


@dataclass(frozen=True)
class FilterChoices:
    """What the list's filters offer."""

    themes: Sequence[Theme]
    localities: Sequence[Locality]
    wards: Sequence[Ward]
    owners: Sequence[Officer]
    tags: Sequence[Tag]
    organisation_types: Sequence[OrganisationType] = tuple(OrganisationType)


def filter_choices(session: Session) -> FilterChoices:
    return FilterChoices(
        themes=list(session.scalars(select(Theme).order_by(Theme.name))),
        localities=list(session.scalars(select(Locality).order_by(Locality.name))),
        wards=list(
            session.scalars(
                select(Ward)
                .join(Locality, Locality.id == Ward.locality_id)
                .options(selectinload(Ward.locality))
                .order_by(Locality.name, Ward.name)
            )
        ),
        owners=possible_owners(session),
        tags=list(session.scalars(select(Tag).order_by(func.lower(Tag.name)))),
    )


# The spreadsheet: the import's own headings, so a downloaded list can be imported again.
EXPORT_FIELDS = (
    "id",
    "kind",
    "name",
    "organisation_type",
    "email",
    "phone",
    "job_title",
    "charity_number",
    "companies_house_number",
    "website",
    "locality",
    "ward",
    "themes",
    "tags",
    "owner",
    "description",
)
EXPORT_HEADER = [FIELDS_BY_KEY[key].label for key in EXPORT_FIELDS] + [
    "Localities served",
    "Restricted",
]


def export_rows(
    session: Session, contact_filter: ContactFilter, *, viewer: Officer
) -> Iterator[list[object]]:
    """Every contact in the list as a spreadsheet row, read in batches so a large export
    stays small in memory."""
    statement = _listed(session, contact_filter, viewer).options(
        selectinload(Contact.locality),
        selectinload(Contact.ward),
        selectinload(Contact.owner),
        selectinload(Contact.tags),
    )
    result = session.scalars(statement.execution_options(yield_per=EXPORT_BATCH))
    for batch in result.partitions():
        served = _organisation_names(session, batch)
        for contact in batch:
            yield _row(contact, served.get(contact.id, {}))


def _organisation_names(
    session: Session, contacts: Sequence[Contact]
) -> dict[int, dict[str, list[str]]]:
    """Themes and localities served of the organisations among these contacts."""
    ids = [contact.id for contact in contacts if isinstance(contact, Organisation)]
    names: dict[int, dict[str, list[str]]] = {}
    links = (
        ("themes", Theme, organisation_themes, organisation_themes.c.theme_id),
        ("localities", Locality, organisation_localities, organisation_localities.c.locality_id),
    )
    for key, model, link, column in links:
        rows = session.execute(
            select(link.c.contact_id, model.name)
            .join(model, model.id == column)
            .where(link.c.contact_id.in_(ids))
            .order_by(model.name)
        )
        for contact_id, name in rows:
            names.setdefault(contact_id, {}).setdefault(key, []).append(name)
    return names


def _row(contact: Contact, organisation_names: dict[str, list[str]]) -> list[object]:
    organisation = contact if isinstance(contact, Organisation) else None
    person = contact if isinstance(contact, Person) else None
    return [
        contact.id,
        contact.kind.value,
        contact.name,
        organisation.organisation_type.value
        if organisation and organisation.organisation_type
        else "",
        contact.email,
        contact.phone,
        person.job_title if person else "",
        organisation.charity_number if organisation else "",
        organisation.companies_house_number if organisation else "",
        organisation.website if organisation else "",
        contact.locality.name if contact.locality else "",
        contact.ward.name if contact.ward else "",
        "; ".join(organisation_names.get("themes", [])),
        "; ".join(tag.name for tag in contact.tags),
        contact.owner.email if contact.owner else "",
        organisation.description if organisation else "",
        "; ".join(organisation_names.get("localities", [])),
        "yes" if contact.is_restricted else "",
    ]
