"""A contact's timeline: everything that happened with them, newest first."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from crm.models import Interaction, interaction_contacts
from crm.pagination import Page, clamp_page

TIMELINE_PER_PAGE = 20


def contact_timeline(
    session: Session, contact_id: int, *, page: int = 1, per_page: int = TIMELINE_PER_PAGE
) -> Page[Interaction]:
    on_timeline = Interaction.id.in_(
        select(interaction_contacts.c.interaction_id).where(
            interaction_contacts.c.contact_id == contact_id
        )
    )
    page = clamp_page(page)
    total = session.scalar(select(func.count()).select_from(Interaction).where(on_timeline)) or 0
    items = session.scalars(
        select(Interaction)
        .where(on_timeline)
        .options(selectinload(Interaction.logged_by), selectinload(Interaction.contacts))
        # id breaks ties, so two things logged for the same minute keep a stable order.
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items=items, number=page, per_page=per_page, total=total)


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
