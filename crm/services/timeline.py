"""A contact's timeline: everything that happened with them, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.models import Interaction, interaction_contacts
from crm.pagination import Page, paginate

TIMELINE_PER_PAGE = 20


def contact_timeline(
    session: Session, contact_id: int, *, page: int = 1, per_page: int = TIMELINE_PER_PAGE
) -> Page[Interaction]:
    on_timeline = Interaction.id.in_(
        select(interaction_contacts.c.interaction_id).where(
            interaction_contacts.c.contact_id == contact_id
        )
    )
    statement = (
        select(Interaction)
        .where(on_timeline)
        .options(selectinload(Interaction.logged_by), selectinload(Interaction.contacts))
        # id breaks ties, so two things logged for the same minute keep a stable order.
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    )
    return paginate(session, statement, page=page, per_page=per_page)


def recent_activity(session: Session, *, limit: int = 10) -> list[Interaction]:
    """The newest things that happened with anyone, for the home page."""
    return list(
        session.scalars(
            select(Interaction)
            .options(selectinload(Interaction.contacts), selectinload(Interaction.logged_by))
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
        )
    )
