"""What an officer says about an organisation or a person, tidied and checked before it is
saved. Every rule lives here, so every way in (web form, import, API) says the same thing."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput
from crm.models import (
    CadenceTier,
    Contact,
    ContactMethod,
    Locality,
    Officer,
    Organisation,
    OrganisationType,
    Theme,
    Ward,
)
from crm.permissions import Permission, can
from crm.text import clean_text

MAX_NAME = 300
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_JOB_TITLE = 200
MAX_WEBSITE = 500
MAX_DESCRIPTION = 10_000
MAX_TAG = 120
MAX_TAGS = 20
MAX_CADENCE_DAYS = 3650

# England and Wales: 6 to 8 digits; Scotland (OSCR): SC and 6 digits; Northern Ireland: NIC
# and 6 digits.
CHARITY_NUMBER = re.compile(r"^(\d{6,8}|SC\d{6}|NIC\d{6})$")
# Eight characters: eight digits, or two letters (SC, NI, OC, ...) and six digits.
COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
PHONE = re.compile(r"^\+?[\d\s()\-]+$")
MIN_PHONE_DIGITS = 6


@dataclass(frozen=True, kw_only=True)
class ContactDetails:
    """What both kinds of contact have. Blank text is "not known"."""

    name: str
    email: str = ""
    phone: str = ""
    locality_id: int | None = None
    ward_id: int | None = None
    tags: Sequence[str] = ()
    cadence_tier_id: int | None = None
    cadence_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class OrganisationDetails(ContactDetails):
    organisation_type: OrganisationType | None = None
    charity_number: str = ""
    companies_house_number: str = ""
    website: str = ""
    description: str = ""
    theme_ids: Sequence[int] = ()
    localities_served_ids: Sequence[int] = ()
    wards_served_ids: Sequence[int] = ()


@dataclass(frozen=True, kw_only=True)
class PersonDetails(ContactDetails):
    job_title: str = ""
    preferred_contact_method: ContactMethod | None = None
    # A private individual's record, seen only by its owner's team and information governance.
    is_restricted: bool = False


class InvalidDetails(InvalidInput):
    """One message per field that is wrong, in the order the form asks for them."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


Details = TypeVar("Details", bound=ContactDetails)


def checked(
    session: Session,
    details: Details,
    *,
    contact_id: int | None = None,
    owner_id: int | None = None,
) -> Details:
    """The details tidied (spaces trimmed, numbers in capitals, a website with its scheme),
    or InvalidDetails naming every field that is wrong.

    `contact_id` is the contact being changed, if any: its own numbers are not duplicates.
    """
    tidy = _tidied(details)
    errors = _problems(session, tidy, contact_id=contact_id, owner_id=owner_id)
    if errors:
        raise InvalidDetails(errors)
    if tidy.ward_id is not None and tidy.locality_id is None:
        # Choosing a ward says which locality: a ward belongs to one.
        ward = session.get(Ward, tidy.ward_id)
        tidy = replace(tidy, locality_id=ward.locality_id if ward else None)
    return tidy


def problems(
    session: Session,
    details: ContactDetails,
    *,
    contact_id: int | None = None,
    owner_id: int | None = None,
) -> dict[str, str]:
    """What `checked` would refuse, without refusing: for a form that has mistakes of its
    own, so the officer sees every mistake at once."""
    return _problems(session, _tidied(details), contact_id=contact_id, owner_id=owner_id)


def parse_tags(text: str) -> list[str]:
    """Tags as typed in one box, separated by commas."""
    return [tag for tag in (part.strip() for part in text.split(",")) if tag]


def check_owner(session: Session, owner_id: int | None) -> str | None:
    """Why this officer cannot own records, or None if they can."""
    if owner_id is None:
        return None
    officer = session.get(Officer, owner_id)
    if officer is None or not can(officer, Permission.WRITE_CRM):
        return "Choose an active officer who can change records"
    return None


# Tidying


def _tidied(details: Details) -> Details:
    changes: dict[str, Any] = {}
    for field in fields(details):
        value = getattr(details, field.name)
        if isinstance(value, str):
            changes[field.name] = clean_text(value).strip()
    changes["tags"] = _unique_tags(details.tags)
    tidy = replace(details, **changes)
    if isinstance(tidy, OrganisationDetails):
        tidy = replace(
            tidy,
            charity_number=_squeezed(tidy.charity_number).upper(),
            companies_house_number=_squeezed(tidy.companies_house_number).upper(),
            website=_with_scheme(tidy.website),
        )
    return tidy


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _with_scheme(website: str) -> str:
    """'example.org' means https://example.org; anything naming a scheme keeps it, to be
    checked (and refused if it is not http or https)."""
    if website and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", website):
        return f"https://{website}"
    return website


def _unique_tags(tags: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for tag in tags:
        cleaned = re.sub(r"\s+", " ", clean_text(tag)).strip()
        if cleaned and cleaned.casefold() not in seen:
            seen[cleaned.casefold()] = cleaned
    return tuple(seen.values())


# Checking


def _problems(
    session: Session, details: ContactDetails, *, contact_id: int | None, owner_id: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}

    def check(field: str, problem: str | None) -> None:
        if problem and field not in errors:
            errors[field] = problem

    is_organisation = isinstance(details, OrganisationDetails)
    check("name", _name_problem(details.name, is_organisation))
    if isinstance(details, OrganisationDetails):
        _check_organisation(session, details, contact_id, check)
    if isinstance(details, PersonDetails):
        check("job_title", _too_long(details.job_title, MAX_JOB_TITLE, "The role"))
    check("email", _email_problem(details.email))
    check("phone", _phone_problem(details.phone))
    check("locality_id", _missing(session, Locality, [details.locality_id], "locality"))
    check("ward_id", _ward_problem(session, details.locality_id, details.ward_id))
    if isinstance(details, OrganisationDetails):
        _check_areas_served(session, details, check)
    check("tags", _tags_problem(details.tags))
    check("cadence_tier_id", _missing(session, CadenceTier, [details.cadence_tier_id], "tier"))
    check("cadence_days", _cadence_problem(details.cadence_days))
    if isinstance(details, PersonDetails) and details.is_restricted and owner_id is None:
        check(
            "is_restricted",
            "A restricted record needs a relationship manager. Choose one first",
        )
    return errors


def _check_organisation(session: Session, details: OrganisationDetails, contact_id, check) -> None:
    check("charity_number", _charity_number_problem(details.charity_number))
    check(
        "charity_number",
        _taken(session, Organisation.charity_number, details.charity_number, contact_id, "charity"),
    )
    check("companies_house_number", _company_number_problem(details.companies_house_number))
    check(
        "companies_house_number",
        _taken(
            session,
            Organisation.companies_house_number,
            details.companies_house_number,
            contact_id,
            "Companies House",
        ),
    )
    check("website", _website_problem(details.website))
    check("description", _too_long(details.description, MAX_DESCRIPTION, "The description"))
    check("theme_ids", _missing(session, Theme, details.theme_ids, "theme"))


def _check_areas_served(session: Session, details: OrganisationDetails, check) -> None:
    check(
        "localities_served_ids",
        _missing(session, Locality, details.localities_served_ids, "locality"),
    )
    check("wards_served_ids", _missing(session, Ward, details.wards_served_ids, "ward"))


def _name_problem(name: str, is_organisation: bool) -> str | None:
    if not name:
        return "Enter the organisation’s name" if is_organisation else "Enter the person’s name"
    return _too_long(name, MAX_NAME, "The name")


def _too_long(text: str, limit: int, what: str) -> str | None:
    return f"{what} must be {limit:,} characters or fewer" if len(text) > limit else None


def _email_problem(email: str) -> str | None:
    if not email:
        return None
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        return "Enter an email address in the correct format, like name@example.org"
    return None


def _phone_problem(phone: str) -> str | None:
    if not phone:
        return None
    digits = sum(character.isdigit() for character in phone)
    if len(phone) > MAX_PHONE or not PHONE.match(phone) or digits < MIN_PHONE_DIGITS:
        return "Enter a telephone number, like 01632 960 001 or +44 7700 900 982"
    return None


def _charity_number_problem(number: str) -> str | None:
    if number and not CHARITY_NUMBER.match(number):
        return (
            "Enter a charity number of 6 to 8 digits, like 1123456, "
            "or a Scottish or Northern Irish one, like SC012345 or NIC100002"
        )
    return None


def _company_number_problem(number: str) -> str | None:
    if number and not COMPANY_NUMBER.match(number):
        return (
            "Enter a Companies House number of 8 characters: 8 digits, like 01234567, "
            "or 2 letters and 6 digits, like SC123456"
        )
    return None


def _taken(session: Session, column, number: str, contact_id: int | None, what: str):
    if not number:
        return None
    statement = select(Organisation.id).where(column == number)
    if contact_id is not None:
        statement = statement.where(Organisation.id != contact_id)
    if session.scalar(statement.limit(1)) is None:
        return None
    # Which organisation is not said: it may be one this officer may not see.
    return (
        f"Another organisation already has this {what} number. "
        "Find it in Contacts, or merge the two"
    )


def _website_problem(website: str) -> str | None:
    if not website:
        return None
    parts = urlsplit(website)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in {"http", "https"}
        or "." not in host
        or re.search(r"\s", website)
        or len(website) > MAX_WEBSITE
    ):
        return "Enter a website address starting http:// or https://, like https://example.org"
    return None


def _ward_problem(session: Session, locality_id: int | None, ward_id: int | None) -> str | None:
    if ward_id is None:
        return None
    ward = session.get(Ward, ward_id)
    if ward is None:
        return "Choose a ward from the list"
    if locality_id is not None and ward.locality_id != locality_id:
        return "Choose a ward in the chosen locality, or leave the locality blank"
    return None


def _missing(session: Session, model, ids: Collection[int | None], what: str) -> str | None:
    wanted = {id_ for id_ in ids if id_ is not None}
    if not wanted:
        return None
    found = session.scalar(select(func.count()).select_from(model).where(model.id.in_(wanted)))
    return None if found == len(wanted) else f"Choose a {what} from the list"


def _tags_problem(tags: Sequence[str]) -> str | None:
    if len(tags) > MAX_TAGS:
        return f"Give at most {MAX_TAGS} tags"
    if any(len(tag) > MAX_TAG for tag in tags):
        return f"Each tag must be {MAX_TAG} characters or fewer"
    return None


def _cadence_problem(days: int | None) -> str | None:
    if days is not None and not 1 <= days <= MAX_CADENCE_DAYS:
        return f"Enter a number of days from 1 to {MAX_CADENCE_DAYS:,}"
    return None


def contact_of_kind(contact: Contact, details: ContactDetails) -> bool:
    """Whether these details are the right kind for the contact."""
    if isinstance(details, OrganisationDetails):
        return isinstance(contact, Organisation)
    return isinstance(details, PersonDetails) and not isinstance(contact, Organisation)
