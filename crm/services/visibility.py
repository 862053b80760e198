"""Which records an officer may see. Every query for contacts, and for what hangs off them,
goes through here, so one rule decides."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from crm.models import Contact, Interaction, Officer, OfficerRole, interaction_contacts


def visible_contacts(viewer: Officer) -> ColumnElement[bool]:
    """Every unrestricted contact, and restricted ones owned by the viewer or their team.

    Information governance sees everything: answering subject access and erasure requests
    is their job.
    """
    if viewer.role is OfficerRole.INFORMATION_GOVERNANCE:
        return true()
    allowed = or_(Contact.is_restricted.is_(False), Contact.owner_id == viewer.id)
    if viewer.team_id is not None:
        team = select(Officer.id).where(Officer.team_id == viewer.team_id)
        allowed = or_(allowed, Contact.owner_id.in_(team))
    return allowed


def visible_interactions(viewer: Officer) -> ColumnElement[bool]:
    """Interactions that involve no contact hidden from the viewer."""
    hidden = (
        select(interaction_contacts.c.interaction_id)
        .join(Contact, Contact.id == interaction_contacts.c.contact_id)
        .where(~visible_contacts(viewer))
    )
    return Interaction.id.not_in(hidden)
