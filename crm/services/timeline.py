"""A contact's timeline: everything that happened with them, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.models import Interaction, Officer, interaction_contacts
from crm.pagination import Page, paginate
from crm.services.visibility import visible_interactions

TIMELINE_PER_PAGE = 20


def contact_timeline(
    session: Session,
    contact_id: int,
    *,
    viewer: Officer,
    page: int = 1,
    per_page: int = TIMELINE_PER_PAGE,
) -> Page[Interaction]:
    """Call after get_contact has shown the viewer may see the contact; items that also
    involve someone hidden from the viewer are left out."""
    on_timeline = Interaction.id.in_(
        select(interaction_contacts.c.interaction_id).where(
            interaction_contacts.c.contact_id == contact_id
        )
    )
    statement = (
        select(Interaction)
        .where(on_timeline, visible_interactions(viewer))
        .options(selectinload(Interaction.logged_by), selectinload(Interaction.contacts))
        # id breaks ties, so two things logged for the same minute keep a stable order.
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
