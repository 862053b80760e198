"""Merging duplicates: everything moves to the record that stays, nothing is kept twice."""

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
    CollectionTarget,
    Contact,
    ContactMerge,
    FollowUp,
    HandleChange,
    Interaction,
    OfficerRole,
    Organisation,
    OwnerHandover,
    Person,
    Platform,
    SocialAccount,
    Suggestion,
    SuggestionKind,
    TargetKind,
    Theme,
    interaction_contacts,
)
from crm.services import targets
from crm.services.contact_editing import hand_over, tags_named
from crm.services.merging import merge_contacts, merge_preview, possible_duplicates
from tests import factories

WHEN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def links_of(session: Session, interaction_id: int) -> list[int]:
    return sorted(
        session.scalars(
            select(interaction_contacts.c.contact_id).where(
                interaction_contacts.c.interaction_id == interaction_id
            )
        )
    )


def test_a_merge_moves_everything_to_the_survivor(session: Session) -> None:
    officer = factories.officer(session, name="Olive Owner")
    colleague = factories.officer(session, name="Sam Second")
    survivor = factories.organisation(session, "Saltings Lunch Club", owner_id=officer.id)
    duplicate = factories.organisation(
        session,
        "Saltings lunch club",
        charity_number="1123456",
        website="https://saltings.example.org",
    )
    elsewhere = factories.organisation(session, "Somewhere Else")
    member = factories.person(session, "Jo Example", member_of=duplicate)
    both_kept = Affiliation(
        person=factories.person(session, "Kim"), organisation=survivor, role="Chair"
    )
    session.add(both_kept)
    session.flush()
    session.add(Affiliation(person=both_kept.person, organisation=duplicate, role="chair"))
    # Interactions: one with the duplicate only, one with both, one shared with a third.
    only_duplicate = factories.logged_interaction(session, [duplicate], when=WHEN, note="Dup only")
    with_both = factories.logged_interaction(session, [survivor, duplicate], when=WHEN)
    with_third = factories.logged_interaction(session, [duplicate, elsewhere], when=WHEN)
    follow_up = factories.follow_up(session, duplicate, due_on=date(2026, 4, 1), assignee=officer)
    suggestion = Suggestion(
        kind=SuggestionKind.NEGATIVE_MENTION,
        interaction_id=only_duplicate.id,
        contact_id=duplicate.id,
        reason="A negative post",
    )
    session.add(suggestion)
    account = factories.account(session, duplicate, handle="saltingslunch")
    session.add(
        HandleChange(account_id=account.id, old_handle="saltings", new_handle="saltingslunch")
    )
    theme = Theme(name="Lunch clubs")
    session.add(theme)
    session.flush()
    survivor.tags = tags_named(session, ["Partner"])
    duplicate.tags = tags_named(session, ["partner", "Older people"])
    duplicate.themes = [theme]
    session.flush()
    hand_over(session, duplicate.id, to_officer_id=colleague.id, note="Yours", officer=officer)
    ids = {
        "survivor": survivor.id,
        "duplicate": duplicate.id,
        "member": member.id,
        "only_duplicate": only_duplicate.id,
        "with_both": with_both.id,
        "with_third": with_third.id,
        "elsewhere": elsewhere.id,
    }

    merge = merge_contacts(
        session, survivor_id=survivor.id, duplicate_id=duplicate.id, officer=officer
    )

    session.expire_all()
    assert session.get(Contact, ids["duplicate"]) is None
    kept = session.get(Organisation, ids["survivor"])
    assert kept.name == "Saltings Lunch Club"
    # The survivor keeps its own details and takes the duplicate's where it had none.
    assert kept.owner_id == officer.id
    assert kept.charity_number == "1123456"
    assert kept.website == "https://saltings.example.org"
    assert links_of(session, ids["only_duplicate"]) == [ids["survivor"]]
    # An interaction with both is linked once, not twice.
    assert links_of(session, ids["with_both"]) == [ids["survivor"]]
    assert links_of(session, ids["with_third"]) == sorted([ids["survivor"], ids["elsewhere"]])
    assert session.get(FollowUp, follow_up.id).contact_id == ids["survivor"]
    assert session.get(Suggestion, suggestion.id).contact_id == ids["survivor"]
    [moved_account] = kept.accounts
    assert moved_account.handle == "saltingslunch"
    assert session.scalar(select(HandleChange.account_id)) == moved_account.id
    # Jo moves; Kim's identical chair role is kept once.
    people = sorted((a.person.name, a.role) for a in kept.affiliations)
    assert people == [("Jo Example", "Chair"), ("Kim", "Chair")]
    assert sorted(tag.name for tag in kept.tags) == ["Older people", "Partner"]
    assert [t.name for t in kept.themes] == ["Lunch clubs"]
    [handover] = session.scalars(select(OwnerHandover)).all()
    assert handover.contact_id == ids["survivor"]
    assert merge.merged_contact_id == ids["duplicate"]
    assert merge.merged_name == "Saltings lunch club"
    assert merge.merged_by_id == officer.id
    assert merge.moved["interactions"] == 3
    assert merge.moved["follow_ups"] == 1
    assert merge.moved["accounts"] == 1
    assert merge.moved["affiliations"] == 1
    assert merge.moved["tags"] == 1
    merged = session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.MERGED).order_by(AuditEvent.id)
    ).all()
    assert [event.subject_id for event in merged] == [ids["survivor"], ids["duplicate"]]
    assert merged[0].summary == "Merged Saltings lunch club into Saltings Lunch Club"
    assert merged[0].before["duplicate"]["charity_number"] == "1123456"
    assert merged[0].after["moved"]["interactions"] == 3


def test_merging_people_moves_their_affiliations_and_keeps_restriction(session) -> None:
    officer = factories.officer(session)
    club = factories.organisation(session, "Club")
    survivor = factories.person(session, "Jo Example")
    duplicate = factories.person(session, "Jo Example", member_of=club)
    duplicate.owner_id, duplicate.is_restricted = officer.id, True
    duplicate.email = "jo@example.org"
    session.flush()

    merge_contacts(session, survivor_id=survivor.id, duplicate_id=duplicate.id, officer=officer)

    session.expire_all()
    kept = session.get(Person, survivor.id)
    assert [(a.organisation.name, a.role) for a in kept.affiliations] == [("Club", "Chair")]
    assert kept.is_restricted
    assert kept.owner_id == officer.id
    assert kept.email == "jo@example.org"


def test_one_account_recorded_twice_becomes_one(session: Session) -> None:
    officer = factories.officer(session)
    survivor = factories.organisation(session, "Hub")
    duplicate = factories.organisation(session, "Hub")
    by_handle = SocialAccount(contact=survivor, platform=Platform.X, handle="TheHub")
    session.add(by_handle)
    looked_up = factories.account(session, duplicate, handle="thehub")
    target = targets.create_account_target(
        session, account_id=looked_up.id, kind=TargetKind.ACCOUNT_POSTS, created_by_id=officer.id
    )

    merge_contacts(session, survivor_id=survivor.id, duplicate_id=duplicate.id, officer=officer)

    session.expire_all()
    [account] = session.scalars(select(SocialAccount)).all()
    assert account.id == looked_up.id
    assert account.contact_id == survivor.id
    assert account.is_official
    assert session.get(CollectionTarget, target.id).account_id == account.id


def test_the_preview_shows_both_side_by_side_with_counts(session: Session) -> None:
    officer = factories.officer(session)
    first = factories.person(session, "Jo Example")
    second = factories.person(session, "Jo Example")
    factories.logged_interaction(session, [first, second], when=WHEN)
    factories.logged_interaction(session, [second], when=WHEN)
    factories.account(session, second)

    preview = merge_preview(session, first.id, second.id, viewer=officer)

    assert (preview.first.contact, preview.second.contact) == (first, second)
    assert (preview.first.interactions, preview.second.interactions) == (1, 2)
    assert (preview.first.accounts, preview.second.accounts) == (0, 1)
    assert preview.shared_interactions == 1


def test_only_two_different_contacts_of_one_kind_can_be_merged(session: Session) -> None:
    officer = factories.officer(session)
    person = factories.person(session)
    organisation = factories.organisation(session)
    with pytest.raises(InvalidInput, match="two different"):
        merge_preview(session, person.id, person.id, viewer=officer)
    with pytest.raises(InvalidInput, match="cannot be merged"):
        merge_contacts(
            session, survivor_id=organisation.id, duplicate_id=person.id, officer=officer
        )
    assert session.scalar(select(func.count()).select_from(ContactMerge)) == 0


def test_a_record_the_officer_cannot_see_cannot_be_merged(session: Session) -> None:
    owner = factories.officer(session)
    outsider = factories.officer(session)
    visible = factories.person(session, "Jo Example")
    hidden = factories.person(session, "Jo Example")
    hidden.owner_id, hidden.is_restricted = owner.id, True
    session.flush()

    with pytest.raises(NotFound):
        merge_contacts(session, survivor_id=visible.id, duplicate_id=hidden.id, officer=outsider)
    assert possible_duplicates(session, visible, viewer=outsider) == []
    assert possible_duplicates(session, visible, viewer=owner) == [hidden]
    assert session.get(Person, hidden.id) is not None


def test_possible_duplicates_share_a_name_email_or_number(session: Session) -> None:
    viewer = factories.officer(session, role=OfficerRole.VIEWER)
    club = factories.organisation(session, "Saltings Lunch Club", charity_number="1123456")
    same_name = factories.organisation(session, "saltings lunch club")
    same_number = factories.organisation(session, "SLC", charity_number="1123456")
    factories.organisation(session, "Unrelated")
    factories.person(session, "Saltings Lunch Club")

    found = possible_duplicates(session, club, viewer=viewer)

    assert {contact.id for contact in found} == {same_name.id, same_number.id}


def test_earlier_merges_into_the_duplicate_follow_it(session: Session) -> None:
    officer = factories.officer(session)
    first = factories.person(session, "A")
    second = factories.person(session, "A")
    third = factories.person(session, "A")
    merge_contacts(session, survivor_id=second.id, duplicate_id=third.id, officer=officer)
    merge_contacts(session, survivor_id=first.id, duplicate_id=second.id, officer=officer)

    merges = session.scalars(select(ContactMerge).order_by(ContactMerge.id)).all()
    assert [m.survivor_id for m in merges] == [first.id, first.id]
    assert session.scalar(select(func.count()).select_from(Interaction)) == 0
