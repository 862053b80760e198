"""What the collectors remember between runs: cursors, and a record of every run."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.clock import utc_now
from crm.models.base import Base
from crm.models.enums import text_enum


class RunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"


class CollectorCursor(Base):
    """How far a source has read for one target (for X, the newest post id seen)."""

    __tablename__ = "collector_cursors"
    __table_args__ = (UniqueConstraint("source", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class CollectorRun(Base):
    __tablename__ = "collector_runs"
    __table_args__ = (Index("ix_collector_runs_source_started_at", "source", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    status: Mapped[RunStatus] = mapped_column(
        text_enum(RunStatus, "run_status", 20), default=RunStatus.RUNNING
    )
    pages: Mapped[int] = mapped_column(default=0)
    fetched: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
