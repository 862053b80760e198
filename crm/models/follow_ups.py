"""Follow-ups: something an officer means to do for a contact by a date, and the ones the
system suggests from what the collectors heard."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.contacts import Contact
from crm.models.enums import text_enum
from crm.models.interactions import Interaction
from crm.models.officers import Officer


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DISMISSED = "dismissed"


class FollowUp(Base):
    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    # What it came from: a logged interaction or a collected post.
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    due_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[FollowUpStatus] = mapped_column(
        text_enum(FollowUpStatus, "follow_up_status", 20), default=FollowUpStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    completed_at: Mapped[datetime | None]
    # Who closed it (done or dismissed), and the interaction logged when it was done.
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    closing_interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    snooze_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set when the reminder job passed it to a team lead: overdue too long, or owner gone.
    escalated_at: Mapped[datetime | None]
    escalated_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )

    contact: Mapped[Contact] = relationship()
    interaction: Mapped[Interaction | None] = relationship(foreign_keys=[interaction_id])
    closing_interaction: Mapped[Interaction | None] = relationship(
        foreign_keys=[closing_interaction_id]
    )
    assignee: Mapped[Officer | None] = relationship(foreign_keys=[assignee_id])
    closed_by: Mapped[Officer | None] = relationship(foreign_keys=[closed_by_id])
    escalated_to: Mapped[Officer | None] = relationship(foreign_keys=[escalated_to_id])

    def is_overdue(self, today: date) -> bool:
        return self.status is FollowUpStatus.OPEN and self.due_on < today


class SuggestionKind(StrEnum):
    NEGATIVE_MENTION = "negative_mention"  # a negative post mentioning the council
    UNANSWERED_QUESTION = "unanswered_question"  # a question to the council nobody answered
    COLD_CONTACT_NEWS = "cold_contact_news"  # a going-cold organisation posting about funding...


class SuggestionStatus(StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"  # it became a follow-up
    DISMISSED = "dismissed"


class Suggestion(Base):
    """A follow-up the system proposes from a collected post, with the reason.

    One per rule and post: the unique key means a dismissed suggestion never comes back.
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint("kind", "interaction_id"),
        Index("ix_suggestions_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SuggestionKind] = mapped_column(text_enum(SuggestionKind, "suggestion_kind"))
    interaction_id: Mapped[int] = mapped_column(ForeignKey("interactions.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    # "Why am I seeing this", in words an officer understands.
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[SuggestionStatus] = mapped_column(
        text_enum(SuggestionStatus, "suggestion_status", 20), default=SuggestionStatus.WAITING
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    follow_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="SET NULL")
    )

    interaction: Mapped[Interaction] = relationship()
    contact: Mapped[Contact | None] = relationship()
    assignee: Mapped[Officer | None] = relationship(foreign_keys=[assignee_id])
    follow_up: Mapped[FollowUp | None] = relationship()


class ReminderRunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"


class ReminderRun(Base):
    """One run of the scheduler's reminder job: what it did, so officers can trust it ran."""

    __tablename__ = "reminder_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
    finished_at: Mapped[datetime | None]
    status: Mapped[ReminderRunStatus] = mapped_column(
        text_enum(ReminderRunStatus, "reminder_run_status", 20),
        default=ReminderRunStatus.RUNNING,
    )
    digests_sent: Mapped[int] = mapped_column(default=0)
    suggestions_made: Mapped[int] = mapped_column(default=0)
    escalations: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)


class DigestKind(StrEnum):
    DAILY = "daily"  # an officer's own day
    WEEKLY_TEAM = "weekly_team"  # a team lead's week of their team


class DigestDelivery(Base):
    """One digest to one officer for one day or week. The unique key makes sending
    idempotent: a second run, or one catching up after downtime, finds it already claimed."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("officer_id", "kind", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"))
    kind: Mapped[DigestKind] = mapped_column(text_enum(DigestKind, "digest_kind", 20))
    # The London date of the day, or the Monday of the week, the digest covers.
    period_start: Mapped[date]
    sent_at: Mapped[datetime | None]
    item_count: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    email_sent: Mapped[bool] = mapped_column(default=False, server_default=false())

    officer: Mapped[Officer] = relationship()
