"""Adding and changing organisations and people, and handing a contact to another officer.

Every change is checked by crm.services.contact_details and written to the audit log with
what it was before and after. A contact the officer may not see is "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crm.errors import InvalidInput
from crm.models import (
    AuditAction,
    CadenceTier,
    Contact,
    Locality,
    Officer,
    OfficerRole,
    Organisation,
    OwnerHandover,
    Person,
    Tag,
    Theme,
    Ward,
)
from crm.services import audit
from crm.services.contact_details import (
    ContactDetails,
    InvalidDetails,
    OrganisationDetails,
    PersonDetails,
    check_owner,
    checked,
    contact_of_kind,
)
from crm.services.contacts import get_contact
from crm.text import clean_text

MAX_HANDOVER_NOTE = 5_000
# The roles that change records, so may be given records to manage.
OWNER_ROLES = (OfficerRole.OFFICER, OfficerRole.TEAM_LEAD, OfficerRole.ADMIN)

CONTACT_FIELDS = (
    "kind",
    "name",
    "email",
    "phone",
    "locality_id",
    "ward_id",
    "owner_id",
    "is_restricted",
    "cadence_tier_id",
    "cadence_days",
)
ORGANISATION_FIELDS = (
    "organisation_type",
    "charity_number",
    "companies_house_number",
    "website",
    "description",
)
PERSON_FIELDS = ("job_title", "preferred_contact_method")


@dataclass(frozen=True)
class EditingChoices:
    """What a contact form offers to choose from."""

    localities: Sequence[Locality]
    wards: Sequence[Ward]
    themes: Sequence[Theme]
    cadence_tiers: Sequence[CadenceTier]
    owners: Sequence[Officer]


def editing_choices(session: Session) -> EditingChoices:
    return EditingChoices(
        localities=list(session.scalars(select(Locality).order_by(Locality.name))),
        wards=list(
            session.scalars(
                select(Ward)
                .join(Locality, Locality.id == Ward.locality_id)
                .options(selectinload(Ward.locality))
                .order_by(Locality.name, Ward.name)
            )
        ),
        themes=list(session.scalars(select(Theme).order_by(Theme.name))),
        cadence_tiers=list(
            session.scalars(select(CadenceTier).order_by(CadenceTier.position, CadenceTier.days))
        ),
        owners=possible_owners(session),
    )


def possible_owners(session: Session) -> list[Officer]:
    """Active officers who change records, by name: the people a record can be handed to."""
    return list(
        session.scalars(
            select(Officer)
            .where(Officer.is_active.is_(True), Officer.role.in_(OWNER_ROLES))
            .order_by(func.lower(Officer.name), Officer.id)
        )
    )


# Creating


def create_organisation(
    session: Session, details: OrganisationDetails, *, officer: Officer, owner_id: int | None
) -> Organisation:
    organisation = Organisation()
    _create(session, organisation, details, officer=officer, owner_id=owner_id)
    return organisation


def create_person(
    session: Session, details: PersonDetails, *, officer: Officer, owner_id: int | None
) -> Person:
    person = Person()
    _create(session, person, details, officer=officer, owner_id=owner_id)
    return person


def _create(
    session: Session,
    contact: Contact,
    details: ContactDetails,
    *,
    officer: Officer,
    owner_id: int | None,
) -> None:
    owner_problem = check_owner(session, owner_id)
    try:
        details = checked(session, details, owner_id=owner_id)
    except InvalidDetails as error:
        if owner_problem:
            error.errors.setdefault("owner_id", owner_problem)
        raise
    if owner_problem:
        raise InvalidDetails({"owner_id": owner_problem})
    contact.owner_id = owner_id
    _apply(session, contact, details)
    session.add(contact)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CREATED,
        subject_type="contact",
        subject_id=contact.id,
        summary=f"Added {contact.name}",
        after=contact_snapshot(contact),
    )
    if contact.is_restricted:
        _record_restriction(session, contact, officer)


# Changing


def update_contact(
    session: Session, contact_id: int, details: ContactDetails, *, officer: Officer
) -> Contact:
    """Change what is known about a contact. The owner changes only by `hand_over`."""
    contact = get_contact(session, contact_id, viewer=officer)
    if not contact_of_kind(contact, details):
        raise InvalidInput("These details are for a different kind of contact")
    details = checked(session, details, contact_id=contact.id, owner_id=contact.owner_id)
    before = contact_snapshot(contact)
    was_restricted = contact.is_restricted
    _apply(session, contact, details)
    session.flush()
    after = contact_snapshot(contact)
    changed = {name for name in after if after[name] != before[name]}
    if changed:
        audit.record(
            session,
            officer_id=officer.id,
            action=AuditAction.CHANGED,
            subject_type="contact",
            subject_id=contact.id,
            summary=f"Changed the details of {contact.name}",
            before={name: before[name] for name in sorted(changed)},
            after={name: after[name] for name in sorted(changed)},
        )
    if contact.is_restricted != was_restricted:
        _record_restriction(session, contact, officer)
    return contact


def hand_over(
    session: Session, contact_id: int, *, to_officer_id: int | None, note: str, officer: Officer
) -> OwnerHandover:
    """Make another officer the contact's relationship manager, keeping who handed it over,
    when, and the note they left for the new owner."""
    contact = get_contact(session, contact_id, viewer=officer)
    note = clean_text(note).strip()
    if to_officer_id is None:
        raise InvalidInput("Choose who will manage this relationship", field="owner_id")
    problem = check_owner(session, to_officer_id)
    if problem:
        raise InvalidInput(problem, field="owner_id")
    if to_officer_id == contact.owner_id:
        raise InvalidInput(
            "They already manage this relationship. Choose someone else", field="owner_id"
        )
    if len(note) > MAX_HANDOVER_NOTE:
        raise InvalidInput(
            f"The note must be {MAX_HANDOVER_NOTE:,} characters or fewer", field="note"
        )
    handover = OwnerHandover(
        contact_id=contact.id,
        from_officer_id=contact.owner_id,
        to_officer_id=to_officer_id,
        handed_over_by_id=officer.id,
        note=note,
    )
    session.add(handover)
    before = {"owner_id": contact.owner_id}
    contact.owner_id = to_officer_id
    session.flush()
    session.refresh(contact, ["owner"])
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=contact.id,
        summary=f"Handed {contact.name} over to {contact.owner.name if contact.owner else ''}",
        before=before,
        after={"owner_id": to_officer_id, "handover_note": note},
    )
    return handover


def handover_history(session: Session, contact_id: int) -> list[OwnerHandover]:
    """Every change of owner, newest first. The caller has checked the contact is visible."""
    return list(
        session.scalars(
            select(OwnerHandover)
            .where(OwnerHandover.contact_id == contact_id)
            .options(
                selectinload(OwnerHandover.from_officer),
                selectinload(OwnerHandover.to_officer),
                selectinload(OwnerHandover.handed_over_by),
            )
            .order_by(OwnerHandover.handed_over_at.desc(), OwnerHandover.id.desc())
        )
    )


# Shared by creating and changing


def _apply(session: Session, contact: Contact, details: ContactDetails) -> None:
    contact.name = details.name
    contact.email = details.email or None
    contact.phone = details.phone or None
    contact.locality_id = details.locality_id
    contact.ward_id = details.ward_id
    contact.cadence_tier_id = details.cadence_tier_id
    contact.cadence_days = details.cadence_days
    contact.tags = tags_named(session, details.tags)
    if isinstance(contact, Organisation) and isinstance(details, OrganisationDetails):
        _apply_organisation(session, contact, details)
    if isinstance(contact, Person) and isinstance(details, PersonDetails):
        contact.job_title = details.job_title or None
        contact.preferred_contact_method = details.preferred_contact_method
        contact.is_restricted = details.is_restricted


def _apply_organisation(
    session: Session, organisation: Organisation, details: OrganisationDetails
) -> None:
    organisation.organisation_type = details.organisation_type
    organisation.charity_number = details.charity_number or None
    organisation.companies_house_number = details.companies_house_number or None
    organisation.website = details.website or None
    organisation.description = details.description or None
    organisation.themes = _by_ids(session, Theme, details.theme_ids)
    organisation.localities_served = _by_ids(session, Locality, details.localities_served_ids)
    organisation.wards_served = _by_ids(session, Ward, details.wards_served_ids)


def _by_ids(session: Session, model, ids: Sequence[int]) -> list[Any]:
    if not ids:
        return []
    return list(session.scalars(select(model).where(model.id.in_(set(ids)))))


def tags_named(session: Session, names: Sequence[str]) -> list[Tag]:
    """The tags with these names, made if they are new. 'Youth' and 'youth' are one tag."""
    if not names:
        return []
    wanted = {name.casefold(): name for name in names}
    existing = {
        tag.name.casefold(): tag
        for tag in session.scalars(select(Tag).where(func.lower(Tag.name).in_(wanted.keys())))
    }
    tags = []
    for key, name in wanted.items():
        tag = existing.get(key)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def _record_restriction(session: Session, contact: Contact, officer: Officer) -> None:
    """A record of its own: information governance look for who restricted what."""
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=contact.id,
        summary=(
            f"Restricted the record of {contact.name}"
            if contact.is_restricted
            else f"Lifted the restriction on the record of {contact.name}"
        ),
        before={"is_restricted": not contact.is_restricted},
        after={"is_restricted": contact.is_restricted},
    )


def contact_snapshot(contact: Contact) -> dict[str, Any]:
    """A contact as plain JSON values, for the audit log's before and after."""
    names = list(CONTACT_FIELDS)
    if isinstance(contact, Organisation):
        names.extend(ORGANISATION_FIELDS)
    if isinstance(contact, Person):
        names.extend(PERSON_FIELDS)
    values = audit.snapshot(contact, *names)
    values["tags"] = sorted(tag.name for tag in contact.tags)
    if isinstance(contact, Organisation):
        values["theme_ids"] = sorted(theme.id for theme in contact.themes)
        values["localities_served_ids"] = sorted(loc.id for loc in contact.localities_served)
        values["wards_served_ids"] = sorted(ward.id for ward in contact.wards_served)
    return values
