"""Full-text search over contacts and interaction text

SQLite: FTS5 tables over contacts and interactions, kept in step by triggers.
PostgreSQL: GIN indexes on a tsvector of the same columns. Rows already there are indexed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

from crm.models import full_text

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        statements = [*full_text.SQLITE_TABLES, *full_text.SQLITE_TRIGGERS]
        statements += full_text.SQLITE_BACKFILL
    else:
        # CREATE INDEX reads every existing row: the backfill is the index build.
        statements = full_text.POSTGRESQL_INDEXES
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        statements = full_text.SQLITE_DROP
    else:
        statements = full_text.POSTGRESQL_DROP
    for statement in statements:
        op.execute(statement)
