"""Contacts in full (themes, areas served, tags, handovers, merges), stay-in-touch cadences,
suggested follow-ups, follow-up actions, and the reminder job's record of what it sent

Accounts may now be added by handle alone: the platform's user id is filled in later.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 10:59:37.645980
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cadence_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("days >= 1", name=op.f("ck_cadence_tiers_days_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence_tiers")),
        sa.UniqueConstraint("name", name=op.f("uq_cadence_tiers_name")),
    )
    op.create_table(
        "reminder_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "ok",
                "failed",
                name="reminder_run_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("digests_sent", sa.Integer(), nullable=False),
        sa.Column("suggestions_made", sa.Integer(), nullable=False),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_runs")),
    )
    with op.batch_alter_table("reminder_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_runs_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("name", name=op.f("uq_themes_name")),
    )
    op.create_table(
        "digest_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "daily",
                "weekly_team",
                name="digest_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("sent_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("email_sent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_digest_deliveries_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_deliveries")),
        sa.UniqueConstraint(
            "officer_id",
            "kind",
            "period_start",
            name=op.f("uq_digest_deliveries_officer_id_kind_period_start"),
        ),
    )
    op.create_table(
        "contact_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survivor_id", sa.Integer(), nullable=False),
        sa.Column("merged_contact_id", sa.Integer(), nullable=False),
        sa.Column("merged_name", sa.String(length=300), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=True),
        sa.Column("merged_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_by_id"],
            ["officers.id"],
            name=op.f("fk_contact_merges_merged_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["contacts.id"],
            name=op.f("fk_contact_merges_survivor_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_merges")),
    )
    with op.batch_alter_table("contact_merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_merges_survivor_id"), ["survivor_id"], unique=False
        )

    op.create_table(
        "contact_tags",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_tags_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_contact_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("contact_id", "tag_id", name=op.f("pk_contact_tags")),
    )
    with op.batch_alter_table("contact_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "organisation_localities",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_organisation_localities_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["localities.id"],
            name=op.f("fk_organisation_localities_locality_id_localities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "contact_id", "locality_id", name=op.f("pk_organisation_localities")
        ),
    )
    with op.batch_alter_table("organisation_localities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_localities_locality_id"), ["locality_id"], unique=False
        )

    op.create_table(
        "organisation_themes",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_organisation_themes_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name=op.f("fk_organisation_themes_theme_id_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contact_id", "theme_id", name=op.f("pk_organisation_themes")),
    )
    with op.batch_alter_table("organisation_themes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_themes_theme_id"), ["theme_id"], unique=False
        )

    op.create_table(
        "organisation_wards",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_organisation_wards_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"],
            ["wards.id"],
            name=op.f("fk_organisation_wards_ward_id_wards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contact_id", "ward_id", name=op.f("pk_organisation_wards")),
    )
    with op.batch_alter_table("organisation_wards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_wards_ward_id"), ["ward_id"], unique=False
        )

    op.create_table(
        "owner_handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("from_officer_id", sa.Integer(), nullable=True),
        sa.Column("to_officer_id", sa.Integer(), nullable=True),
        sa.Column("handed_over_by_id", sa.Integer(), nullable=True),
        sa.Column("handed_over_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_owner_handovers_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_officer_id"],
            ["officers.id"],
            name=op.f("fk_owner_handovers_from_officer_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handed_over_by_id"],
            ["officers.id"],
            name=op.f("fk_owner_handovers_handed_over_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_officer_id"],
            ["officers.id"],
            name=op.f("fk_owner_handovers_to_officer_id_officers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owner_handovers")),
    )
    with op.batch_alter_table("owner_handovers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_owner_handovers_contact_id"), ["contact_id"], unique=False
        )

    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "negative_mention",
                "unanswered_question",
                "cold_contact_news",
                name="suggestion_kind",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "accepted",
                "dismissed",
                name="suggestion_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dismissed_reason", sa.Text(), nullable=True),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["officers.id"],
            name=op.f("fk_suggestions_assignee_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_suggestions_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["officers.id"],
            name=op.f("fk_suggestions_decided_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_suggestions_follow_up_id_follow_ups"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_suggestions_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint(
            "kind", "interaction_id", name=op.f("uq_suggestions_kind_interaction_id")
        ),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestions_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_suggestions_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(
            "ix_suggestions_status_created_at", ["status", "created_at"], unique=False
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cadence_tier_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cadence_days", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("companies_house_number", sa.String(length=20), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "preferred_contact_method",
                sa.Enum(
                    "email",
                    "phone",
                    "in_person",
                    "social",
                    "post",
                    name="contact_method",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_contacts_cadence_tier_id"), ["cadence_tier_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contacts_charity_number"), ["charity_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contacts_companies_house_number"),
            ["companies_house_number"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_contacts_cadence_tier_id_cadence_tiers"),
            "cadence_tiers",
            ["cadence_tier_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            "cadence_days_positive", "cadence_days IS NULL OR cadence_days >= 1"
        )

    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closing_interaction_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("dismissed_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("snooze_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("escalated_at", crm.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("escalated_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_ups_closed_by_id_officers"),
            "officers",
            ["closed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_ups_escalated_to_id_officers"),
            "officers",
            ["escalated_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_follow_ups_closing_interaction_id_interactions"),
            "interactions",
            ["closing_interaction_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("calendar_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_officers_calendar_token_hash"), ["calendar_token_hash"]
        )

    with op.batch_alter_table("social_accounts", schema=None) as batch_op:
        batch_op.alter_column(
            "platform_user_id", existing_type=sa.VARCHAR(length=100), nullable=True
        )
        batch_op.add_column(sa.Column("lookup_problem", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("lookup_failed_at", crm.models.base.UTCDateTime(timezone=True), nullable=True)
        )

    _create_erasure_tables()
    _seed_tiers_and_themes()


def _create_erasure_tables() -> None:
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "completed",
                "refused",
                name="erasure_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", crm.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("erased", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_erasure_requests_contact_id_contacts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["officers.id"],
            name=op.f("fk_erasure_requests_decided_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["officers.id"],
            name=op.f("fk_erasure_requests_recorded_by_id_officers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
        sa.UniqueConstraint("reference", name=op.f("uq_erasure_requests_reference")),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_erasure_requests_contact_id"), ["contact_id"], unique=False
        )
    op.create_table(
        "erased_accounts",
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
        sa.Column("user_id_hash", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("erased_at", crm.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["erasure_requests.id"],
            name=op.f("fk_erased_accounts_request_id_erasure_requests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erased_accounts")),
        sa.UniqueConstraint(
            "platform", "user_id_hash", name=op.f("uq_erased_accounts_platform_user_id_hash")
        ),
    )


def _seed_tiers_and_themes() -> None:
    """The tiers and themes most councils start from; admins change them in Weaver."""
    tiers = sa.table(
        "cadence_tiers",
        sa.column("name", sa.String),
        sa.column("days", sa.Integer),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        tiers,
        [
            {"name": "Strategic partner", "days": 30, "position": 1},
            {"name": "Active", "days": 90, "position": 2},
            {"name": "Occasional", "days": 180, "position": 3},
        ],
    )
    themes = sa.table("themes", sa.column("name", sa.String))
    op.bulk_insert(
        themes,
        [
            {"name": name}
            for name in (
                "Arts and culture",
                "Environment",
                "Food",
                "Health",
                "Housing",
                "Older people",
                "Sport",
                "Youth",
            )
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("social_accounts", schema=None) as batch_op:
        batch_op.drop_column("lookup_failed_at")
        batch_op.drop_column("lookup_problem")
        batch_op.alter_column(
            "platform_user_id", existing_type=sa.VARCHAR(length=100), nullable=False
        )

    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_officers_calendar_token_hash"), type_="unique")
        batch_op.drop_column("calendar_token_hash")

    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_follow_ups_closing_interaction_id_interactions"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_follow_ups_escalated_to_id_officers"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_follow_ups_closed_by_id_officers"), type_="foreignkey"
        )
        batch_op.drop_column("escalated_to_id")
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("snooze_count")
        batch_op.drop_column("dismissed_reason")
        batch_op.drop_column("closing_interaction_id")
        batch_op.drop_column("closed_by_id")

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_contacts_cadence_tier_id_cadence_tiers"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_contacts_cadence_days_positive"), type_="check")
        batch_op.drop_index(batch_op.f("ix_contacts_companies_house_number"))
        batch_op.drop_index(batch_op.f("ix_contacts_charity_number"))
        batch_op.drop_index(batch_op.f("ix_contacts_cadence_tier_id"))
        batch_op.drop_column("preferred_contact_method")
        batch_op.drop_column("companies_house_number")
        batch_op.drop_column("cadence_days")
        batch_op.drop_column("cadence_tier_id")

    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestions_status_created_at")
        batch_op.drop_index(batch_op.f("ix_suggestions_contact_id"))
        batch_op.drop_index(batch_op.f("ix_suggestions_assignee_id"))

    op.drop_table("suggestions")
    with op.batch_alter_table("owner_handovers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_owner_handovers_contact_id"))

    op.drop_table("owner_handovers")
    with op.batch_alter_table("organisation_wards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_wards_ward_id"))

    op.drop_table("organisation_wards")
    with op.batch_alter_table("organisation_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_themes_theme_id"))

    op.drop_table("organisation_themes")
    with op.batch_alter_table("organisation_localities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_localities_locality_id"))

    op.drop_table("organisation_localities")
    with op.batch_alter_table("contact_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_tags_tag_id"))

    op.drop_table("contact_tags")
    with op.batch_alter_table("contact_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_merges_survivor_id"))

    op.drop_table("contact_merges")
    op.drop_table("digest_deliveries")
    op.drop_table("themes")
    op.drop_table("tags")
    with op.batch_alter_table("reminder_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_runs_started_at"))

    op.drop_table("reminder_runs")
    op.drop_table("cadence_tiers")
    op.drop_table("erased_accounts")
    op.drop_table("erasure_requests")
