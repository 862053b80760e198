"""Alembic environment: migrates the database named by the caller, or by Weaver's settings."""

from __future__ import annotations

from alembic import context

from crm.config import Settings
from crm.database import make_engine
from crm.models import Base
from crm.models.full_text import is_full_text_object

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or Settings.from_environment().database_url
    engine = make_engine(url)
    with engine.connect() as new_connection:
        _run(new_connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Autogenerate compares what the models describe; the full-text index is not in them."""
    return not is_full_text_object(name, type_)


if context.is_offline_mode():
    raise SystemExit("Weaver migrates online only: run `crm db upgrade`.")
run_migrations_online()
