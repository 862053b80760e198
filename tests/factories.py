"""Build exactly the rows a test needs."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pyotp
from sqlalchemy.orm import Session

from crm.models import (
    Affiliation,
    FollowUp,
    Interaction,
    InteractionKind,
    Officer,
    OfficerRole,
    Organisation,
    OrganisationType,
    Person,
    Platform,
    SocialAccount,
)
from crm.models.officers import SECOND_FACTOR_ROLES
from crm.services.officers import create_officer
from crm.services.posts import CollectedPost

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def officer(
    session: Session,
    *,
    email: str | None = None,
    name: str = "Alex Officer",
    password: str = PASSWORD,
    role: OfficerRole = OfficerRole.OFFICER,
) -> Officer:
    email = email or f"officer{next(_sequence)}@council.example"
    created = create_officer(session, email=email, name=name, password=password, role=role)
    if role in SECOND_FACTOR_ROLES:
        # These roles must have a second factor; tests sign in with codes made from this.
        created.totp_secret = pyotp.random_base32()
    return created


def organisation(
    session: Session, name: str = "Northgate Youth Hub", **fields: object
) -> Organisation:
    fields.setdefault("organisation_type", OrganisationType.CHARITY)
    organisation = Organisation(name=name, **fields)
    session.add(organisation)
    session.flush()
    return organisation


def person(
    session: Session, name: str = "Jo Example", *, member_of: Organisation | None = None
) -> Person:
    person = Person(name=name)
    if member_of is not None:
        person.affiliations = [Affiliation(organisation=member_of, role="Chair")]
    session.add(person)
    session.flush()
    return person


def account(
    session: Session, contact: Organisation | Person, handle: str = "groupdemo"
) -> SocialAccount:
    social_account = SocialAccount(
        contact=contact,
        platform=Platform.X,
        platform_user_id=str(10_000_000_000_000_000_000 + next(_sequence)),
        handle=handle,
        is_official=isinstance(contact, Organisation),
    )
    session.add(social_account)
    session.flush()
    return social_account


def post(
    *,
    external_id: str | None = None,
    text: str = "Thank you for a lovely community day!",
    created_at: datetime | None = None,
    author_handle: str = "groupdemo",
    url: str | None = None,
) -> CollectedPost:
    external_id = external_id or str(1_900_000_000_000_000_000 + next(_sequence))
    return CollectedPost(
        platform=Platform.X,
        external_id=external_id,
        author_platform_id="10000000000000000001",
        author_handle=author_handle,
        text=text,
        created_at=created_at or datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        url=url if url is not None else f"https://x.com/{author_handle}/status/{external_id}",
    )


def logged_interaction(
    session: Session,
    contacts: list,
    *,
    when: datetime,
    note: str = "Coffee after the network meeting",
    kind: InteractionKind = InteractionKind.COFFEE,
    by: Officer | None = None,
) -> Interaction:
    interaction = Interaction(
        kind=kind, occurred_at=when, text=note, contacts=contacts, logged_by=by
    )
    session.add(interaction)
    session.flush()
    return interaction


def follow_up(
    session: Session,
    contact: Organisation | Person,
    *,
    due_on: date,
    assignee: Officer | None,
    note: str = "Send the letter of support",
) -> FollowUp:
    item = FollowUp(
        contact_id=contact.id,
        due_on=due_on,
        assignee_id=assignee.id if assignee else None,
        note=note,
    )
    session.add(item)
    session.flush()
    return item
