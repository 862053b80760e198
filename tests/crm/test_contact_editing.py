"""Adding, changing, handing over and deleting contacts, their affiliations and accounts,
through the service layer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, NotFound
from crm.models import (
    Affiliation,
    AuditAction,
    AuditEvent,
    CadenceTier,
    CollectionTarget,
    Contact,
    ContactMethod,
    FollowUp,
    HandleChange,
    Interaction,
    Locality,
    OfficerRole,
    Organisation,
    OrganisationType,
    Person,
    Platform,
    SocialAccount,
    Tag,
    TargetKind,
    Team,
    Theme,
    Ward,
)
from crm.services import targets
from crm.services.affiliations import add_affiliation, affiliations_of, end_affiliation
from crm.services.contact_deletion import delete_contact, deletion_impact
from crm.services.contact_details import InvalidDetails, OrganisationDetails, PersonDetails
from crm.services.contact_editing import (
    create_organisation,
    create_person,
    hand_over,
    handover_history,
    possible_owners,
    update_contact,
)
from crm.services.contact_profile import contact_profile
from crm.services.social_accounts import (
    add_account,
    handle_history,
    remove_account,
    set_official,
)
from tests import factories

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def events(session: Session, action: AuditAction | None = None) -> list[AuditEvent]:
    """Audit events about contacts and what hangs off them (not officers' accounts)."""
    statement = (
        select(AuditEvent).where(AuditEvent.subject_type != "officer").order_by(AuditEvent.id)
    )
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return list(session.scalars(statement))


def places(session: Session) -> tuple[Locality, Ward, Locality, Ward]:
    north = Locality(name="Northgate", wards=[Ward(name="Abbey")])
    south = Locality(name="Saltings", wards=[Ward(name="Harbour")])
    session.add_all([north, south])
    session.flush()
    return north, north.wards[0], south, south.wards[0]


def test_adding_an_organisation_tidies_and_keeps_every_detail(session: Session) -> None:
    officer = factories.officer(session)
    north, abbey, south, harbour = places(session)
    youth = Theme(name="Youth work")
    tier = CadenceTier(name="Monthly partner", days=30)
    session.add_all([youth, tier])
    session.flush()

    organisation = create_organisation(
        session,
        OrganisationDetails(
            name="  Northgate Youth Hub ",
            organisation_type=OrganisationType.CIO,
            charity_number="1 123 456",
            companies_house_number="sc123456",
            website="northgateyouth.example.org",
            email="hello@northgateyouth.example.org",
            phone="01632 960 001",
            description="Youth club on Tuesdays",
            ward_id=abbey.id,
            theme_ids=[youth.id],
            localities_served_ids=[north.id, south.id],
            wards_served_ids=[harbour.id],
            tags=["Funding bid", "funding bid", " Partner "],
            cadence_tier_id=tier.id,
        ),
        officer=officer,
        owner_id=officer.id,
    )

    assert organisation.name == "Northgate Youth Hub"
    assert organisation.charity_number == "1123456"
    assert organisation.companies_house_number == "SC123456"
    assert organisation.website == "https://northgateyouth.example.org"
    # Choosing a ward says which locality.
    assert organisation.locality_id == north.id
    assert [theme.name for theme in organisation.themes] == ["Youth work"]
    assert {loc.name for loc in organisation.localities_served} == {"Northgate", "Saltings"}
    assert [ward.name for ward in organisation.wards_served] == ["Harbour"]
    assert sorted(tag.name for tag in organisation.tags) == ["Funding bid", "Partner"]
    assert organisation.cadence == 30
    assert organisation.owner_id == officer.id
    [created] = events(session, AuditAction.CREATED)
    assert created.subject_id == organisation.id
    assert created.after["charity_number"] == "1123456"
    assert created.after["tags"] == ["Funding bid", "Partner"]


def test_every_wrong_field_is_named_at_once(session: Session) -> None:
    officer = factories.officer(session)
    with pytest.raises(InvalidDetails) as raised:
        create_organisation(
            session,
            OrganisationDetails(
                name=" ",
                charity_number="12345",
                companies_house_number="1234567",
                website="javascript:alert(1)",
                email="not an email",
                phone="call me",
                cadence_days=0,
            ),
            officer=officer,
            owner_id=None,
        )
    assert raised.value.errors == {
        "name": "Enter the organisation’s name",
        "charity_number": "Enter a charity number of 6 to 8 digits, like 1123456, or a "
        "Scottish or Northern Irish one, like SC012345 or NIC100002",
        "companies_house_number": "Enter a Companies House number of 8 characters: 8 digits, "
        "like 01234567, or 2 letters and 6 digits, like SC123456",
        "website": "Enter a website address starting http:// or https://, like https://example.org",
        "email": "Enter an email address in the correct format, like name@example.org",
        "phone": "Enter a telephone number, like 01632 960 001 or +44 7700 900 982",
        "cadence_days": "Enter a number of days from 1 to 3,650",
    }
    assert session.scalar(select(func.count()).select_from(Contact)) == 0


@pytest.mark.parametrize("number", ["123456", "12345678", "SC012345", "NIC100002"])
def test_charity_numbers_from_every_uk_register_are_accepted(session: Session, number) -> None:
    officer = factories.officer(session)
    organisation = create_organisation(
        session,
        OrganisationDetails(name="A charity", charity_number=number),
        officer=officer,
        owner_id=None,
    )
    assert organisation.charity_number == number


def test_a_charity_number_already_in_weaver_is_refused_but_not_its_own(session) -> None:
    officer = factories.officer(session)
    first = factories.organisation(session, "Saltings Lunch Club", charity_number="1123456")
    with pytest.raises(InvalidDetails) as raised:
        create_organisation(
            session,
            OrganisationDetails(name="Another club", charity_number="1123456"),
            officer=officer,
            owner_id=None,
        )
    assert "already has this charity number" in raised.value.errors["charity_number"]

    update_contact(
        session,
        first.id,
        OrganisationDetails(name="Saltings Lunch Club CIO", charity_number="1123456"),
        officer=officer,
    )
    assert first.name == "Saltings Lunch Club CIO"


def test_a_ward_outside_the_chosen_locality_is_refused(session: Session) -> None:
    officer = factories.officer(session)
    north, _abbey, _south, harbour = places(session)
    with pytest.raises(InvalidDetails) as raised:
        create_person(
            session,
            PersonDetails(name="Jo Example", locality_id=north.id, ward_id=harbour.id),
            officer=officer,
            owner_id=None,
        )
    assert raised.value.errors == {
        "ward_id": "Choose a ward in the chosen locality, or leave the locality blank"
    }


def test_an_owner_must_be_an_active_officer_who_changes_records(session: Session) -> None:
    officer = factories.officer(session)
    viewer = factories.officer(session, role=OfficerRole.VIEWER)
    with pytest.raises(InvalidDetails) as raised:
        create_person(session, PersonDetails(name="Jo"), officer=officer, owner_id=viewer.id)
    assert raised.value.errors == {"owner_id": "Choose an active officer who can change records"}
    assert viewer not in possible_owners(session)
    assert officer in possible_owners(session)


def test_changing_a_person_records_only_what_changed(session: Session) -> None:
    officer = factories.officer(session)
    person = factories.person(session, "Jo Example")
    person.email = "jo@example.org"
    session.flush()

    update_contact(
        session,
        person.id,
        PersonDetails(
            name="Jo Example",
            email="jo@example.org",
            job_title="Chair",
            preferred_contact_method=ContactMethod.PHONE,
            tags=["Volunteer"],
        ),
        officer=officer,
    )

    [changed] = events(session, AuditAction.CHANGED)
    assert changed.summary == "Changed the details of Jo Example"
    assert changed.before == {"job_title": None, "preferred_contact_method": None, "tags": []}
    assert changed.after == {
        "job_title": "Chair",
        "preferred_contact_method": "phone",
        "tags": ["Volunteer"],
    }


def test_an_existing_tag_is_reused_whatever_its_case(session: Session) -> None:
    officer = factories.officer(session)
    session.add(Tag(name="Food"))
    session.flush()
    person = create_person(
        session, PersonDetails(name="Jo", tags=["food"]), officer=officer, owner_id=None
    )
    assert [tag.name for tag in person.tags] == ["Food"]
    assert session.scalar(select(func.count()).select_from(Tag)) == 1


def test_organisation_details_cannot_be_put_on_a_person(session: Session) -> None:
    officer = factories.officer(session)
    person = factories.person(session)
    with pytest.raises(InvalidInput):
        update_contact(session, person.id, OrganisationDetails(name="Club"), officer=officer)


def test_restricting_a_record_needs_an_owner_and_is_recorded(session: Session) -> None:
    officer = factories.officer(session)
    person = factories.person(session, "Jo Private")
    with pytest.raises(InvalidDetails) as raised:
        update_contact(
            session,
            person.id,
            PersonDetails(name="Jo Private", is_restricted=True),
            officer=officer,
        )
    assert "needs a relationship manager" in raised.value.errors["is_restricted"]

    person.owner_id = officer.id
    session.flush()
    update_contact(
        session, person.id, PersonDetails(name="Jo Private", is_restricted=True), officer=officer
    )

    assert person.is_restricted
    restricted = events(session, AuditAction.CHANGED)[-1]
    assert restricted.summary == "Restricted the record of Jo Private"
    assert restricted.before == {"is_restricted": False}
    assert restricted.after == {"is_restricted": True}


def test_an_officer_outside_the_team_cannot_change_a_restricted_record(session) -> None:
    owner = factories.officer(session)
    outsider = factories.officer(session)
    person = factories.person(session, "Jo Private")
    person.owner_id, person.is_restricted = owner.id, True
    session.flush()

    with pytest.raises(NotFound):
        update_contact(session, person.id, PersonDetails(name="Changed"), officer=outsider)
    with pytest.raises(NotFound):
        hand_over(session, person.id, to_officer_id=outsider.id, note="", officer=outsider)
    with pytest.raises(NotFound):
        delete_contact(session, person.id, officer=outsider)
    with pytest.raises(NotFound):
        add_account(session, person.id, platform=Platform.X, handle="jo", officer=outsider)
    assert person.name == "Jo Private"


def test_handing_over_keeps_who_when_from_to_and_the_note(session: Session) -> None:
    team = Team(name="North")
    session.add(team)
    session.flush()
    first = factories.officer(session, name="Olive Owner")
    second = factories.officer(session, name="Sam Second")
    lead = factories.officer(session, name="Lee Lead", role=OfficerRole.TEAM_LEAD)
    organisation = factories.organisation(session, owner_id=first.id)

    hand_over(session, organisation.id, to_officer_id=second.id, note="Chair is new", officer=lead)
    hand_over(session, organisation.id, to_officer_id=first.id, note="Back again", officer=second)

    assert organisation.owner_id == first.id
    latest, earliest = handover_history(session, organisation.id)
    assert (earliest.from_officer.name, earliest.to_officer.name) == ("Olive Owner", "Sam Second")
    assert earliest.handed_over_by.name == "Lee Lead"
    assert earliest.note == "Chair is new"
    assert latest.note == "Back again"
    audit = [e for e in events(session, AuditAction.CHANGED) if "Handed" in e.summary]
    assert audit[0].before == {"owner_id": first.id}
    assert audit[0].after == {"owner_id": second.id, "handover_note": "Chair is new"}


def test_handing_over_to_the_current_owner_or_nobody_is_refused(session: Session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session, owner_id=officer.id)
    with pytest.raises(InvalidInput, match="already manage"):
        hand_over(session, organisation.id, to_officer_id=officer.id, note="", officer=officer)
    with pytest.raises(InvalidInput, match="Choose who"):
        hand_over(session, organisation.id, to_officer_id=None, note="", officer=officer)
    assert handover_history(session, organisation.id) == []


# Affiliations


def test_a_person_joins_and_leaves_an_organisation(session: Session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session, "Saltings Lunch Club")
    person = factories.person(session, "Jo Example")

    affiliation = add_affiliation(
        session,
        person_id=person.id,
        organisation_id=organisation.id,
        role=" Treasurer ",
        started_on=date(2024, 1, 1),
        officer=officer,
    )
    with pytest.raises(InvalidInput, match="same as or after"):
        end_affiliation(session, affiliation.id, ended_on=date(2023, 1, 1), officer=officer)
    end_affiliation(session, affiliation.id, ended_on=date(2026, 1, 31), officer=officer)

    assert affiliation.role == "Treasurer"
    assert affiliation.ended_on == date(2026, 1, 31)
    assert affiliations_of(session, organisation, viewer=officer) == [affiliation]
    assert [e.summary for e in events(session)] == [
        "Added Jo Example to Saltings Lunch Club as Treasurer",
        "Ended Jo Example’s role as Treasurer at Saltings Lunch Club",
    ]


def test_an_affiliation_needs_a_role_dates_in_order_and_the_right_kinds(session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session)
    person = factories.person(session)
    with pytest.raises(InvalidInput, match="Enter their role"):
        add_affiliation(
            session, person_id=person.id, organisation_id=organisation.id, role="", officer=officer
        )
    with pytest.raises(InvalidInput, match="same as or after"):
        add_affiliation(
            session,
            person_id=person.id,
            organisation_id=organisation.id,
            role="Chair",
            started_on=date(2025, 5, 1),
            ended_on=date(2025, 4, 1),
            officer=officer,
        )
    with pytest.raises(InvalidInput, match="Choose a person"):
        add_affiliation(
            session,
            person_id=organisation.id,
            organisation_id=organisation.id,
            role="Chair",
            officer=officer,
        )


def test_current_affiliations_come_before_ended_ones(session: Session) -> None:
    officer = factories.officer(session)
    person = factories.person(session)
    old = factories.organisation(session, "Old Club")
    new = factories.organisation(session, "New Club")
    ended = Affiliation(person=person, organisation=old, role="Chair", ended_on=date(2025, 1, 1))
    current = Affiliation(person=person, organisation=new, role="Volunteer")
    session.add_all([ended, current])
    session.flush()
    assert affiliations_of(session, person, viewer=officer) == [current, ended]


# Social accounts


def test_an_account_is_added_by_handle_alone_and_marked_official(session: Session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session, "Northgate Youth Hub")

    account = add_account(
        session,
        organisation.id,
        platform=Platform.X,
        handle="https://x.com/NorthgateYouth",
        officer=officer,
    )
    set_official(session, account.id, official=True, officer=officer)

    assert account.handle == "NorthgateYouth"
    assert account.platform_user_id is None
    assert account.is_official
    assert [e.summary for e in events(session)] == [
        "Added the x account @NorthgateYouth to Northgate Youth Hub",
        "Marked @NorthgateYouth as Northgate Youth Hub’s official account",
    ]


@pytest.mark.parametrize(
    ("platform", "handle", "stored"),
    [
        (Platform.X, "@brackenford_cvs", "brackenford_cvs"),
        (Platform.MASTODON, "@cvs@mastodon.social", "cvs@mastodon.social"),
        (Platform.BLUESKY, "@cvs.bsky.social", "cvs.bsky.social"),
        (Platform.RSS, "https://cvs.example.org/feed.xml", "https://cvs.example.org/feed.xml"),
    ],
)
def test_handles_are_stored_without_their_at_sign(session, platform, handle, stored) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session)
    account = add_account(
        session, organisation.id, platform=platform, handle=handle, officer=officer
    )
    assert account.handle == stored


@pytest.mark.parametrize(
    ("platform", "handle", "user_id", "message"),
    [
        (Platform.X, "", "", "Enter the account’s handle"),
        (Platform.X, "far_too_long_a_handle", "", "up to 15 letters"),
        (Platform.X, "fine", "abc", "An X user id is a number"),
        (Platform.MASTODON, "nodomain", "", "with its server"),
        (Platform.RSS, "javascript:alert(1)", "", "starting http://"),
    ],
)
def test_a_wrong_handle_says_what_is_expected(session, platform, handle, user_id, message):
    officer = factories.officer(session)
    organisation = factories.organisation(session)
    with pytest.raises(InvalidInput, match=message):
        add_account(
            session,
            organisation.id,
            platform=platform,
            handle=handle,
            platform_user_id=user_id,
            officer=officer,
        )


def test_an_account_belongs_to_one_contact_only(session: Session) -> None:
    officer = factories.officer(session)
    first = factories.organisation(session, "First")
    second = factories.organisation(session, "Second")
    existing = factories.account(session, first, handle="SharedHandle")
    with pytest.raises(InvalidInput, match="already belongs to a contact"):
        add_account(session, second.id, platform=Platform.X, handle="sharedhandle", officer=officer)
    with pytest.raises(InvalidInput, match="already belongs to a contact"):
        add_account(
            session,
            second.id,
            platform=Platform.X,
            handle="other",
            platform_user_id=existing.platform_user_id,
            officer=officer,
        )


def test_a_persons_account_cannot_be_official(session: Session) -> None:
    officer = factories.officer(session)
    person = factories.person(session)
    with pytest.raises(InvalidInput, match="Only an organisation"):
        add_account(
            session, person.id, platform=Platform.X, handle="jo", is_official=True, officer=officer
        )


def test_an_account_being_listened_to_is_not_removed(session: Session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session)
    listened = factories.account(session, organisation, handle="listened")
    quiet = factories.account(session, organisation, handle="quiet")
    targets.create_account_target(
        session,
        account_id=listened.id,
        kind=TargetKind.ACCOUNT_POSTS,
        created_by_id=officer.id,
    )

    with pytest.raises(InvalidInput, match="listening to this account"):
        remove_account(session, listened.id, officer=officer)
    remove_account(session, quiet.id, officer=officer)

    assert [a.handle for a in organisation.accounts] == ["listened"]
    assert events(session)[-1].before["handle"] == "quiet"


def test_earlier_handles_are_listed_newest_first(session: Session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session)
    account = factories.account(session, organisation, handle="newest")
    session.add_all(
        [
            HandleChange(
                account_id=account.id, old_handle="oldest", new_handle="middle", changed_at=WHEN
            ),
            HandleChange(
                account_id=account.id,
                old_handle="middle",
                new_handle="newest",
                changed_at=WHEN.replace(year=2027),
            ),
        ]
    )
    session.flush()

    history = handle_history(session, [account.id])
    profile = contact_profile(session, organisation, viewer=officer)

    assert [change.old_handle for change in history[account.id]] == ["middle", "oldest"]
    [shown] = profile.accounts
    assert [change.old_handle for change in shown.earlier_handles] == ["middle", "oldest"]


# Deleting


def test_deleting_says_what_goes_and_keeps_shared_interactions(session: Session) -> None:
    officer = factories.officer(session)
    organisation = factories.organisation(session, "Closing Club")
    other = factories.organisation(session, "Still Here")
    person = factories.person(session, "Jo", member_of=organisation)
    only_here = factories.logged_interaction(session, [organisation], when=WHEN, note="Alone")
    shared = factories.logged_interaction(session, [organisation, other], when=WHEN)
    factories.follow_up(session, organisation, due_on=date(2026, 4, 1), assignee=officer)
    account = factories.account(session, organisation)
    targets.create_account_target(
        session, account_id=account.id, kind=TargetKind.ACCOUNT_POSTS, created_by_id=officer.id
    )
    only_here_id, shared_id, organisation_id = only_here.id, shared.id, organisation.id

    impact = deletion_impact(session, organisation_id, viewer=officer)
    assert (impact.interactions, impact.shared_interactions) == (1, 1)
    assert (impact.follow_ups, impact.accounts, impact.listening_targets) == (1, 1, 1)
    assert impact.affiliations == 1

    delete_contact(session, organisation_id, officer=officer)

    assert session.get(Contact, organisation_id) is None
    assert session.get(Interaction, only_here_id) is None
    assert [c.name for c in session.get(Interaction, shared_id).contacts] == ["Still Here"]
    for model in (FollowUp, SocialAccount, CollectionTarget, Affiliation):
        assert session.scalar(select(func.count()).select_from(model)) == 0
    assert session.get(Person, person.id) is not None
    [deleted] = events(session, AuditAction.DELETED)
    assert deleted.summary == "Deleted Closing Club"
    assert deleted.subject_id == organisation_id
    assert deleted.before["name"] == "Closing Club"
    assert deleted.before["removed"]["interactions"] == 1


def test_deleting_a_contact_that_is_gone_is_not_found(session: Session) -> None:
    officer = factories.officer(session)
    with pytest.raises(NotFound):
        delete_contact(session, 12345, officer=officer)


def test_the_profile_lists_themes_areas_tags_and_handovers(session: Session) -> None:
    officer = factories.officer(session)
    other = factories.officer(session)
    north, abbey, _south, _harbour = places(session)
    theme = Theme(name="Food banks")
    session.add(theme)
    session.flush()
    organisation = create_organisation(
        session,
        OrganisationDetails(
            name="Pantry",
            theme_ids=[theme.id],
            localities_served_ids=[north.id],
            wards_served_ids=[abbey.id],
            tags=["Winter"],
        ),
        officer=officer,
        owner_id=officer.id,
    )
    hand_over(session, organisation.id, to_officer_id=other.id, note="Over to you", officer=officer)

    profile = contact_profile(session, organisation, viewer=officer)

    assert [t.name for t in profile.themes] == ["Food banks"]
    assert [loc.name for loc in profile.localities_served] == ["Northgate"]
    assert [w.name for w in profile.wards_served] == ["Abbey"]
    assert [t.name for t in profile.tags] == ["Winter"]
    assert [h.note for h in profile.handovers] == ["Over to you"]


def test_people_and_organisations_are_distinct_kinds(session: Session) -> None:
    officer = factories.officer(session)
    person = create_person(session, PersonDetails(name="Jo"), officer=officer, owner_id=None)
    organisation = create_organisation(
        session, OrganisationDetails(name="Club"), officer=officer, owner_id=None
    )
    assert isinstance(person, Person)
    assert isinstance(organisation, Organisation)
