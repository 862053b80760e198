"""An append-only audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.models.base
from crm.models.audit import POSTGRESQL_APPEND_ONLY_TRIGGERS, SQLITE_APPEND_ONLY_TRIGGERS

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column(
            "action",
            sa.Enum("created", "changed", "deleted", "merged", "exported", "viewed", "signed_in",
                    name="audit_action", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"],
                                name=op.f("fk_audit_events_officer_id_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.create_index("ix_audit_events_officer_id_occurred_at",
                              ["officer_id", "occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"],
                              unique=False)
        batch_op.create_index("ix_audit_events_subject", ["subject_type", "subject_id"],
                              unique=False)
    triggers = (SQLITE_APPEND_ONLY_TRIGGERS if op.get_bind().dialect.name == "sqlite"
                else POSTGRESQL_APPEND_ONLY_TRIGGERS)
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_events")
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION audit_events_append_only()")
