"""Recording collector runs, so officers and admins can see that listening is alive."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import utc_now
from crm.models import CollectorRun, RunStatus

HEARTBEAT_SOURCE = "heartbeat"


def record_heartbeat(session: Session) -> CollectorRun:
    """The scheduler's proof of life: a run that starts and finishes at once."""
    now = utc_now()
    run = CollectorRun(
        source=HEARTBEAT_SOURCE, target="", started_at=now, finished_at=now, status=RunStatus.OK
    )
    session.add(run)
    session.flush()
    return run


def latest_run(session: Session, source: str) -> CollectorRun | None:
    return session.scalar(
        select(CollectorRun)
        .where(CollectorRun.source == source)
        .order_by(CollectorRun.started_at.desc(), CollectorRun.id.desc())
        .limit(1)
    )
