"""Finding and reading contacts."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from crm.errors import NotFound
from crm.models import Affiliation, Contact, ContactKind, Officer, Organisation, Person
from crm.pagination import Page, paginate
from crm.services.visibility import visible_contacts
from crm.text import clean_text

CONTACTS_PER_PAGE = 25


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_contacts(
    session: Session,
    query: str = "",
    *,
    viewer: Officer,
    kind: ContactKind | None = None,
    page: int = 1,
    per_page: int = CONTACTS_PER_PAGE,
) -> Page[Contact]:
    """Contacts whose name or email contains every word of the query, by name."""
    conditions = []
    for word in clean_text(query).split():
        pattern = f"%{_escape_like(word.lower())}%"
        conditions.append(
            or_(
                func.lower(Contact.name).like(pattern, escape="\\"),
                func.lower(func.coalesce(Contact.email, "")).like(pattern, escape="\\"),
            )
        )
    if kind is not None:
        conditions.append(Contact.kind == kind)
    conditions.append(visible_contacts(viewer))
    statement = (
        select(Contact)
        .where(*conditions)
        .options(selectinload(Contact.locality))
        .order_by(func.lower(Contact.name), Contact.id)
    )
    return paginate(session, statement, page=page, per_page=per_page)


def get_contact(session: Session, contact_id: int, *, viewer: Officer) -> Contact:
    """The contact, if the viewer may see it; a hidden one is 'not found', not 'forbidden',
    so its existence is not given away."""
    contact = session.scalar(
        select(Contact)
        .where(Contact.id == contact_id, visible_contacts(viewer))
        .options(selectinload(Contact.accounts), selectinload(Contact.owner))
    )
    if contact is None:
        raise NotFound("No contact with that id")
    return contact


def current_affiliations(
    session: Session, contact: Contact, *, viewer: Officer
) -> list[Affiliation]:
    """For a person, the organisations they belong to; for an organisation, its people
    (those the viewer may see)."""
    statement = select(Affiliation).where(Affiliation.ended_on.is_(None))
    if isinstance(contact, Person):
        statement = (
            statement.join(Contact, Contact.id == Affiliation.organisation_id)
            .where(Affiliation.person_id == contact.id, visible_contacts(viewer))
            .options(selectinload(Affiliation.organisation))
        )
    elif isinstance(contact, Organisation):
        statement = (
            statement.join(Contact, Contact.id == Affiliation.person_id)
            .where(Affiliation.organisation_id == contact.id, visible_contacts(viewer))
            .options(selectinload(Affiliation.person))
        )
    return list(session.scalars(statement.order_by(Affiliation.role)))


def contacts_by_ids(session: Session, contact_ids: list[int], *, viewer: Officer) -> list[Contact]:
    contacts = list(
        session.scalars(
            select(Contact).where(Contact.id.in_(contact_ids), visible_contacts(viewer))
        )
    )
    if len(contacts) != len(set(contact_ids)):
        raise NotFound("One of the chosen contacts no longer exists")
    return contacts


def contact_choices(session: Session, *, viewer: Officer) -> list[tuple[int, str]]:
    """Every contact the viewer may see as (id, name), for a form's list of contacts."""
    rows = session.execute(
        select(Contact.id, Contact.name)
        .where(visible_contacts(viewer))
        .order_by(func.lower(Contact.name))
    )
    return [(row.id, row.name) for row in rows]
