"""The database behaves the same on SQLite and PostgreSQL where it matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from crm.database import Database
from crm.models import Affiliation, Interaction, InteractionKind, Platform
from crm.unit_of_work import unit_of_work
from tests import factories


def test_sqlite_connections_enforce_foreign_keys_use_wal_and_wait_when_busy(tmp_path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    database.dispose()


def test_datetimes_are_stored_as_utc_and_read_back_aware(database: Database) -> None:
    british_summer_time = timezone(timedelta(hours=1))
    moment = datetime(2026, 7, 1, 14, 30, tzinfo=british_summer_time)
    with unit_of_work(database.session_factory) as session:
        organisation = factories.organisation(session)
        factories.logged_interaction(session, [organisation], when=moment)

    with unit_of_work(database.session_factory) as session:
        stored = session.scalars(select(Interaction)).one()
        assert stored.occurred_at == moment
        assert stored.occurred_at.tzinfo == UTC
        assert stored.occurred_at.hour == 13


def test_a_naive_datetime_is_refused(session) -> None:
    organisation = factories.organisation(session)
    with pytest.raises(Exception, match="naive datetime"):
        factories.logged_interaction(session, [organisation], when=datetime(2026, 7, 1, 14, 30))


def test_foreign_keys_are_enforced(session) -> None:
    session.add(Affiliation(person_id=999, organisation_id=998, role="Chair"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_post_must_carry_its_platform_key(session) -> None:
    session.add(
        Interaction(
            kind=InteractionKind.POST,
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
            text="no key",
            platform=Platform.X,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
