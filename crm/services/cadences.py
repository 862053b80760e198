"""Stay-in-touch cadences: when each contact was last touched, and who is going cold.

A contact's cadence is its own `cadence_days` if an officer set one, else its tier's days.
The clock resets on any touch:

- a logged interaction (anything but a collected post) the contact is part of;
- a follow-up about the contact marked done;
- a social exchange with the council: a collected post linked both to the contact and to
  the council (the owner of an account a MENTIONS target listens to), where one of the two
  wrote it and the other was mentioned or replied to, in either direction.

Touches are found in SQL, one union for every contact, so the list stays quick at 50,000
contacts. A contact never touched counts from when it was added.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Float,
    Select,
    String,
    and_,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from crm.models import (
    CadenceTier,
    CollectionTarget,
    Contact,
    ContactKind,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionKind,
    Officer,
    Platform,
    SocialAccount,
    TargetKind,
    interaction_contacts,
)
from crm.models.base import UTCDateTime
from crm.services.matching import Evidence
from crm.services.visibility import visible_contacts, visible_interactions

FOLLOW_UP_DONE = "follow_up"
EXCHANGE_PREFIX = "exchange:"

_LOGGED_WORDS = {
    InteractionKind.MEETING: "Meeting logged",
    InteractionKind.CALL: "Call logged",
    InteractionKind.EMAIL: "Email logged",
    InteractionKind.EVENT: "Event logged",
    InteractionKind.COFFEE: "Coffee logged",
    InteractionKind.SOCIAL_REPLY: "Social media reply logged",
    InteractionKind.OTHER: "Interaction logged",
}
_PLATFORM_NAMES = {
    Platform.X: "X",
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.RSS: "a feed",
}
_CHUNK = 500


@dataclass(frozen=True)
class Touch:
    """When a contact was last touched, and how, in words an officer reads."""

    at: datetime
    how: str


@dataclass(frozen=True)
class ColdContact:
    contact: Contact
    cadence_days: int
    last_touch: Touch | None  # None: never touched, counted from when the contact was added
    overdue_days: int  # whole days past the cadence: 0 means less than a day


class days_between(FunctionElement[float]):
    """Days, with fractions, from the first moment to the second."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler, **kw) -> str:
    earlier, later = list(element.clauses)
    later_sql, earlier_sql = compiler.process(later, **kw), compiler.process(earlier, **kw)
    return f"(julianday({later_sql}) - julianday({earlier_sql}))"


@compiles(days_between)
def _days_between_postgresql(element: days_between, compiler, **kw) -> str:
    earlier, later = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
        f"{compiler.process(earlier, **kw)})) / 86400.0)"
    )


def council_contact_ids() -> Select[tuple[int]]:
    """The contacts that are the council itself: owners of accounts whose mentions we collect."""
    return (
        select(SocialAccount.contact_id)
        .join(CollectionTarget, CollectionTarget.account_id == SocialAccount.id)
        .where(CollectionTarget.kind == TargetKind.MENTIONS)
    )


def council_account_ids(session: Session) -> set[str]:
    """Platform user ids of the council's own accounts (those a MENTIONS target listens to)."""
    return set(
        session.scalars(
            select(SocialAccount.platform_user_id)
            .join(CollectionTarget, CollectionTarget.account_id == SocialAccount.id)
            .where(
                CollectionTarget.kind == TargetKind.MENTIONS,
                SocialAccount.platform_user_id.is_not(None),
            )
        )
    )


def effective_cadence() -> ColumnElement[int]:
    """A contact's own cadence if set, else its tier's; needs the outer join to CadenceTier."""
    return func.coalesce(Contact.cadence_days, CadenceTier.days)


def _touches(viewer: Officer | None = None):
    """Every touch of every contact: (contact_id, at, how-code), as one union. With a viewer,
    only interactions they may see (none involving a record hidden from them)."""
    shown = visible_interactions(viewer) if viewer is not None else true()
    logged = (
        select(
            interaction_contacts.c.contact_id.label("contact_id"),
            Interaction.occurred_at.label("at"),
            type_coerce(Interaction.kind, String).label("how"),
        )
        .join(Interaction, Interaction.id == interaction_contacts.c.interaction_id)
        .where(Interaction.kind != InteractionKind.POST, shown)
    )
    follow_ups = select(
        FollowUp.contact_id,
        FollowUp.completed_at,
        literal(FOLLOW_UP_DONE, String),
    ).where(FollowUp.status == FollowUpStatus.DONE, FollowUp.completed_at.is_not(None))
    contact_side = aliased(interaction_contacts)
    council_side = aliased(interaction_contacts)
    spoken = (Evidence.MENTION.value, Evidence.REPLY.value)
    exchanges = (
        select(
            contact_side.c.contact_id,
            Interaction.occurred_at,
            literal(EXCHANGE_PREFIX, String) + type_coerce(Interaction.platform, String),
        )
        .join(Interaction, Interaction.id == contact_side.c.interaction_id)
        .join(
            council_side,
            and_(
                council_side.c.interaction_id == contact_side.c.interaction_id,
                council_side.c.contact_id != contact_side.c.contact_id,
            ),
        )
        .where(
            Interaction.kind == InteractionKind.POST,
            shown,
            council_side.c.contact_id.in_(council_contact_ids()),
            or_(
                and_(
                    contact_side.c.evidence == Evidence.AUTHOR.value,
                    council_side.c.evidence.in_(spoken),
                ),
                and_(
                    council_side.c.evidence == Evidence.AUTHOR.value,
                    contact_side.c.evidence.in_(spoken),
                ),
            ),
        )
    )
    return union_all(logged, follow_ups, exchanges).subquery("touches")


def _last_touch_times():
    """When each touched contact was last touched: (contact_id, at), grouped in the database."""
    touches = _touches()
    return (
        select(
            touches.c.contact_id,
            # max() loses the column's type on SQLite; coerce it back so it compares as UTC.
            type_coerce(func.max(touches.c.at), UTCDateTime()).label("at"),
        )
        .group_by(touches.c.contact_id)
        .subquery("last_touch_times")
    )


def _latest_touches(contact_ids: Iterable[int], viewer: Officer | None):
    """Each contact's most recent touch: (contact_id, at, how), one row per touched contact."""
    touches = _touches(viewer)
    ranked = select(
        touches.c.contact_id,
        type_coerce(touches.c.at, UTCDateTime()).label("at"),
        touches.c.how,
        func.row_number()
        .over(
            partition_by=touches.c.contact_id,
            order_by=(touches.c.at.desc(), touches.c.how),
        )
        .label("rank"),
    )
    ranked = ranked.where(touches.c.contact_id.in_(list(contact_ids)))
    ranked_subquery = ranked.subquery("ranked")
    return (
        select(ranked_subquery.c.contact_id, ranked_subquery.c.at, ranked_subquery.c.how)
        .where(ranked_subquery.c.rank == 1)
        .subquery("latest_touches")
    )


def describe_touch(how: str) -> str:
    """A touch's code from the query, in words."""
    if how == FOLLOW_UP_DONE:
        return "Follow-up completed"
    if how.startswith(EXCHANGE_PREFIX):
        platform = how.removeprefix(EXCHANGE_PREFIX)
        name = _PLATFORM_NAMES.get(Platform(platform), platform) if platform else "social media"
        return f"Exchange with the council on {name}"
    return _LOGGED_WORDS.get(InteractionKind(how), "Interaction logged")


def last_touches(
    session: Session, contact_ids: Collection[int], *, viewer: Officer | None = None
) -> dict[int, Touch]:
    """The last touch of each of these contacts that has ever been touched; with a viewer,
    the last they may see. (How overdue a contact is counts every touch.)"""
    ids = sorted(set(contact_ids))
    found: dict[int, Touch] = {}
    for start in range(0, len(ids), _CHUNK):
        latest = _latest_touches(ids[start : start + _CHUNK], viewer)
        for contact_id, at, how in session.execute(select(latest)):
            found[contact_id] = Touch(at=at, how=describe_touch(how))
    return found


def going_cold(
    session: Session,
    *,
    viewer: Officer,
    owner_ids: Collection[int] | None,
    now: datetime,
    limit: int | None = None,
    offset: int = 0,
) -> list[ColdContact]:
    """Contacts the viewer may see whose cadence has run out, most overdue first.

    `owner_ids` narrows the list to contacts those officers own; None means everyone's.
    `limit` and `offset` page through a long list.
    """
    statement = _going_cold_statement(viewer=viewer, owner_ids=owner_ids, now=now).options(
        selectinload(Contact.cadence_tier), selectinload(Contact.owner)
    )
    if limit is not None:
        statement = statement.limit(limit)
    statement = statement.offset(offset)
    rows = session.execute(statement).all()
    # How each was last touched is read only for the contacts on this page.
    touches = last_touches(session, [contact.id for contact, _, _ in rows], viewer=viewer)
    return [
        ColdContact(
            contact=contact,
            cadence_days=cadence,
            last_touch=touches.get(contact.id),
            overdue_days=math.floor(overdue),
        )
        for contact, cadence, overdue in rows
    ]


def count_going_cold(
    session: Session, *, viewer: Officer, owner_ids: Collection[int] | None, now: datetime
) -> int:
    statement = _going_cold_statement(viewer=viewer, owner_ids=owner_ids, now=now).order_by(None)
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def cold_organisation_ids(session: Session, *, now: datetime) -> set[int]:
    """Every organisation going cold, whoever may see it: for the suggestion rules."""
    statement = _going_cold_statement(viewer=None, owner_ids=None, now=now)
    ids = statement.with_only_columns(Contact.id).where(Contact.kind == ContactKind.ORGANISATION)
    return set(session.scalars(ids.order_by(None)))


def _going_cold_statement(
    *, viewer: Officer | None, owner_ids: Collection[int] | None, now: datetime
) -> Select:
    latest = _last_touch_times()
    cadence = effective_cadence()
    since = func.coalesce(latest.c.at, Contact.created_at)
    overdue = days_between(since, literal(now, UTCDateTime())) - cadence
    statement = (
        select(Contact, cadence, overdue)
        .outerjoin(CadenceTier, CadenceTier.id == Contact.cadence_tier_id)
        .outerjoin(latest, latest.c.contact_id == Contact.id)
        .where(cadence.is_not(None), overdue > 0)
        .order_by(overdue.desc(), Contact.name, Contact.id)
    )
    if viewer is not None:
        statement = statement.where(visible_contacts(viewer))
    if owner_ids is not None:
        statement = statement.where(Contact.owner_id.in_(list(owner_ids)))
    return statement
