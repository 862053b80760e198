"""What Weaver may listen to: overt targets only, and individuals only with approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.clock import london_today
from crm.errors import InvalidInput
from crm.models import AuditEvent, CollectionTarget, OfficerRole, TargetKind
from crm.services import targets
from tests import factories


@pytest.fixture
def admins(session):
    return (
        factories.officer(session, role=OfficerRole.ADMIN),
        factories.officer(session, role=OfficerRole.ADMIN),
    )


def test_an_organisations_official_account_is_collected_at_once(session, admins):
    group = factories.organisation(session)
    account = factories.account(session, group, "northgateyouth")
    target = targets.create_account_target(
        session, account_id=account.id, kind=TargetKind.ACCOUNT_POSTS, created_by_id=admins[0].id
    )
    assert target.is_active and not target.is_personal_account
    assert targets.may_collect(target) is None
    assert target.name == "Posts by @northgateyouth"


def test_an_individuals_account_needs_a_reason_a_review_date_and_a_second_admin(session, admins):
    first, second = admins
    account = factories.account(session, factories.person(session), "jo_example")
    with pytest.raises(InvalidInput, match="Say why"):
        targets.create_account_target(
            session, account_id=account.id, kind=TargetKind.ACCOUNT_POSTS, created_by_id=first.id
        )
    target = targets.create_account_target(
        session,
        account_id=account.id,
        kind=TargetKind.ACCOUNT_POSTS,
        created_by_id=first.id,
        justification="Chair of the tenants' forum; posts forum notices on her own account",
        review_on=london_today() + timedelta(days=90),
    )
    assert target.is_awaiting_approval and not target.is_active
    assert targets.may_collect(target) == "Collection is stopped"
    with pytest.raises(InvalidInput, match="Another officer"):
        targets.approve_target(session, target.id, approver_id=first.id)
    targets.approve_target(session, target.id, approver_id=second.id)
    assert target.is_active and targets.may_collect(target) is None
    events = session.scalars(
        select(AuditEvent.summary).where(
            AuditEvent.subject_type == "collection_target", AuditEvent.subject_id == target.id
        )
    ).all()
    assert events == [
        "Set up collection: Posts by @jo_example",
        "Approved collecting Posts by @jo_example",
    ]


def test_an_approval_lapses_on_its_review_date(session, admins):
    account = factories.account(session, factories.person(session), "jo_example")
    target = targets.create_account_target(
        session,
        account_id=account.id,
        kind=TargetKind.ACCOUNT_POSTS,
        created_by_id=admins[0].id,
        justification="Needed for the forum",
        review_on=london_today() + timedelta(days=1),
    )
    targets.approve_target(session, target.id, approver_id=admins[1].id)
    later = london_today() + timedelta(days=2)
    assert "lapsed" in targets.may_collect(target, today=later)


def test_mentions_are_only_collected_for_official_accounts(session, admins):
    account = factories.account(session, factories.person(session), "jo_example")
    with pytest.raises(InvalidInput, match="council's own official accounts"):
        targets.create_account_target(
            session, account_id=account.id, kind=TargetKind.MENTIONS, created_by_id=admins[0].id
        )


def test_a_listening_query_states_its_purpose(session, admins):
    with pytest.raises(InvalidInput, match="Say why"):
        targets.create_search_target(
            session, name="Food", query="food bank", purpose=" ", created_by_id=admins[0].id
        )
    target = targets.create_search_target(
        session,
        name="Food",
        query="food bank",
        purpose="Find food banks to invite to the network",
        created_by_id=admins[0].id,
    )
    assert "Purpose: Find food banks" in targets.why_collected(target)


def test_one_account_is_collected_one_way_once(session, admins):
    account = factories.account(session, factories.organisation(session), "northgateyouth")
    kind = TargetKind.ACCOUNT_POSTS
    targets.create_account_target(
        session, account_id=account.id, kind=kind, created_by_id=admins[0].id
    )
    with pytest.raises(InvalidInput, match="already collected: Posts by @northgateyouth"):
        targets.create_account_target(
            session, account_id=account.id, kind=kind, created_by_id=admins[1].id
        )
    # The database holds the rule too, whoever writes the row.
    session.add(
        CollectionTarget(platform=account.platform, kind=kind, name="again", account=account)
    )
    with pytest.raises(IntegrityError):
        session.flush()
