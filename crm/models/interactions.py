"""Interactions: collected posts and logged encounters, on one timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.contacts import Contact, Platform
from crm.models.enums import text_enum
from crm.models.officers import Officer
from crm.sentiment import SentimentLabel, label_for


class InteractionKind(StrEnum):
    POST = "post"
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    EVENT = "event"
    COFFEE = "coffee"
    SOCIAL_REPLY = "social_reply"
    OTHER = "other"


LOGGABLE_KINDS = tuple(kind for kind in InteractionKind if kind is not InteractionKind.POST)


interaction_contacts = Table(
    "interaction_contacts",
    Base.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    # Why a post is linked: its author, a mention, a reply, or an officer's decision.
    Column("evidence", String(20)),
    # The timeline reads this table by contact.
    Index("ix_interaction_contacts_contact_id", "contact_id"),
)


class Interaction(Base):
    """Something that happened with one or more contacts.

    A collected post carries its platform and external id; the pair is unique, so storing
    the same post twice leaves one row. Logged interactions have neither and are never merged.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        CheckConstraint(
            "(kind = 'post' AND platform IS NOT NULL AND external_id IS NOT NULL)"
            " OR (kind <> 'post' AND external_id IS NULL)",
            name="posts_have_their_key",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InteractionKind] = mapped_column(
        text_enum(InteractionKind, "interaction_kind", 20)
    )
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[Platform | None] = mapped_column(text_enum(Platform, "platform", 20))
    external_id: Mapped[str | None] = mapped_column(String(100))
    author_platform_id: Mapped[str | None] = mapped_column(String(100))
    author_handle: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))
    sentiment_polarity: Mapped[float | None]
    sentiment_subjectivity: Mapped[float | None]
    # An officer's reading of the sentiment, when TextBlob's is wrong; recorded in the audit log.
    sentiment_override: Mapped[str | None] = mapped_column(String(20))
    sentiment_override_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    in_reply_to_external_id: Mapped[str | None] = mapped_column(String(100))
    in_reply_to_user_id: Mapped[str | None] = mapped_column(String(100))
    mentioned_user_ids: Mapped[list[str] | None] = mapped_column(JSON)
    language: Mapped[str | None] = mapped_column(String(20))
    # The fields of the platform's payload Weaver uses, kept so a post can be re-read.
    raw: Mapped[dict | None] = mapped_column(JSON)
    text_was_repaired: Mapped[bool] = mapped_column(default=False, server_default=false())
    text_was_truncated: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    logged_by: Mapped[Officer | None] = relationship(foreign_keys=[logged_by_id])
    contacts: Mapped[list[Contact]] = relationship(
        secondary=interaction_contacts, order_by="Contact.name"
    )

    @property
    def is_collected_post(self) -> bool:
        return self.kind is InteractionKind.POST

    @property
    def sentiment_label(self) -> SentimentLabel | None:
        """What officers see: their own reading if one was recorded, else TextBlob's."""
        if self.sentiment_override is not None:
            return SentimentLabel(self.sentiment_override)
        return self.automatic_sentiment_label

    @property
    def automatic_sentiment_label(self) -> SentimentLabel | None:
        """TextBlob's reading, whatever an officer said."""
        if self.sentiment_polarity is None:
            return None
        return label_for(self.sentiment_polarity)
