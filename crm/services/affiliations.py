"""A person's roles in organisations over time: adding one, ending it, and listing them.

An officer changes an affiliation only when they may see both the person and the organisation.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.errors import InvalidInput, NotFound
from crm.models import Affiliation, AuditAction, Contact, Officer, Organisation, Person
from crm.services import audit
from crm.services.contacts import get_contact
from crm.services.visibility import visible_contacts
from crm.text import clean_text

MAX_ROLE = 200


def add_affiliation(
    session: Session,
    *,
    person_id: int,
    organisation_id: int,
    role: str,
    started_on: date | None = None,
    ended_on: date | None = None,
    officer: Officer,
) -> Affiliation:
    person = get_contact(session, person_id, viewer=officer)
    organisation = get_contact(session, organisation_id, viewer=officer)
    if not isinstance(person, Person):
        raise InvalidInput("Choose a person", field="person_id")
    if not isinstance(organisation, Organisation):
        raise InvalidInput("Choose an organisation", field="organisation_id")
    role = clean_text(role).strip()
    if not role:
        raise InvalidInput("Enter their role, like Chair or Volunteer", field="role")
    if len(role) > MAX_ROLE:
        raise InvalidInput(f"The role must be {MAX_ROLE} characters or fewer", field="role")
    _check_dates(started_on, ended_on)
    affiliation = Affiliation(
        person_id=person.id,
        organisation_id=organisation.id,
        role=role,
        started_on=started_on,
        ended_on=ended_on,
    )
    session.add(affiliation)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CREATED,
        subject_type="affiliation",
        subject_id=affiliation.id,
        summary=f"Added {person.name} to {organisation.name} as {role}",
        after=_snapshot(affiliation),
    )
    return affiliation


def end_affiliation(
    session: Session, affiliation_id: int, *, ended_on: date | None, officer: Officer
) -> Affiliation:
    affiliation = get_affiliation(session, affiliation_id, viewer=officer)
    if ended_on is None:
        raise InvalidInput("Enter the date the role ended", field="ended_on")
    if affiliation.ended_on is not None:
        raise InvalidInput("This role has already ended", field="ended_on")
    _check_dates(affiliation.started_on, ended_on)
    before = _snapshot(affiliation)
    affiliation.ended_on = ended_on
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="affiliation",
        subject_id=affiliation.id,
        summary=(
            f"Ended {affiliation.person.name}’s role as {affiliation.role} "
            f"at {affiliation.organisation.name}"
        ),
        before=before,
        after=_snapshot(affiliation),
    )
    return affiliation


def get_affiliation(session: Session, affiliation_id: int, *, viewer: Officer) -> Affiliation:
    """The affiliation, if the viewer may see both its person and its organisation."""
    affiliation = session.get(Affiliation, affiliation_id)
    if affiliation is None:
        raise NotFound("No affiliation with that id")
    # Either side hidden makes the whole affiliation "not found".
    get_contact(session, affiliation.person_id, viewer=viewer)
    get_contact(session, affiliation.organisation_id, viewer=viewer)
    return affiliation


def affiliations_of(session: Session, contact: Contact, *, viewer: Officer) -> list[Affiliation]:
    """Every role a person has had, or everyone an organisation has had, that the viewer may
    see: current ones first, by role, then ended ones, most recently ended first."""
    if isinstance(contact, Person):
        own, other_id, other = Affiliation.person_id, Affiliation.organisation_id, "organisation"
    elif isinstance(contact, Organisation):
        own, other_id, other = Affiliation.organisation_id, Affiliation.person_id, "person"
    else:
        return []
    found = list(
        session.scalars(
            select(Affiliation)
            .join(Contact, Contact.id == other_id)
            .where(own == contact.id, visible_contacts(viewer))
            .options(selectinload(getattr(Affiliation, other)))
        )
    )
    current = sorted(
        (a for a in found if a.ended_on is None), key=lambda a: (a.role.casefold(), a.id)
    )
    ended = sorted(
        (a for a in found if a.ended_on is not None),
        key=lambda a: (a.ended_on, a.id),
        reverse=True,
    )
    return [*current, *ended]


def _check_dates(started_on: date | None, ended_on: date | None) -> None:
    if started_on is not None and ended_on is not None and ended_on < started_on:
        raise InvalidInput("The end date must be the same as or after the start date", "ended_on")


def _snapshot(affiliation: Affiliation) -> dict:
    return audit.snapshot(
        affiliation, "person_id", "organisation_id", "role", "started_on", "ended_on"
    )
