"""What the collectors listen to, how far they have read, and a record of every run."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.contacts import Platform, SocialAccount
from crm.models.enums import text_enum
from crm.models.officers import Officer


class RunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"


class TargetKind(StrEnum):
    """The only three things Weaver listens to: listening stays overt and non-targeted."""

    MENTIONS = "mentions"  # mentions of and replies to one of the council's own accounts
    ACCOUNT_POSTS = "account_posts"  # what one contact's account posts
    SEARCH = "search"  # a listening query with a stated purpose


class CollectionSource(Base):
    """A platform Weaver reads from, with its monthly read budget and whether it is paused."""

    __tablename__ = "collection_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(text_enum(Platform, "platform", 20), unique=True)
    monthly_read_cap: Mapped[int | None]
    paused_until: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(Text)
    # Set when an admin must act (credentials refused, usage cap reached); cleared by an admin.
    needs_attention: Mapped[bool] = mapped_column(default=False, server_default=false())


class CollectionTarget(Base):
    """One thing to collect on a schedule. A named individual's account needs approval."""

    __tablename__ = "collection_targets"
    __table_args__ = (
        CheckConstraint(
            "kind <> 'search' OR (query IS NOT NULL AND purpose IS NOT NULL)",
            name="searches_state_their_purpose",
        ),
        CheckConstraint("kind = 'search' OR account_id IS NOT NULL", name="accounts_have_one"),
        CheckConstraint(
            "NOT is_personal_account OR NOT is_active OR (justification IS NOT NULL"
            " AND approved_by_id IS NOT NULL AND review_on IS NOT NULL)",
            name="personal_accounts_are_approved",
        ),
        CheckConstraint("interval_minutes >= 1", name="interval_positive"),
        # Two targets reading one account the same way would pay for every post twice.
        UniqueConstraint("account_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(text_enum(Platform, "platform", 20))
    kind: Mapped[TargetKind] = mapped_column(text_enum(TargetKind, "target_kind", 20))
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str | None] = mapped_column(String(1000))
    purpose: Mapped[str | None] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("social_accounts.id", ondelete="CASCADE"), index=True
    )
    is_personal_account: Mapped[bool] = mapped_column(default=False, server_default=false())
    justification: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="RESTRICT")
    )
    approved_at: Mapped[datetime | None]
    review_on: Mapped[date | None]
    interval_minutes: Mapped[int] = mapped_column(default=15)
    jitter_seconds: Mapped[int] = mapped_column(default=60)
    is_active: Mapped[bool] = mapped_column(default=True)
    paused_until: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(Text)
    # "Run now": the web asks, the scheduler process acts; the web never calls a platform.
    run_requested_at: Mapped[datetime | None]
    # Written by the scheduler process, so the admin page can say when the next run is due.
    next_run_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    account: Mapped[SocialAccount | None] = relationship()
    approved_by: Mapped[Officer | None] = relationship(foreign_keys=[approved_by_id])

    @property
    def is_awaiting_approval(self) -> bool:
        return self.is_personal_account and self.approved_by_id is None


class CollectorCursor(Base):
    """How far one target has read, moved in the same transaction as the posts it covers.

    For X, `since_id` is the newest post id stored with nothing missing below it. A run that
    stops part way (a rate limit, a crash) leaves the range it has not finished as
    `pending_newest` and `pending_oldest`: the next run fills that gap first.
    """

    __tablename__ = "collector_cursors"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("collection_targets.id", ondelete="CASCADE"), unique=True
    )
    since_id: Mapped[str | None] = mapped_column(String(100))
    pending_newest: Mapped[str | None] = mapped_column(String(100))
    pending_oldest: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class CollectorRun(Base):
    __tablename__ = "collector_runs"
    __table_args__ = (
        Index("ix_collector_runs_source_started_at", "source", "started_at"),
        Index("ix_collector_runs_target_id_started_at", "target_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200), default="")
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection_targets.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    status: Mapped[RunStatus] = mapped_column(
        text_enum(RunStatus, "run_status", 20), default=RunStatus.RUNNING
    )
    pages: Mapped[int] = mapped_column(default=0)
    fetched: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    quarantined: Mapped[int] = mapped_column(default=0, server_default="0")
    partial_errors: Mapped[int] = mapped_column(default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)


class QuarantineStatus(StrEnum):
    WAITING = "waiting"
    RETRY_REQUESTED = "retry_requested"  # the scheduler process will read it again
    STORED = "stored"  # a retry stored it
    DISMISSED = "dismissed"


class QuarantinedItem(Base):
    """Something a source sent that Weaver could not read, kept with its raw payload."""

    __tablename__ = "quarantined_items"
    __table_args__ = (Index("ix_quarantined_items_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(text_enum(Platform, "platform", 20))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("collector_runs.id", ondelete="SET NULL"))
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("collection_targets.id", ondelete="SET NULL")
    )
    # "item" is one post; "page" is a whole response that could not be read.
    scope: Mapped[str] = mapped_column(String(10), default="item")
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[QuarantineStatus] = mapped_column(
        text_enum(QuarantineStatus, "quarantine_status", 20), default=QuarantineStatus.WAITING
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )


class PostCollection(Base):
    """Which target collected a post: the answer to "why was this collected?"."""

    __tablename__ = "post_collections"
    __table_args__ = (UniqueConstraint("interaction_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("collection_targets.id", ondelete="CASCADE"), index=True
    )
    first_seen_at: Mapped[datetime] = mapped_column(default=utc_now)

    target: Mapped[CollectionTarget] = relationship()


class ReviewStatus(StrEnum):
    WAITING = "waiting"
    LINKED = "linked"  # an officer linked it to an existing contact
    CREATED = "created"  # an officer created an organisation from it
    DISMISSED = "dismissed"


class PostReview(Base):
    """A collected post whose author is not a contact: an officer decides what it is."""

    __tablename__ = "post_reviews"
    __table_args__ = (Index("ix_post_reviews_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[ReviewStatus] = mapped_column(
        text_enum(ReviewStatus, "review_status", 20), default=ReviewStatus.WAITING
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]

    decided_by: Mapped[Officer | None] = relationship()


class HandleChange(Base):
    """An account's earlier handle: people still write the old one."""

    __tablename__ = "handle_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("social_accounts.id", ondelete="CASCADE"), index=True
    )
    old_handle: Mapped[str] = mapped_column(String(200))
    new_handle: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(default=utc_now)
