"""Which records an officer may see. Every query for contacts, and for what hangs off them,
goes through here, so one rule decides."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select, true

from crm.models import (
    Contact,
    FollowUp,
    Interaction,
    Officer,
    OfficerRole,
    interaction_contacts,
)


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


def hidden_interaction_ids(viewer: Officer):
    return (
        select(interaction_contacts.c.interaction_id)
        .join(Contact, Contact.id == interaction_contacts.c.contact_id)
        .where(~visible_contacts(viewer))
    )


def visible_follow_ups(viewer: Officer) -> ColumnElement[bool]:
    """Follow-ups about a visible contact that did not come from a hidden interaction (its
    note may repeat what was said there)."""
    return and_(
        visible_contacts(viewer),
        or_(
            FollowUp.interaction_id.is_(None),
            FollowUp.interaction_id.not_in(hidden_interaction_ids(viewer)),
        ),
    )


def visible_interactions(viewer: Officer) -> ColumnElement[bool]:
    """Interactions that involve no contact hidden from the viewer."""
    return Interaction.id.not_in(hidden_interaction_ids(viewer))
