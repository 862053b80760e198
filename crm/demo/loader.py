"""Builds the demo borough: the same fictional data every time, dated relative to today."""

from __future__ import annotations

import random
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import utc_now
from crm.demo import catalogue, posts
from crm.demo.listening import DemoListening
from crm.demo.stay_in_touch import DemoStayInTouch
from crm.models import (
    Affiliation,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Locality,
    Officer,
    OfficerRole,
    Organisation,
    OrganisationType,
    Person,
    Platform,
    SocialAccount,
    Ward,
)
from crm.services.officers import create_officer, officer_by_email, set_password

DEMO_OFFICER_EMAIL = "demo.officer@brackenford.example"
SEED = 20261124
PEOPLE = 80
POSTS = 380
LOGGED = 230
FOLLOW_UPS = 36


@dataclass(frozen=True)
class DemoSummary:
    localities: int
    organisations: int
    people: int
    interactions: int
    open_follow_ups: int


def demo_data_loaded(session: Session) -> bool:
    return session.scalar(select(Locality.id).limit(1)) is not None


def ensure_demo_officer(session: Session, password: str) -> Officer:
    """The demo's own sign-in, with a password made fresh for this run."""
    officer = officer_by_email(session, DEMO_OFFICER_EMAIL)
    if officer is None:
        return create_officer(
            session,
            email=DEMO_OFFICER_EMAIL,
            name="Demo Officer",
            password=password,
            # An engagement officer: admins need an authenticator app to sign in.
            role=OfficerRole.OFFICER,
        )
    set_password(session, officer, password)
    return officer


def load_demo_data(session: Session, now: datetime | None = None) -> DemoSummary:
    """Fill an empty database with the demo borough. Call once; see `demo_data_loaded`."""
    builder = _DemoBuilder(session, random.Random(SEED), now or utc_now())
    return builder.build()


class _DemoBuilder:
    def __init__(self, session: Session, rng: random.Random, now: datetime) -> None:
        self.session = session
        self.rng = rng
        self.now = now
        self.next_platform_id = 9_100_000_000_000_000_000
        self.next_post_id = 1_990_000_000_000_000_000

    def build(self) -> DemoSummary:
        officers = self._officers()
        wards = self._places()
        council = self._council()
        organisations = self._organisations(wards, officers)
        people = self._people(organisations, officers)
        posts_stored = self._posts(organisations, people, council, officers)
        logged = self._logged_interactions(organisations, officers)
        open_follow_ups = self._follow_ups(organisations, people, officers, logged)
        DemoStayInTouch(self.session, self.now).build(organisations, people, council, officers[0])
        return DemoSummary(
            localities=len(catalogue.LOCALITIES),
            organisations=len(organisations),
            people=len(people),
            interactions=posts_stored + len(logged),
            open_follow_ups=open_follow_ups,
        )

    def _platform_id(self) -> str:
        self.next_platform_id += self.rng.randint(1, 10_000)
        return str(self.next_platform_id)

    def _officers(self) -> list[Officer]:
        colleagues = []
        for name, email in catalogue.OFFICERS:
            officer = officer_by_email(self.session, email)
            if officer is None:
                # Colleagues exist to own records; nobody signs in as them.
                officer = create_officer(
                    self.session, email=email, name=name, password=secrets.token_urlsafe(32)
                )
            colleagues.append(officer)
        demo = officer_by_email(self.session, DEMO_OFFICER_EMAIL)
        return [demo, *colleagues] if demo else colleagues

    def _places(self) -> dict[str, list[Ward]]:
        wards: dict[str, list[Ward]] = {}
        for locality_name, ward_names in catalogue.LOCALITIES.items():
            locality = Locality(name=locality_name)
            locality.wards = [Ward(name=name) for name in ward_names]
            self.session.add(locality)
            wards[locality_name] = locality.wards
        self.session.flush()
        return wards

    def _council(self) -> Organisation:
        council = Organisation(
            name=catalogue.COUNCIL_NAME,
            organisation_type=OrganisationType.PUBLIC_BODY,
            description="The council's own accounts: mentions of them are collected.",
        )
        council.accounts = [
            SocialAccount(
                platform=Platform.X,
                platform_user_id=self._platform_id(),
                handle=catalogue.COUNCIL_HANDLE,
                is_official=True,
            )
        ]
        self.session.add(council)
        return council

    def _organisations(
        self, wards: dict[str, list[Ward]], officers: list[Officer]
    ) -> list[Organisation]:
        organisations = []
        for name, legal_form, _theme, locality_name, description in catalogue.ORGANISATIONS:
            ward = self.rng.choice(wards[locality_name])
            slug = _slug(name)
            organisation = Organisation(
                name=name,
                organisation_type=legal_form,
                description=description,
                locality_id=ward.locality_id,
                ward_id=ward.id,
                owner_id=self.rng.choice(officers).id,
                website=f"https://{slug.replace('_', '')}.example.org",
                email=f"hello@{slug.replace('_', '')}.example.org",
                charity_number=(
                    str(self.rng.randint(1_100_000, 1_199_999))
                    if legal_form in (OrganisationType.CHARITY, OrganisationType.CIO)
                    else None
                ),
            )
            organisation.accounts = [
                SocialAccount(
                    platform=Platform.X,
                    platform_user_id=self._platform_id(),
                    handle=f"{slug[:15]}_demo",
                    is_official=True,
                )
            ]
            self.session.add(organisation)
            organisations.append(organisation)
        self.session.flush()
        return organisations

    def _people(self, organisations: list[Organisation], officers: list[Officer]) -> list[Person]:
        names = [(f, s) for f in catalogue.FIRST_NAMES for s in catalogue.SURNAMES]
        self.rng.shuffle(names)
        people = []
        for index, (first, surname) in enumerate(names[:PEOPLE]):
            # Every group gets at least two people; the rest are spread at random.
            home = organisations[index % len(organisations)]
            person = Person(
                name=f"{first} {surname}",
                job_title=self.rng.choice(catalogue.ROLES),
                email=f"{first}.{surname}@{_slug(home.name).replace('_', '')}.example.org".lower(),
                locality_id=home.locality_id,
                owner_id=home.owner_id,
            )
            started = (self.now - timedelta(days=self.rng.randint(200, 3000))).date()
            person.affiliations = [
                Affiliation(
                    organisation=home, role=person.job_title or "Member", started_on=started
                )
            ]
            if self.rng.random() < 0.25:
                other = self.rng.choice(organisations)
                if other is not home:
                    person.affiliations.append(Affiliation(organisation=other, role="Trustee"))
            if self.rng.random() < 0.4:
                person.accounts = [
                    SocialAccount(
                        platform=Platform.X,
                        platform_user_id=self._platform_id(),
                        handle=f"{first.lower()}{surname[:3].lower()}_demo",
                    )
                ]
            self.session.add(person)
            people.append(person)
        self.session.flush()
        return people

    def _posts(
        self,
        organisations: list[Organisation],
        people: list[Person],
        council: Organisation,
        officers: list[Officer],
    ) -> int:
        listening = DemoListening(self.session, self.rng, self.now, self.next_post_id)
        return listening.build(organisations, people, council, officers[-1], POSTS)

    def _logged_interactions(
        self, organisations: list[Organisation], officers: list[Officer]
    ) -> list[Interaction]:
        notes = {
            InteractionKind.MEETING: posts.MEETING_NOTES,
            InteractionKind.CALL: posts.CALL_NOTES,
            InteractionKind.EMAIL: posts.EMAIL_NOTES,
            InteractionKind.EVENT: posts.EVENT_NOTES,
            InteractionKind.COFFEE: posts.COFFEE_NOTES,
        }
        kinds = list(notes)
        logged = []
        for _ in range(LOGGED):
            organisation = self.rng.choice(organisations)
            kind = self.rng.choice(kinds)
            contacts = [organisation]
            members = [a.person for a in organisation.affiliations]
            if members and self.rng.random() < 0.7:
                contacts.append(self.rng.choice(members))
            interaction = Interaction(
                kind=kind,
                occurred_at=self._moment_in_past_year(),
                text=self.rng.choice(notes[kind]),
                logged_by_id=self.rng.choice(officers).id,
                contacts=contacts,
            )
            self.session.add(interaction)
            logged.append(interaction)
        self.session.flush()
        return logged

    def _follow_ups(
        self,
        organisations: list[Organisation],
        people: list[Person],
        officers: list[Officer],
        logged: list[Interaction],
    ) -> int:
        today = self.now.date()
        open_count = 0
        for index in range(FOLLOW_UPS):
            contact = self.rng.choice([*organisations, *people])
            # A third overdue, the rest due over the next few weeks; a few already done.
            due_on = today + timedelta(
                days=self.rng.randint(-30, -1) if index % 3 == 0 else self.rng.randint(0, 40)
            )
            done = index % 7 == 6
            follow_up = FollowUp(
                contact_id=contact.id,
                due_on=due_on,
                assignee_id=contact.owner_id or self.rng.choice(officers).id,
                note=self.rng.choice(posts.FOLLOW_UP_NOTES),
                interaction_id=self.rng.choice(logged).id if self.rng.random() < 0.3 else None,
                status=FollowUpStatus.DONE if done else FollowUpStatus.OPEN,
                completed_at=self.now if done else None,
            )
            open_count += not done
            self.session.add(follow_up)
        self.session.flush()
        return open_count

    def _moment_in_past_year(self) -> datetime:
        return self.now - timedelta(minutes=self.rng.randint(30, 365 * 24 * 60))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
