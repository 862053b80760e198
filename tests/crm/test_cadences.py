"""Stay-in-touch cadences: any touch resets the clock, and the going-cold list says who is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput
from crm.models import AuditEvent, FollowUpStatus, InteractionKind, OfficerRole
from crm.services.cadence_tiers import create_tier, delete_tier, update_tier
from crm.services.cadences import council_account_ids, going_cold, last_touches
from tests import factories
from tests.crm.listening_world import ListeningWorld, listening_world

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=200)


@pytest.fixture
def world(session: Session) -> ListeningWorld:
    return listening_world(session, tier_days=30)


def cold_names(world: ListeningWorld, *, viewer=None, owner_ids=None) -> list[str]:
    found = going_cold(world.session, viewer=viewer or world.owner, owner_ids=owner_ids, now=NOW)
    return [item.contact.name for item in found]


def test_a_contact_never_touched_counts_from_when_it_was_added(world: ListeningWorld) -> None:
    world.organisation("Old Friends", created_at=NOW - timedelta(days=45))
    world.organisation("New Friends", created_at=NOW - timedelta(days=10))

    [cold] = going_cold(world.session, viewer=world.owner, owner_ids=None, now=NOW)

    assert cold.contact.name == "Old Friends"
    assert cold.cadence_days == 30
    assert cold.last_touch is None
    assert cold.overdue_days == 15


def test_a_contact_without_a_cadence_never_goes_cold(world: ListeningWorld) -> None:
    world.organisation("No Tier", created_at=LONG_AGO, cadence_tier_id=None)
    assert cold_names(world) == []


def test_a_persons_own_cadence_overrides_the_tier(world: ListeningWorld) -> None:
    world.organisation("Tiered", created_at=NOW - timedelta(days=40))
    world.organisation("Relaxed", created_at=NOW - timedelta(days=40), cadence_days=60)
    world.person("Jo Weekly", created_at=NOW - timedelta(days=8), cadence_days=7)

    assert cold_names(world) == ["Tiered", "Jo Weekly"]


def test_logging_a_call_resets_the_cadence(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    assert cold_names(world) == ["Northgate Youth Hub"]

    factories.logged_interaction(
        world.session, [hub], when=NOW - timedelta(days=3), kind=InteractionKind.CALL
    )

    assert cold_names(world) == []
    touch = last_touches(world.session, [hub.id])[hub.id]
    assert touch.at == NOW - timedelta(days=3)
    assert touch.how == "Call logged"


def test_completing_a_follow_up_resets_the_cadence_but_an_open_one_does_not(
    world: ListeningWorld,
) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    open_one = factories.follow_up(world.session, hub, due_on=date(2026, 5, 30), assignee=None)
    assert cold_names(world) == ["Northgate Youth Hub"]

    open_one.status = FollowUpStatus.DONE
    open_one.completed_at = NOW - timedelta(days=1)
    world.session.flush()

    assert cold_names(world) == []
    assert last_touches(world.session, [hub.id])[hub.id].how == "Follow-up completed"


def test_a_dismissed_follow_up_is_not_a_touch(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    dismissed = factories.follow_up(world.session, hub, due_on=date(2026, 5, 30), assignee=None)
    dismissed.status = FollowUpStatus.DISMISSED
    dismissed.completed_at = NOW - timedelta(days=1)
    world.session.flush()

    assert cold_names(world) == ["Northgate Youth Hub"]


def test_the_contact_posting_to_the_council_resets_the_cadence(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    hub_account = world.account_of(hub, "northgateyouth")

    world.post(
        hub_account,
        "Thanks @riversidecouncil for the visit",
        at=NOW - timedelta(days=2),
        mentions=(world.council_account,),
    )

    assert cold_names(world) == []
    touch = last_touches(world.session, [hub.id])[hub.id]
    assert touch.how == "Exchange with the council on X"
    assert touch.at == NOW - timedelta(days=2)


def test_the_council_replying_to_the_contact_resets_the_cadence(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    hub_account = world.account_of(hub, "northgateyouth")
    question = world.post(hub_account, "Is the hall open on Sunday?", at=LONG_AGO)
    assert cold_names(world) == ["Northgate Youth Hub"]

    world.post(
        world.council_account,
        "Yes, from 10am",
        at=NOW - timedelta(days=1),
        reply_to=question,
    )

    assert cold_names(world) == []


def test_a_post_with_no_council_account_in_it_is_not_a_touch(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    hub_account = world.account_of(hub, "northgateyouth")
    friend = world.organisation("Friends of the Park", created_at=NOW)
    friend_account = world.account_of(friend, "parkfriends")

    world.post(hub_account, "Our summer programme is out", at=NOW - timedelta(days=1))
    world.post(
        hub_account,
        "Great working with @parkfriends",
        at=NOW - timedelta(days=1),
        mentions=(friend_account,),
    )
    world.post("99", "Anyone know @northgateyouth?", at=NOW, mentions=(hub_account,))

    assert cold_names(world) == ["Northgate Youth Hub"]
    assert last_touches(world.session, [hub.id]) == {}


def test_the_latest_touch_wins_and_says_how(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    factories.logged_interaction(
        world.session, [hub], when=NOW - timedelta(days=50), kind=InteractionKind.MEETING
    )
    factories.logged_interaction(
        world.session, [hub], when=NOW - timedelta(days=40), kind=InteractionKind.EMAIL
    )

    [cold] = going_cold(world.session, viewer=world.owner, owner_ids=None, now=NOW)

    assert cold.last_touch is not None
    assert cold.last_touch.how == "Email logged"
    assert cold.last_touch.at == NOW - timedelta(days=40)
    assert cold.overdue_days == 10


def test_most_overdue_comes_first_and_owner_filter_narrows(world: ListeningWorld) -> None:
    other = factories.officer(world.session, name="Kim Other")
    world.organisation("A bit late", created_at=NOW - timedelta(days=35))
    world.organisation("Very late", created_at=NOW - timedelta(days=90), owner_id=other.id)

    assert cold_names(world) == ["Very late", "A bit late"]
    assert cold_names(world, owner_ids=[world.owner.id]) == ["A bit late"]
    assert cold_names(world, owner_ids=[]) == []


def test_restricted_contacts_are_left_out_for_those_who_may_not_see_them(
    world: ListeningWorld,
) -> None:
    stranger = factories.officer(world.session, name="Pat Elsewhere")
    world.person("Private Person", created_at=LONG_AGO, cadence_days=30, is_restricted=True)

    assert cold_names(world) == ["Private Person"]
    assert cold_names(world, viewer=stranger) == []
    governance = factories.officer(world.session, role=OfficerRole.INFORMATION_GOVERNANCE)
    assert cold_names(world, viewer=governance) == ["Private Person"]


def test_a_touch_shared_with_a_hidden_record_is_not_described_to_those_who_may_not_see_it(
    world: ListeningWorld,
) -> None:
    stranger = factories.officer(world.session, name="Pat Elsewhere")
    hub = world.organisation("Northgate Youth Hub", created_at=LONG_AGO)
    private = world.person("Private Person", created_at=LONG_AGO, is_restricted=True)
    factories.logged_interaction(
        world.session, [hub], when=NOW - timedelta(days=50), kind=InteractionKind.CALL
    )
    factories.logged_interaction(
        world.session, [hub, private], when=NOW - timedelta(days=40), kind=InteractionKind.MEETING
    )

    [as_owner] = going_cold(world.session, viewer=world.owner, owner_ids=None, now=NOW)
    [as_stranger] = going_cold(world.session, viewer=stranger, owner_ids=None, now=NOW)

    assert as_owner.last_touch is not None and as_owner.last_touch.how == "Meeting logged"
    assert as_stranger.last_touch is not None and as_stranger.last_touch.how == "Call logged"
    assert as_stranger.overdue_days == as_owner.overdue_days == 10


def test_council_account_ids_are_the_accounts_whose_mentions_are_collected(
    world: ListeningWorld,
) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=NOW)
    world.account_of(hub, "northgateyouth")

    assert council_account_ids(world.session) == {world.council_account.platform_user_id}


def test_tiers_are_added_changed_and_deleted_with_an_audit_trail(world: ListeningWorld) -> None:
    tier = create_tier(world.session, name="  Key   partner ", days=14, officer_id=world.owner.id)
    assert tier.name == "Key partner"
    with pytest.raises(InvalidInput, match="already a tier called key partner"):
        create_tier(world.session, name="key partner", days=7, officer_id=world.owner.id)
    with pytest.raises(InvalidInput, match="from 1 to 3650"):
        update_tier(world.session, tier.id, name="Renamed", days=0, officer_id=world.owner.id)
    assert tier.name == "Key partner"
    hub = world.organisation("Northgate Youth Hub", created_at=NOW, cadence_tier_id=tier.id)

    update_tier(world.session, tier.id, name="Close partner", days=10, officer_id=world.owner.id)
    assert delete_tier(world.session, tier.id, officer_id=world.owner.id) == 1

    world.session.refresh(hub)
    assert hub.cadence_tier_id is None
    summaries = world.session.scalars(
        select(AuditEvent.summary)
        .where(AuditEvent.subject_type == "cadence_tier")
        .order_by(AuditEvent.id)
    ).all()
    assert summaries == [
        "Added the cadence tier Key partner (every 14 days)",
        "Changed the cadence tier Close partner (every 10 days)",
        "Deleted the cadence tier Close partner, used by 1 contact",
    ]
