"""Listening pipeline: targets, cursors per target, runs, quarantine, review queue

The old collector_cursors table was keyed by free text and nothing ever wrote to it;
it is replaced by one keyed by target.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:02:19.296254
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "x",
                "mastodon",
                "bluesky",
                "rss",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("monthly_read_cap", sa.Integer(), nullable=True),
        sa.Column("paused_until", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("pause_reason", sa.Text(), nullable=True),
        sa.Column("needs_attention", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_sources")),
        sa.UniqueConstraint("platform", name=op.f("uq_collection_sources_platform")),
    )
    op.create_table(
        "post_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "linked",
                "created",
                "dismissed",
                name="review_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["officers.id"],
            name=op.f("fk_post_reviews_decided_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_post_reviews_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_reviews")),
        sa.UniqueConstraint("interaction_id", name=op.f("uq_post_reviews_interaction_id")),
    )
    with op.batch_alter_table("post_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_reviews_status_created_at", ["status", "created_at"], unique=False
        )

    op.create_table(
        "collection_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "x",
                "mastodon",
                "bluesky",
                "rss",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "mentions",
                "account_posts",
                "search",
                name="target_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("query", sa.String(length=1000), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("is_personal_account", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("jitter_seconds", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("paused_until", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("pause_reason", sa.Text(), nullable=True),
        sa.Column("run_requested_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_run_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind <> 'search' OR (query IS NOT NULL AND purpose IS NOT NULL)",
            name=op.f("ck_collection_targets_searches_state_their_purpose"),
        ),
        sa.CheckConstraint(
            "kind = 'search' OR account_id IS NOT NULL",
            name=op.f("ck_collection_targets_accounts_have_one"),
        ),
        sa.CheckConstraint(
            "NOT is_personal_account OR NOT is_active OR (justification IS NOT NULL"
            " AND approved_by_id IS NOT NULL AND review_on IS NOT NULL)",
            name=op.f("ck_collection_targets_personal_accounts_are_approved"),
        ),
        sa.CheckConstraint(
            "interval_minutes >= 1", name=op.f("ck_collection_targets_interval_positive")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["social_accounts.id"],
            name=op.f("fk_collection_targets_account_id_social_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["officers.id"],
            name=op.f("fk_collection_targets_approved_by_id_officers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["officers.id"],
            name=op.f("fk_collection_targets_created_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_targets")),
        sa.UniqueConstraint(
            "account_id", "kind", name=op.f("uq_collection_targets_account_id_kind")
        ),
    )
    with op.batch_alter_table("collection_targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collection_targets_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "handle_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("old_handle", sa.String(length=200), nullable=False),
        sa.Column("new_handle", sa.String(length=200), nullable=False),
        sa.Column("changed_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["social_accounts.id"],
            name=op.f("fk_handle_changes_account_id_social_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handle_changes")),
    )
    with op.batch_alter_table("handle_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handle_changes_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "post_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_post_collections_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["collection_targets.id"],
            name=op.f("fk_post_collections_target_id_collection_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_collections")),
        sa.UniqueConstraint(
            "interaction_id", "target_id", name=op.f("uq_post_collections_interaction_id_target_id")
        ),
    )
    with op.batch_alter_table("post_collections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_post_collections_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_post_collections_target_id"), ["target_id"], unique=False
        )

    op.create_table(
        "quarantined_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "x",
                "mastodon",
                "bluesky",
                "rss",
                name="platform",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "retry_requested",
                "stored",
                "dismissed",
                name="quarantine_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["officers.id"],
            name=op.f("fk_quarantined_items_resolved_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["collector_runs.id"],
            name=op.f("fk_quarantined_items_run_id_collector_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["collection_targets.id"],
            name=op.f("fk_quarantined_items_target_id_collection_targets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantined_items")),
    )
    with op.batch_alter_table("quarantined_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quarantined_items_status_created_at", ["status", "created_at"], unique=False
        )

    op.drop_table("collector_cursors")
    op.create_table(
        "collector_cursors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("since_id", sa.String(length=100), nullable=True),
        sa.Column("pending_newest", sa.String(length=100), nullable=True),
        sa.Column("pending_oldest", sa.String(length=100), nullable=True),
        sa.Column("updated_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["collection_targets.id"],
            name=op.f("fk_collector_cursors_target_id_collection_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collector_cursors")),
        sa.UniqueConstraint("target_id", name=op.f("uq_collector_cursors_target_id")),
    )

    with op.batch_alter_table("collector_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("quarantined", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("partial_errors", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_index(
            "ix_collector_runs_target_id_started_at", ["target_id", "started_at"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_collector_runs_target_id_collection_targets"),
            "collection_targets",
            ["target_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("interaction_contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence", sa.String(length=20), nullable=True))

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentiment_override", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("sentiment_override_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("in_reply_to_external_id", sa.String(length=100), nullable=True)
        )
        batch_op.add_column(sa.Column("in_reply_to_user_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("mentioned_user_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("raw", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("text_was_repaired", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("text_was_truncated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_interactions_sentiment_override_by_id_officers"),
            "officers",
            ["sentiment_override_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_interactions_sentiment_override_by_id_officers"), type_="foreignkey"
        )
        batch_op.drop_column("text_was_truncated")
        batch_op.drop_column("text_was_repaired")
        batch_op.drop_column("raw")
        batch_op.drop_column("language")
        batch_op.drop_column("mentioned_user_ids")
        batch_op.drop_column("in_reply_to_user_id")
        batch_op.drop_column("in_reply_to_external_id")
        batch_op.drop_column("sentiment_override_by_id")
        batch_op.drop_column("sentiment_override")

    with op.batch_alter_table("interaction_contacts", schema=None) as batch_op:
        batch_op.drop_column("evidence")

    with op.batch_alter_table("collector_runs", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_collector_runs_target_id_collection_targets"), type_="foreignkey"
        )
        batch_op.drop_index("ix_collector_runs_target_id_started_at")
        batch_op.drop_column("partial_errors")
        batch_op.drop_column("quarantined")
        batch_op.drop_column("target_id")

    op.drop_table("collector_cursors")
    op.create_table(
        "collector_cursors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("updated_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collector_cursors")),
        sa.UniqueConstraint("source", "target", name=op.f("uq_collector_cursors_source_target")),
    )

    with op.batch_alter_table("quarantined_items", schema=None) as batch_op:
        batch_op.drop_index("ix_quarantined_items_status_created_at")

    op.drop_table("quarantined_items")
    with op.batch_alter_table("post_collections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_collections_target_id"))
        batch_op.drop_index(batch_op.f("ix_post_collections_interaction_id"))

    op.drop_table("post_collections")
    with op.batch_alter_table("handle_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handle_changes_account_id"))

    op.drop_table("handle_changes")
    with op.batch_alter_table("collection_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_targets_account_id"))

    op.drop_table("collection_targets")
    with op.batch_alter_table("post_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_post_reviews_status_created_at")

    op.drop_table("post_reviews")
    op.drop_table("collection_sources")
