"""`crm db upgrade` builds an empty database and upgrades an old one without losing data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from crm import migrate
from crm.cli import cli
from crm.database import Database
from crm.models import Base, FollowUp, Interaction, Officer, Organisation
from crm.models.full_text import is_full_text_object
from crm.unit_of_work import unit_of_work


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """A database with nothing in it, of the same kind as the suite's."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    # On PostgreSQL, a schema of its own, found first on the search path.
    schema = f"migration_{uuid.uuid4().hex[:12]}"
    admin = Database(database_url)
    with admin.engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrade_builds_an_empty_database_to_match_the_models(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    migrate.upgrade(database.engine)

    assert migrate.current_revision(database.engine) == migrate.head_revision()
    with database.engine.connect() as connection:
        # The full-text index (FTS5 tables, GIN indexes) is made by migration 0010 alone.
        context = MigrationContext.configure(
            connection,
            opts={"include_name": lambda name, type_, _: not is_full_text_object(name, type_)},
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    database.dispose()


def test_upgrade_from_the_first_migration_keeps_the_data(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    migrate.upgrade(database.engine, "0001")
    assert "follow_ups" not in inspect(database.engine).get_table_names()
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO officers (id, email, name, password_hash, role, is_active,"
                " session_token, created_at) VALUES (1, 'old@council.example', 'Old Officer',"
                " 'x', 'officer', TRUE, 'token-1', '2026-01-05 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO contacts (id, kind, name, created_at, updated_at) VALUES"
                " (1, 'organisation', 'Marshby Lunch Club', '2026-01-05 09:00:00',"
                " '2026-01-05 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO interactions (id, kind, occurred_at, text, logged_by_id, created_at)"
                " VALUES (1, 'call', '2026-01-05 10:00:00', 'Rang about the hall', 1,"
                " '2026-01-05 10:00:00')"
            )
        )
        connection.execute(
            text("INSERT INTO interaction_contacts (interaction_id, contact_id) VALUES (1, 1)")
        )

    migrate.upgrade(database.engine)

    with unit_of_work(database.session_factory) as session:
        interaction = session.scalars(select(Interaction)).one()
        assert interaction.text == "Rang about the hall"
        assert [contact.name for contact in interaction.contacts] == ["Marshby Lunch Club"]
        assert interaction.logged_by is not None
        assert interaction.logged_by.email == "old@council.example"
        assert session.scalars(select(Organisation)).one().name == "Marshby Lunch Club"
        # The new tables work alongside the old rows.
        session.add(
            FollowUp(contact_id=1, due_on=datetime(2026, 2, 1, tzinfo=UTC).date(), assignee_id=1)
        )
    with unit_of_work(database.session_factory) as session:
        assert session.scalars(select(FollowUp)).one().assignee_id == 1
        assert session.scalars(select(Officer)).one().name == "Old Officer"
    database.dispose()


def test_crm_db_upgrade_command_reports_what_it_did(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.setenv("WEAVER_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()

    first = runner.invoke(cli, ["db", "upgrade"])
    second = runner.invoke(cli, ["db", "upgrade"])

    assert first.exit_code == 0, first.output
    assert "upgraded from empty" in first.output
    assert second.exit_code == 0, second.output
    assert "already up to date" in second.output


def test_upgrade_to_roles_keeps_officers_and_what_points_at_them(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    migrate.upgrade(database.engine, "0002")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO officers (id, email, name, password_hash, role, is_active,"
                " session_token, created_at) VALUES (7, 'lead@council.example', 'Lead',"
                " 'x', 'admin', TRUE, 'token-7', '2026-01-05 09:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO contacts (id, kind, name, owner_id, created_at, updated_at) VALUES"
                " (3, 'organisation', 'Saltings Lunch Club', 7, '2026-01-05 09:00:00',"
                " '2026-01-05 09:00:00')"
            )
        )

    migrate.upgrade(database.engine)

    with database.engine.begin() as connection:
        owner = connection.execute(text("SELECT owner_id FROM contacts WHERE id = 3")).scalar()
        assert owner == 7, "rebuilding the officers table must not cut the contact's owner"
        connection.execute(
            text(
                "INSERT INTO officers (email, name, password_hash, role, is_active,"
                " session_token, created_at) VALUES ('viewer@council.example', 'V', 'x',"
                " 'viewer', TRUE, 'token-8', '2026-01-05 09:00:00')"
            )
        )
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO officers (email, name, password_hash, role, is_active,"
                " session_token, created_at) VALUES ('x@council.example', 'X', 'x',"
                " 'superuser', TRUE, 'token-9', '2026-01-05 09:00:00')"
            )
        )
    with database.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()
