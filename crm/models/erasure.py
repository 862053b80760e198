"""Erasure requests under UK GDPR Article 17, handled by information governance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.contacts import Contact, Platform
from crm.models.enums import text_enum
from crm.models.officers import Officer


class ErasureStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    REFUSED = "refused"


class ErasureRequest(Base):
    """A person's request to be erased, kept as evidence of how it was answered.

    It refers to the person by the council's case reference, not by name: once the person
    is erased, nothing here identifies them.
    """

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    received_on: Mapped[date]
    status: Mapped[ErasureStatus] = mapped_column(
        text_enum(ErasureStatus, "erasure_status", 20), default=ErasureStatus.OPEN
    )
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    # Why a request was refused (for example, a legal obligation to keep the record).
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    # How many records of each kind the erasure removed.
    erased: Mapped[dict | None] = mapped_column(JSON)

    contact: Mapped[Contact | None] = relationship()
    recorded_by: Mapped[Officer | None] = relationship(foreign_keys=[recorded_by_id])
    decided_by: Mapped[Officer | None] = relationship(foreign_keys=[decided_by_id])


class ErasedAccount(Base):
    """A platform account whose owner was erased, kept only as a hash of its user id, so
    the collectors drop that account's posts instead of collecting them again."""

    __tablename__ = "erased_accounts"
    __table_args__ = (UniqueConstraint("platform", "user_id_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[Platform] = mapped_column(text_enum(Platform, "platform", 20))
    user_id_hash: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("erasure_requests.id", ondelete="SET NULL")
    )
    erased_at: Mapped[datetime] = mapped_column(default=utc_now)
