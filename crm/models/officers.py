"""Officers: the council staff who sign in to Weaver."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.enums import text_enum


class OfficerRole(StrEnum):
    """What an officer may do; see crm.permissions for what each role is allowed."""

    ADMIN = "admin"
    TEAM_LEAD = "team_lead"
    OFFICER = "officer"
    VIEWER = "viewer"
    INFORMATION_GOVERNANCE = "information_governance"


SECOND_FACTOR_ROLES = frozenset({OfficerRole.ADMIN, OfficerRole.INFORMATION_GOVERNANCE})


class Team(Base):
    """A group of officers under a team lead, who sees and reassigns the team's work."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Officer(Base):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[OfficerRole] = mapped_column(
        text_enum(OfficerRole, "officer_role"), default=OfficerRole.OFFICER
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    # What a signed-in browser holds instead of the id: changing it ends every session at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # The TOTP secret of an officer's authenticator app, when they have set one up.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last 30-second step a code was accepted for: a code works once.
    totp_last_step: Mapped[int | None]
    # The SHA-256 of the secret in the officer's calendar feed URL; empty when revoked.
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    team: Mapped[Team | None] = relationship()

    @property
    def is_admin(self) -> bool:
        return self.role is OfficerRole.ADMIN

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def must_set_up_two_factor(self) -> bool:
        """Admins and information governance (who see every record) must use a second
        factor; everyone else may."""
        return self.role in SECOND_FACTOR_ROLES and not self.has_two_factor

    def __repr__(self) -> str:
        return f"<Officer {self.id} {self.email}>"
