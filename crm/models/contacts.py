"""Contacts (people and organisations), where they are, how they relate, and their accounts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.enums import text_enum
from crm.models.officers import Officer


class ContactKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class OrganisationType(StrEnum):
    CHARITY = "charity"
    CIO = "cio"
    COMMUNITY_GROUP = "community_group"
    FAITH_GROUP = "faith_group"
    SOCIAL_ENTERPRISE = "social_enterprise"
    CVS_INFRASTRUCTURE = "cvs_infrastructure"
    PUBLIC_BODY = "public_body"
    SCHOOL = "school"


class Platform(StrEnum):
    X = "x"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    RSS = "rss"


class Locality(Base):
    __tablename__ = "localities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    wards: Mapped[list[Ward]] = relationship(back_populates="locality", order_by="Ward.name")


class Ward(Base):
    __tablename__ = "wards"
    __table_args__ = (UniqueConstraint("locality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("localities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    locality: Mapped[Locality] = relationship(back_populates="wards")


class Contact(Base):
    """A person or an organisation: one table, so one timeline query serves both."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ContactKind] = mapped_column(text_enum(ContactKind, "contact_kind", 20))
    name: Mapped[str] = mapped_column(String(300), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    locality_id: Mapped[int | None] = mapped_column(
        ForeignKey("localities.id", ondelete="SET NULL"), index=True
    )
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("wards.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL"), index=True
    )
    # A private individual's record: only the owner, their team and information governance
    # may see it (crm.services.visibility).
    is_restricted: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    locality: Mapped[Locality | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    owner: Mapped[Officer | None] = relationship()
    accounts: Mapped[list[SocialAccount]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="SocialAccount.platform"
    )

    __mapper_args__ = {"polymorphic_on": "kind"}  # noqa: RUF012

    @property
    def is_organisation(self) -> bool:
        return self.kind is ContactKind.ORGANISATION

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"


class Organisation(Contact):
    organisation_type: Mapped[OrganisationType | None] = mapped_column(
        text_enum(OrganisationType, "organisation_type")
    )
    charity_number: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)

    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="organisation",
        foreign_keys="Affiliation.organisation_id",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"polymorphic_identity": ContactKind.ORGANISATION}  # noqa: RUF012


class Person(Contact):
    job_title: Mapped[str | None] = mapped_column(String(200))

    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="person",
        foreign_keys="Affiliation.person_id",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"polymorphic_identity": ContactKind.PERSON}  # noqa: RUF012


class Affiliation(Base):
    """A person's role in an organisation over a period."""

    __tablename__ = "affiliations"
    __table_args__ = (
        CheckConstraint(
            "ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on",
            name="dates_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]

    person: Mapped[Person] = relationship(back_populates="affiliations", foreign_keys=[person_id])
    organisation: Mapped[Organisation] = relationship(
        back_populates="affiliations", foreign_keys=[organisation_id]
    )


class SocialAccount(Base):
    """An account of a contact on a platform, keyed by the platform's immutable user id."""

    __tablename__ = "social_accounts"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform] = mapped_column(text_enum(Platform, "platform", 20))
    platform_user_id: Mapped[str] = mapped_column(String(100))
    handle: Mapped[str] = mapped_column(String(200))
    is_official: Mapped[bool] = mapped_column(default=False)

    contact: Mapped[Contact] = relationship(back_populates="accounts")
