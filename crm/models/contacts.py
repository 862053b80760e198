"""Contacts (people and organisations), where they are, how they relate, and their accounts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
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


class ContactMethod(StrEnum):
    """How a person prefers to be contacted."""

    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"
    SOCIAL = "social"
    POST = "post"


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


class Theme(Base):
    """What an organisation works on: youth, health, housing, food, arts..."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Tag(Base):
    """A free label officers put on contacts."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


contact_tags = Table(
    "contact_tags",
    Base.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

organisation_themes = Table(
    "organisation_themes",
    Base.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The localities and wards an organisation serves (a person has one locality of their own).
organisation_localities = Table(
    "organisation_localities",
    Base.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "locality_id",
        ForeignKey("localities.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

organisation_wards = Table(
    "organisation_wards",
    Base.metadata,
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("ward_id", ForeignKey("wards.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CadenceTier(Base):
    """How often the council means to be in touch with a contact: "strategic partner, every
    30 days". Admins configure the tiers; an organisation has one, a person may override."""

    __tablename__ = "cadence_tiers"
    __table_args__ = (CheckConstraint("days >= 1", name="days_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    days: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)


class Contact(Base):
    """A person or an organisation: one table, so one timeline query serves both."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("cadence_days IS NULL OR cadence_days >= 1", name="cadence_days_positive"),
    )

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
    # Stay in touch: the tier's cadence, unless `cadence_days` overrides it.
    cadence_tier_id: Mapped[int | None] = mapped_column(
        ForeignKey("cadence_tiers.id", ondelete="SET NULL"), index=True
    )
    cadence_days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)

    locality: Mapped[Locality | None] = relationship()
    cadence_tier: Mapped[CadenceTier | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=contact_tags, order_by="Tag.name")
    ward: Mapped[Ward | None] = relationship()
    owner: Mapped[Officer | None] = relationship()
    accounts: Mapped[list[SocialAccount]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="SocialAccount.platform"
    )

    __mapper_args__ = {"polymorphic_on": "kind"}  # noqa: RUF012

    @property
    def is_organisation(self) -> bool:
        return self.kind is ContactKind.ORGANISATION

    @property
    def cadence(self) -> int | None:
        """Days between touches the council means to keep, if any."""
        if self.cadence_days is not None:
            return self.cadence_days
        return self.cadence_tier.days if self.cadence_tier is not None else None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"


class Organisation(Contact):
    organisation_type: Mapped[OrganisationType | None] = mapped_column(
        text_enum(OrganisationType, "organisation_type")
    )
    charity_number: Mapped[str | None] = mapped_column(String(20), index=True)
    companies_house_number: Mapped[str | None] = mapped_column(String(20), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)

    themes: Mapped[list[Theme]] = relationship(secondary=organisation_themes, order_by="Theme.name")
    localities_served: Mapped[list[Locality]] = relationship(
        secondary=organisation_localities, order_by="Locality.name"
    )
    wards_served: Mapped[list[Ward]] = relationship(
        secondary=organisation_wards, order_by="Ward.name"
    )

    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="organisation",
        foreign_keys="Affiliation.organisation_id",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"polymorphic_identity": ContactKind.ORGANISATION}  # noqa: RUF012


class Person(Contact):
    job_title: Mapped[str | None] = mapped_column(String(200))
    preferred_contact_method: Mapped[ContactMethod | None] = mapped_column(
        text_enum(ContactMethod, "contact_method", 20)
    )

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
    """An account of a contact on a platform, keyed by the platform's immutable user id.

    An officer may add an account by its handle alone; until the scheduler process looks the
    handle up, `platform_user_id` is empty and no post is matched to the account.
    """

    __tablename__ = "social_accounts"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform] = mapped_column(text_enum(Platform, "platform", 20))
    platform_user_id: Mapped[str | None] = mapped_column(String(100))
    handle: Mapped[str] = mapped_column(String(200))
    is_official: Mapped[bool] = mapped_column(default=False)
    # Why the scheduler's look-up of the handle found no id (no such account, suspended, or
    # already another contact's), and when: admins see it, and it is not asked again at once.
    lookup_problem: Mapped[str | None] = mapped_column(Text)
    lookup_failed_at: Mapped[datetime | None]

    contact: Mapped[Contact] = relationship(back_populates="accounts")


class OwnerHandover(Base):
    """A change of a contact's owning officer, with the note the old owner left."""

    __tablename__ = "owner_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    from_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    to_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    handed_over_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="SET NULL")
    )
    handed_over_at: Mapped[datetime] = mapped_column(default=utc_now)
    note: Mapped[str] = mapped_column(Text, default="")

    from_officer: Mapped[Officer | None] = relationship(foreign_keys=[from_officer_id])
    to_officer: Mapped[Officer | None] = relationship(foreign_keys=[to_officer_id])
    handed_over_by: Mapped[Officer | None] = relationship(foreign_keys=[handed_over_by_id])


class ContactMerge(Base):
    """Two contacts made one: the duplicate is gone, so its name and id are kept here."""

    __tablename__ = "contact_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    merged_contact_id: Mapped[int]
    merged_name: Mapped[str] = mapped_column(String(300))
    # How many interactions, follow-ups, accounts and affiliations moved.
    moved: Mapped[dict] = mapped_column(JSON, default=dict)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(default=utc_now)

    merged_by: Mapped[Officer | None] = relationship()
