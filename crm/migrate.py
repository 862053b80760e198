"""Bring a database to the newest schema (or to a named revision) with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from crm.errors import WeaverError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        # env.py migrates this connection rather than opening its own.
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


class SchemaOutOfDate(WeaverError):
    pass


def require_up_to_date(engine: Engine) -> None:
    if not is_up_to_date(engine):
        raise SchemaOutOfDate("The database is not up to date: run `crm db upgrade` first.")
