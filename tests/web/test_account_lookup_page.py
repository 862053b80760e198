"""Admins see, under Listening, which accounts added by handle are waiting to be looked up
and which X could not give an id for."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm.clock import utc_now
from crm.database import Database
from crm.models import CollectorRun, Officer, OfficerRole, Platform, RunStatus, SocialAccount
from crm.services import account_lookup, collection
from crm.services.account_lookup import NOT_FOUND, LookupAnswer, PlatformUser
from crm.unit_of_work import unit_of_work
from tests import factories
from tests.web.conftest import Officers

ADMIN = "lookup.admin@council.example"


@pytest.fixture
def admin(officers: Officers, database: Database) -> int:
    with unit_of_work(database.session_factory) as session:
        admin_id = factories.officer(session, email=ADMIN, role=OfficerRole.ADMIN).id
    assert officers.sign_in(ADMIN).status_code == 302
    return admin_id


def add_by_handle(
    database: Database, contact_name: str, handle: str, *, restricted: bool = False
) -> int:
    with unit_of_work(database.session_factory) as session:
        contact = factories.organisation(session, contact_name)
        if restricted:
            owner = factories.officer(session, email=f"{handle}.owner@council.example")
            contact.owner_id = owner.id
            contact.is_restricted = True
        account = SocialAccount(contact_id=contact.id, platform=Platform.X, handle=handle)
        session.add(account)
        session.flush()
        return account.id


def answer(database: Database, account_ids: list[int], found: dict[str, str]) -> None:
    """What the scheduler's job records after asking X."""
    with unit_of_work(database.session_factory) as session:
        run = account_lookup.start_lookup_run(session, Platform.X)
        summary = account_lookup.record_answer(
            session,
            account_ids,
            LookupAnswer(
                found={handle.lower(): PlatformUser(uid, handle) for handle, uid in found.items()}
            ),
        )
        collection.count_page(session, run.id, fetched=len(account_ids), new=summary.resolved)
        run.status, run.finished_at, run.error = RunStatus.OK, utc_now(), summary.problems()


def test_accounts_waiting_to_be_looked_up_are_counted(client, admin, database) -> None:
    assert "No accounts are waiting to be looked up" in client.get("/listening").get_data(
        as_text=True
    )

    add_by_handle(database, "Millbrook Food Bank", "millbrookfood")
    add_by_handle(database, "Northgate Youth Hub", "northgateyouth")
    with unit_of_work(database.session_factory) as session:
        factories.account(session, factories.organisation(session), "alreadyknown")

    page = client.get("/listening").get_data(as_text=True)
    assert "2 accounts are waiting to be looked up" in page
    assert "Last looked up" not in page


def test_accounts_x_could_not_find_are_listed_without_revealing_restricted_records(
    client, admin, database
) -> None:
    found = add_by_handle(database, "Millbrook Food Bank", "millbrookfood")
    missing = add_by_handle(database, "Northgate <Youth> Hub", "northgateyuoth")
    hidden = add_by_handle(database, "Jo Private", "joprivate", restricted=True)
    answer(database, [found, missing, hidden], {"MillbrookFood": "201"})

    page = client.get("/listening").get_data(as_text=True)

    assert "No accounts are waiting to be looked up" in page
    assert "Last looked up" in page and '1 found; <span dir="auto">2 not found</span>' in page
    assert "Accounts that could not be found" in page
    assert "Northgate &lt;Youth&gt; Hub" in page and "@northgateyuoth" in page
    assert NOT_FOUND.replace("’", "&#8217;") in page or NOT_FOUND in page
    assert "Jo Private" not in page and "joprivate" not in page
    assert "1 more account could not be found on restricted records you cannot see" in page
    assert "Millbrook Food Bank" not in page  # found, so not listed
    with unit_of_work(database.session_factory) as session:
        viewer = session.scalars(select(Officer).where(Officer.id == admin)).one()
        overview = account_lookup.lookup_overview(session, viewer=viewer)
        assert [p.handle for p in overview.problems] == ["northgateyuoth"]
        assert session.scalars(select(CollectorRun)).one().fetched == 3
