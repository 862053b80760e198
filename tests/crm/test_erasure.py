"""Erasure requests: what erasing a person removes, what it keeps, and that it is recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput
from crm.models import (
    AuditEvent,
    Contact,
    ErasedAccount,
    ErasureStatus,
    FollowUp,
    Interaction,
    OfficerRole,
    Platform,
    SocialAccount,
    interaction_contacts,
)
from crm.services import erasure
from crm.services.ingestion import Provenance, ingest_posts
from crm.services.posts import Mention
from tests import factories

WHEN = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 3), date(2026, 2, 3)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_receipt(received: date, due: date) -> None:
    assert erasure.respond_by(received) == due


def _governance(session: Session):
    return factories.officer(session, role=OfficerRole.INFORMATION_GOVERNANCE)


def test_only_a_person_can_ask_to_be_erased(session: Session) -> None:
    group = factories.organisation(session)

    with pytest.raises(InvalidInput, match="Only a person"):
        erasure.record_request(
            session,
            reference="EIR-1",
            contact_id=group.id,
            received_on=date(2026, 11, 1),
            officer=_governance(session),
        )


def test_a_reference_is_used_once(session: Session) -> None:
    officer = _governance(session)
    person = factories.person(session)
    erasure.record_request(
        session,
        reference="EIR-2",
        contact_id=person.id,
        received_on=date(2026, 11, 1),
        officer=officer,
    )

    with pytest.raises(InvalidInput, match="already exists"):
        erasure.record_request(
            session,
            reference=" EIR-2 ",
            contact_id=person.id,
            received_on=date(2026, 11, 1),
            officer=officer,
        )


def _erasure_scene(session: Session):
    """A person who wrote a post, was in a coffee alone and a meeting with someone else."""
    officer = _governance(session)
    group = factories.organisation(session, "Riverside Food Bank")
    group_account = factories.account(session, group, handle="riversidefood")
    person = factories.person(session, "Sam Private", member_of=group)
    account = factories.account(session, person, handle="samprivate")
    post = replace(
        factories.post(author_handle="samprivate", text="Food bank needs help"),
        author_platform_id=account.platform_user_id,
        mentions=(Mention(user_id=group_account.platform_user_id, handle="riversidefood"),),
    )
    ingest_posts(session, [post], provenance=Provenance(review_reason="test"))
    alone = factories.logged_interaction(session, [person], when=WHEN, note="Coffee with Sam")
    shared = factories.logged_interaction(
        session, [person, group], when=WHEN, note="Meeting with the food bank"
    )
    factories.follow_up(session, person, due_on=date(2026, 12, 1), assignee=officer)
    request = erasure.record_request(
        session,
        reference="EIR-3",
        contact_id=person.id,
        received_on=date(2026, 11, 1),
        officer=officer,
    )
    return officer, group, person, account, alone, shared, request


def test_the_plan_counts_what_would_go_and_what_stays(session: Session) -> None:
    *_, request = _erasure_scene(session)

    plan = erasure.plan_erasure(session, request)

    assert plan == erasure.ErasurePlan(
        posts_they_wrote=1,
        interactions_only_about_them=1,
        interactions_kept_without_them=1,
        follow_ups=1,
        accounts=1,
        affiliations=1,
    )


def test_erasing_removes_the_person_and_what_is_only_theirs(session: Session) -> None:
    officer, group, person, account, alone, shared, request = _erasure_scene(session)
    person_id, user_id = person.id, account.platform_user_id

    erasure.carry_out(session, request.id, officer=officer)
    session.expire_all()

    assert session.get(Contact, person_id) is None
    assert (
        session.scalar(
            select(func.count())
            .select_from(SocialAccount)
            .where(SocialAccount.platform_user_id == user_id)
        )
        == 0
    )
    assert session.scalar(select(func.count()).select_from(FollowUp)) == 0
    assert session.get(Interaction, alone.id) is None
    posts = session.scalars(select(Interaction).where(Interaction.author_platform_id == user_id))
    assert list(posts) == []
    kept = session.get(Interaction, shared.id)
    assert kept is not None
    assert [contact.id for contact in kept.contacts] == [group.id]
    assert (
        session.scalar(
            select(func.count())
            .select_from(interaction_contacts)
            .where(interaction_contacts.c.contact_id == person_id)
        )
        == 0
    )


def test_erasing_closes_the_request_without_naming_the_person(session: Session) -> None:
    officer, _, person, *_, request = _erasure_scene(session)
    person_id = person.id

    erasure.carry_out(session, request.id, officer=officer)

    assert request.status is ErasureStatus.COMPLETED
    assert request.contact_id is None
    assert request.erased["posts_they_wrote"] == 1
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.subject_id == person_id).order_by(AuditEvent.id.desc())
    ).first()
    assert event.summary == f"Erased contact {person_id} under erasure request EIR-3"
    assert "Sam" not in event.summary


def test_an_erased_account_is_remembered_only_as_a_hash(session: Session) -> None:
    officer, *_, request = _erasure_scene(session)
    user_id = request.contact.accounts[0].platform_user_id

    erasure.carry_out(session, request.id, officer=officer)

    stored = session.scalars(select(ErasedAccount)).one()
    assert user_id not in stored.user_id_hash
    assert erasure.erased_author_ids(session, Platform.X, {user_id, "12345"}) == {user_id}


def test_an_erased_persons_posts_are_never_stored_again(session: Session) -> None:
    officer, _, _, account, *_, request = _erasure_scene(session)
    user_id = account.platform_user_id
    erasure.carry_out(session, request.id, officer=officer)
    theirs = replace(
        factories.post(author_handle="samprivate", text="Still here"),
        author_platform_id=user_id,
    )
    someone_elses = factories.post(author_handle="neighbour", text="Food bank is great")

    result = ingest_posts(
        session, [theirs, someone_elses, theirs], provenance=Provenance(review_reason="test")
    )

    assert (result.new, result.duplicates, result.skipped_erased) == (1, 0, 2)
    stored = session.scalars(
        select(Interaction.author_platform_id).where(Interaction.author_platform_id.is_not(None))
    )
    assert user_id not in set(stored)


def test_an_answered_request_cannot_be_carried_out_again(session: Session) -> None:
    officer, *_, request = _erasure_scene(session)
    erasure.refuse(session, request.id, officer=officer, reason="Legal obligation to keep it")

    with pytest.raises(InvalidInput, match="already been answered"):
        erasure.carry_out(session, request.id, officer=officer)
    assert request.status is ErasureStatus.REFUSED


def test_a_refusal_needs_a_reason(session: Session) -> None:
    officer, *_, request = _erasure_scene(session)

    with pytest.raises(InvalidInput, match="why"):
        erasure.refuse(session, request.id, officer=officer, reason="   ")
    assert request.status is ErasureStatus.OPEN
