"""Where an item sits on a timeline, and the cursor that says where a page ended.

Items are ordered newest first by (moment, rank, id). Interactions rank above follow-ups at
the same moment; the id keeps two things logged for the same minute in a stable order. An
open follow-up sits at its due date (midnight UTC, which is always on that date in London);
a done one at the moment it was done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session

from crm.database import is_sqlite
from crm.models import FollowUp, FollowUpStatus, Interaction
from crm.models.base import UTCDateTime

INTERACTION_RANK = 1
FOLLOW_UP_RANK = 0
_CURSOR = re.compile(r"^(\d{8}T\d{6}\.\d{6})-([01])-(\d{1,18})$")


@dataclass(frozen=True, order=True)
class Position:
    moment: datetime
    rank: int
    id: int

    def cursor(self) -> str:
        """The position as text for an "Older" link."""
        return f"{self.moment.astimezone(UTC):%Y%m%dT%H%M%S.%f}-{self.rank}-{self.id}"

    @classmethod
    def from_cursor(cls, text: str | None) -> Position | None:
        """The position a cursor names, or None for a missing or mangled one."""
        match = _CURSOR.match(text or "")
        if match is None:
            return None
        try:
            moment = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
        except ValueError:
            return None
        return cls(moment, int(match.group(2)), int(match.group(3)))


def interaction_position(interaction: Interaction) -> Position:
    return Position(interaction.occurred_at, INTERACTION_RANK, interaction.id)


def follow_up_position(follow_up: FollowUp) -> Position:
    if follow_up.status is FollowUpStatus.DONE and follow_up.completed_at is not None:
        return Position(follow_up.completed_at, FOLLOW_UP_RANK, follow_up.id)
    midnight = datetime.combine(follow_up.due_on, datetime.min.time(), UTC)
    return Position(midnight, FOLLOW_UP_RANK, follow_up.id)


def follow_up_moment(session: Session) -> ColumnElement[datetime]:
    """follow_up_position in SQL, comparable with stored moments on either database."""
    if is_sqlite(session):
        # SQLite keeps moments as text in this shape; text order is time order.
        midnight = type_coerce(FollowUp.due_on, String()).concat(" 00:00:00.000000")
    else:
        midnight = func.timezone("UTC", cast(FollowUp.due_on, DateTime))
    done = and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.completed_at.is_not(None))
    return type_coerce(case((done, FollowUp.completed_at), else_=midnight), UTCDateTime())


def older_than(
    cursor: Position | None,
    moment: ColumnElement[datetime],
    item_id: ColumnElement[int],
    rank: int,
) -> ColumnElement[bool]:
    """Rows of one kind (one rank) that come after the cursor, newest first."""
    if cursor is None:
        return true()
    at = literal(cursor.moment, UTCDateTime())
    if rank < cursor.rank:
        return moment <= at
    if rank > cursor.rank:
        return moment < at
    # The first bound alone is what an index on the moment can use.
    return and_(moment <= at, or_(moment < at, and_(moment == at, item_id < cursor.id)))
