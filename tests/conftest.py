"""Fixtures shared by every test: a real database (SQLite by default, PostgreSQL when
TEST_DATABASE_URL is set), emptied between tests, and a Flask app and client on top of it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from crm import migrate
from crm.database import Database
from crm.models import Base
from crm.models.audit import SQLITE_APPEND_ONLY_TRIGGERS

POSTGRES_HINT = (
    "TEST_DATABASE_URL is set but PostgreSQL cannot be reached: start it "
    "(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or unset it."
)


def pytest_report_header() -> str:
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    probe = Database(url)
    try:
        with probe.engine.connect():
            pass
    except OperationalError as error:
        # Never a silent skip: a suite asked to run on PostgreSQL fails without it.
        pytest.exit(f"{POSTGRES_HINT}\n{error}", returncode=3)
    finally:
        probe.dispose()
    return url


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    # The schema comes from the migrations, so every test also exercises them.
    migrate.upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _empty_tables_after_test(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "database" not in request.fixturenames:
        return
    database: Database = request.getfixturevalue("database")
    tables = list(reversed(Base.metadata.sorted_tables))
    with database.engine.begin() as connection:
        if database.is_sqlite:
            # The audit log refuses deletes; lift that for the clean-up only, then restore it.
            for trigger in ("audit_events_no_update", "audit_events_no_delete"):
                connection.exec_driver_sql(f"DROP TRIGGER {trigger}")
            for table in tables:
                connection.execute(table.delete())
            for statement in SQLITE_APPEND_ONLY_TRIGGERS:
                connection.exec_driver_sql(statement)
        else:
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session for service-level tests; nothing is committed unless a test commits."""
    session = database.session_factory()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> dict[str, str]:
    values = {
        "DATABASE_URL": database_url,
        "WEAVER_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key-not-for-production",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values
