"""A contact's timeline: collected posts, logged interactions and follow-ups in one stream,
newest first, a page at a time.

Pages are keyset-paged: each page ends at a position and the next starts after it, so the
ten-thousandth item costs no more to reach than the first and nothing is skipped or shown
twice when new items arrive between pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, false, func, select
from sqlalchemy.orm import Session, selectinload

from crm.clock import LONDON
from crm.models import (
    Contact,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Officer,
    Organisation,
    Platform,
    interaction_contacts,
)
from crm.pagination import Page, paginate
from crm.sentiment import NEUTRAL_BAND, SentimentLabel
from crm.services.contacts import current_affiliations
from crm.services.timeline_position import (
    FOLLOW_UP_RANK,
    INTERACTION_RANK,
    Position,
    follow_up_moment,
    follow_up_position,
    interaction_position,
    older_than,
)
from crm.services.visibility import visible_follow_ups, visible_interactions

TIMELINE_PER_PAGE = 20
FOLLOW_UP_KIND = "follow_up"
TIMELINE_KINDS = (*(kind.value for kind in InteractionKind), FOLLOW_UP_KIND)
# A contact with at least this many links is "busy": its newest items are found by walking
# everyone's interactions newest first and keeping its own, which stops after a page instead
# of sorting all of them. A quiet contact's few items are simply sorted.
BUSY_LINKS = 2_000
# How far the walk goes (in everyone's interactions) before it gives up and sorts the
# contact's older items instead, as for a quiet contact: a bound on the work of one page.
WALK_LIMIT = 20_000

TimelineItem = Interaction | FollowUp


@dataclass(frozen=True)
class TimelineFilters:
    """What to show. Dates are London dates, both ends included."""

    kinds: frozenset[str] = frozenset()  # values of TIMELINE_KINDS; empty means every kind
    platform: Platform | None = None
    officer_id: int | None = None  # who logged an interaction, or has a follow-up
    since: date | None = None
    until: date | None = None
    sentiment: SentimentLabel | None = None
    include_people: bool = False  # an organisation's people's items too

    @property
    def narrowed(self) -> bool:
        """Whether anything is left out."""
        return any(
            (self.kinds, self.platform, self.officer_id, self.since, self.until, self.sentiment)
        )


@dataclass(frozen=True)
class TimelinePage:
    items: Sequence[TimelineItem]
    older_cursor: str | None  # where the next, older page starts; None on the last page
    is_newest: bool  # the page starts at the newest item


def timeline_page(
    session: Session,
    contact: Contact,
    *,
    viewer: Officer,
    filters: TimelineFilters = TimelineFilters(),
    cursor: str | None = None,
    per_page: int = TIMELINE_PER_PAGE,
) -> TimelinePage:
    """One page of the contact's timeline, after `cursor` (from a previous page's
    older_cursor). Call after get_contact has shown the viewer may see the contact; items
    that also involve someone hidden from the viewer are left out."""
    after = Position.from_cursor(cursor)
    contact_ids = _contact_ids(session, contact, viewer, filters)
    wanted = per_page + 1
    interactions = _interactions(session, contact_ids, viewer, filters, after, wanted)
    # With a full page of interactions, no follow-up older than all of them can make the page.
    not_before = interactions[-1].occurred_at if len(interactions) == wanted else None
    follow_ups = _follow_ups(session, contact_ids, viewer, filters, after, wanted, not_before)
    found: list[tuple[Position, TimelineItem]] = [
        *((interaction_position(item), item) for item in interactions),
        *((follow_up_position(item), item) for item in follow_ups),
    ]
    found.sort(key=lambda pair: pair[0], reverse=True)
    shown = found[:per_page]
    older = shown[-1][0].cursor() if len(found) > per_page else None
    return TimelinePage(
        items=[item for _, item in shown], older_cursor=older, is_newest=after is None
    )


def _contact_ids(
    session: Session, contact: Contact, viewer: Officer, filters: TimelineFilters
) -> list[int]:
    if not (filters.include_people and isinstance(contact, Organisation)):
        return [contact.id]
    people = current_affiliations(session, contact, viewer=viewer)
    return [contact.id, *sorted({affiliation.person_id for affiliation in people})]


def _interactions(
    session: Session,
    contact_ids: list[int],
    viewer: Officer,
    filters: TimelineFilters,
    after: Position | None,
    wanted: int,
) -> list[Interaction]:
    if not _shows_interactions(filters):
        return []
    conditions = [
        *_interaction_filters(filters),
        older_than(after, Interaction.occurred_at, Interaction.id, INTERACTION_RANK),
        visible_interactions(viewer),
    ]
    linked = select(interaction_contacts.c.interaction_id).where(
        interaction_contacts.c.contact_id.in_(contact_ids)
    )
    if _thins_out(filters) or not _is_busy(session, contact_ids):
        return _newest(session, [*conditions, Interaction.id.in_(linked)], wanted)
    floor = _walk_floor(session, after, filters)
    walked = linked.where(interaction_contacts.c.interaction_id == Interaction.id).exists()
    if floor is not None:
        walked = and_(walked, Interaction.occurred_at >= floor)
    # The link test first: it rules out most of what the walk passes, cheaply.
    found = _newest(session, [walked, *conditions], wanted)
    if len(found) == wanted or floor is None:
        return found
    # The walk saw everything from the floor up: the rest are older, and few enough to sort.
    older = [*conditions, Interaction.occurred_at < floor, Interaction.id.in_(linked)]
    return found + _newest(session, older, wanted - len(found))


def _thins_out(filters: TimelineFilters) -> bool:
    """Filters that leave few of a contact's items in any stretch of time, so a walk would
    rarely fill a page before it gave up. (A date range only shortens the walk.)"""
    return any((filters.kinds, filters.platform, filters.officer_id, filters.sentiment))


def _is_busy(session: Session, contact_ids: list[int]) -> bool:
    # Only the indexed column, so counting reads the index alone.
    links = (
        select(interaction_contacts.c.contact_id)
        .where(interaction_contacts.c.contact_id.in_(contact_ids))
        .limit(BUSY_LINKS)
        .subquery()
    )
    return (session.scalar(select(func.count()).select_from(links)) or 0) >= BUSY_LINKS


def _walk_floor(
    session: Session, after: Position | None, filters: TimelineFilters
) -> datetime | None:
    """The moment WALK_LIMIT interactions back from where the page starts, if there are
    that many: read from the index on occurred_at alone."""
    statement = (
        select(Interaction.occurred_at)
        .where(*_date_range(Interaction.occurred_at, filters))
        .order_by(Interaction.occurred_at.desc())
        .offset(WALK_LIMIT)
        .limit(1)
    )
    if after is not None:
        statement = statement.where(Interaction.occurred_at <= after.moment)
    return session.scalar(statement)


def _newest(
    session: Session, conditions: Sequence[ColumnElement[bool]], limit: int
) -> list[Interaction]:
    statement: Select[tuple[Interaction]] = (
        select(Interaction)
        .where(*conditions)
        .options(selectinload(Interaction.logged_by), selectinload(Interaction.contacts))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _shows_interactions(filters: TimelineFilters) -> bool:
    return not filters.kinds or bool(filters.kinds - {FOLLOW_UP_KIND})


def _interaction_filters(filters: TimelineFilters) -> list[ColumnElement[bool]]:
    conditions = list(_date_range(Interaction.occurred_at, filters))
    if filters.kinds:
        conditions.append(Interaction.kind.in_(sorted(filters.kinds - {FOLLOW_UP_KIND})))
    if filters.platform is not None:
        conditions.append(Interaction.platform == filters.platform)
    if filters.officer_id is not None:
        conditions.append(Interaction.logged_by_id == filters.officer_id)
    if filters.sentiment is not None:
        conditions.append(_sentiment_label() == filters.sentiment.value)
    return conditions


def _sentiment_label() -> ColumnElement[str | None]:
    """Interaction.sentiment_label in SQL: an officer's reading first, else TextBlob's."""
    polarity = Interaction.sentiment_polarity
    return case(
        (Interaction.sentiment_override.is_not(None), Interaction.sentiment_override),
        (polarity > NEUTRAL_BAND, SentimentLabel.POSITIVE.value),
        (polarity < -NEUTRAL_BAND, SentimentLabel.NEGATIVE.value),
        (polarity.is_not(None), SentimentLabel.NEUTRAL.value),
        else_=None,
    )


def _follow_ups(
    session: Session,
    contact_ids: list[int],
    viewer: Officer,
    filters: TimelineFilters,
    after: Position | None,
    wanted: int,
    not_before: datetime | None,
) -> list[FollowUp]:
    if filters.kinds and FOLLOW_UP_KIND not in filters.kinds:
        return []
    if filters.platform is not None or filters.sentiment is not None:
        return []  # only collected posts have a platform and a sentiment
    moment = follow_up_moment(session)
    conditions = [
        FollowUp.contact_id.in_(contact_ids),
        # A dismissed follow-up never happened; it stays on the follow-up's own page. (Said
        # as "not dismissed" so SQLite reads follow-ups by contact, not by status.)
        FollowUp.status != FollowUpStatus.DISMISSED,
        visible_follow_ups(viewer),
        older_than(after, moment, FollowUp.id, FOLLOW_UP_RANK),
        *_date_range(moment, filters),
    ]
    if filters.officer_id is not None:
        conditions.append(FollowUp.assignee_id == filters.officer_id)
    if not_before is not None:
        conditions.append(moment >= not_before)
    statement = (
        select(FollowUp)
        .join(Contact, Contact.id == FollowUp.contact_id)
        .where(*conditions)
        .options(selectinload(FollowUp.assignee), selectinload(FollowUp.contact))
        .order_by(moment.desc(), FollowUp.id.desc())
        .limit(wanted)
    )
    return list(session.scalars(statement))


def _date_range(
    moment: ColumnElement[datetime], filters: TimelineFilters
) -> list[ColumnElement[bool]]:
    conditions = []
    if filters.since is not None:
        conditions.append(moment >= london_midnight(filters.since))
    if filters.until is not None:
        conditions.append(moment < london_midnight(filters.until + timedelta(days=1)))
    if filters.since and filters.until and filters.since > filters.until:
        conditions.append(false())
    return conditions


def london_midnight(day: date) -> datetime:
    """The moment a London date begins, in UTC."""
    return datetime.combine(day, time(), tzinfo=LONDON).astimezone(UTC)


def contact_timeline(
    session: Session,
    contact_id: int,
    *,
    viewer: Officer,
    page: int = 1,
    per_page: int = TIMELINE_PER_PAGE,
) -> Page[Interaction]:
    """The contact's interactions by page number, for the API. Call after get_contact has
    shown the viewer may see the contact."""
    on_timeline = Interaction.id.in_(
        select(interaction_contacts.c.interaction_id).where(
            interaction_contacts.c.contact_id == contact_id
        )
    )
    statement = (
        select(Interaction)
        .where(on_timeline, visible_interactions(viewer))
        .options(selectinload(Interaction.logged_by), selectinload(Interaction.contacts))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    )
    return paginate(session, statement, page=page, per_page=per_page)


def recent_activity(session: Session, *, viewer: Officer, limit: int = 10) -> list[Interaction]:
    """The newest things that happened with anyone the viewer may see, for the home page."""
    return list(
        session.scalars(
            select(Interaction)
            .where(visible_interactions(viewer))
            .options(selectinload(Interaction.contacts), selectinload(Interaction.logged_by))
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
        )
    )
