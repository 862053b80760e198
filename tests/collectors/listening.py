"""A small listening set-up shared by the pipeline tests: a council, a group, three targets."""

from __future__ import annotations

from dataclasses import dataclass

from collectors.sources.x import XSource, make_client
from crm.database import Database
from crm.models import OfficerRole, TargetKind
from crm.services import targets
from crm.unit_of_work import unit_of_work
from tests import factories

COUNCIL_ID = "1500000000000000001"
GROUP_ID = "1500000000000000002"
STRANGER_ID = "1500000000000000009"


@dataclass(frozen=True)
class Listening:
    admin_id: int
    council_id: int
    group_id: int
    group_account_id: int
    mentions_target_id: int
    group_target_id: int
    search_target_id: int


def set_up_listening(database: Database) -> Listening:
    with unit_of_work(database.session_factory) as session:
        admin = factories.officer(session, role=OfficerRole.ADMIN)
        council = factories.organisation(session, "Brackenford Borough Council")
        council_account = factories.account(session, council, "BrackenfordBC")
        council_account.platform_user_id = COUNCIL_ID
        group = factories.organisation(session, "Millbrook Food Bank")
        group_account = factories.account(session, group, "millbrookfood")
        group_account.platform_user_id = GROUP_ID
        session.flush()
        mentions = targets.create_account_target(
            session, account_id=council_account.id, kind=TargetKind.MENTIONS, created_by_id=admin.id
        )
        posts = targets.create_account_target(
            session,
            account_id=group_account.id,
            kind=TargetKind.ACCOUNT_POSTS,
            created_by_id=admin.id,
        )
        search = targets.create_search_target(
            session,
            name="Warm spaces",
            query='"warm space"',
            purpose="Find groups offering warm spaces this winter",
            created_by_id=admin.id,
        )
        return Listening(
            admin.id, council.id, group.id, group_account.id, mentions.id, posts.id, search.id
        )


def x_source(sleeps: list[float] | None = None) -> XSource:
    record = sleeps.append if sleeps is not None else (lambda _seconds: None)
    return XSource(make_client("test-bearer-token"), sleep=record)
