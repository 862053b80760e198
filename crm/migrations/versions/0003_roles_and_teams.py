"""Roles for team leads, read-only viewers and information governance; teams of officers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("admin", "officer")
NEW_ROLES = ("admin", "team_lead", "officer", "viewer", "information_governance")


def _role_type(roles: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*roles, name="officer_role", native_enum=False, create_constraint=True,
                   length=30)


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    with op.batch_alter_table("officers") as batch_op:
        batch_op.alter_column(
            "role", existing_type=_role_type(OLD_ROLES), type_=_role_type(NEW_ROLES),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_officers_team_id"), ["team_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_officers_team_id_teams"), "teams", ["team_id"], ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("officers") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_officers_team_id_teams"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_officers_team_id"))
        batch_op.drop_column("team_id")
        batch_op.alter_column(
            "role", existing_type=_role_type(NEW_ROLES), type_=_role_type(OLD_ROLES),
            existing_nullable=False,
        )
    op.drop_table("teams")
