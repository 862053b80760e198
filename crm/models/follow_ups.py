"""Follow-ups: something an officer means to do for a contact by a date."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Text
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

    contact: Mapped[Contact] = relationship()
    interaction: Mapped[Interaction | None] = relationship()
    assignee: Mapped[Officer | None] = relationship(foreign_keys=[assignee_id])

    def is_overdue(self, today: date) -> bool:
        return self.status is FollowUpStatus.OPEN and self.due_on < today
