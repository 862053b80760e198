"""Which records an officer may see. Every query for contacts, and for what hangs off them,
goes through here, so one rule decides."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import aliased

from crm.models import (
    Contact,
    FollowUp,
    Interaction,
    Officer,
    OfficerRole,
    interaction_contacts,
)

# Aliases keep these subqueries from correlating with the officers, links or contacts of the
# query they sit in. Made once: building an alias costs more than the query it serves.
_COLLEAGUE = aliased(Officer, name="colleague")
_HIDDEN_LINKS = interaction_contacts.alias("hidden_links")
_HIDDEN_CONTACT = aliased(Contact, name="hidden_contact")


def visible_contacts(viewer: Officer, contact: type[Contact] = Contact) -> ColumnElement[bool]:
    """Every unrestricted contact, and restricted ones owned by the viewer or their team.

    Information governance sees everything: answering subject access and erasure requests
    is their job. `contact` may be an alias of Contact, for a subquery about other contacts.
    """
    return _visible_contacts(_Viewer.of(viewer), contact)


def visible_follow_ups(viewer: Officer) -> ColumnElement[bool]:
    """Follow-ups about a visible contact that did not come from a hidden interaction (its
    note may repeat what was said there)."""
    return _visible_follow_ups(_Viewer.of(viewer))


def visible_interactions(viewer: Officer) -> ColumnElement[bool]:
    """Interactions that involve no contact hidden from the viewer."""
    return _visible_interactions(_Viewer.of(viewer))


class _Viewer(NamedTuple):
    """What the rules depend on. The conditions are built once per viewer and reused: a
    contact page asks for them a dozen times, and building them cost more than running
    them."""

    role: OfficerRole
    id: int
    team_id: int | None

    @classmethod
    def of(cls, officer: Officer) -> _Viewer:
        return cls(officer.role, officer.id, officer.team_id)


@lru_cache(maxsize=256)
def _visible_contacts(viewer: _Viewer, contact: type[Contact]) -> ColumnElement[bool]:
    if viewer.role is OfficerRole.INFORMATION_GOVERNANCE:
        return true()
    allowed = or_(contact.is_restricted.is_(False), contact.owner_id == viewer.id)
    if viewer.team_id is not None:
        team = select(_COLLEAGUE.id).where(_COLLEAGUE.team_id == viewer.team_id)
        allowed = or_(allowed, contact.owner_id.in_(team))
    return allowed


@lru_cache(maxsize=256)
def _visible_follow_ups(viewer: _Viewer) -> ColumnElement[bool]:
    return and_(
        _visible_contacts(viewer, Contact),
        ~_involves_hidden_contact(viewer, FollowUp.interaction_id),
    )


@lru_cache(maxsize=256)
def _visible_interactions(viewer: _Viewer) -> ColumnElement[bool]:
    return ~_involves_hidden_contact(viewer, Interaction.id)


def _involves_hidden_contact(
    viewer: _Viewer, interaction_id: ColumnElement[int]
) -> ColumnElement[bool]:
    # Correlated, so a page of a timeline probes only its own rows' links: an uncorrelated
    # NOT IN would gather every hidden contact's interactions on every query (seconds, at
    # a million interactions).
    if viewer.role is OfficerRole.INFORMATION_GOVERNANCE:
        return false()
    links, member = _HIDDEN_LINKS, _HIDDEN_CONTACT
    # Hidden is said so that an owner of NULL (an officer removed) counts as hidden, not as
    # unknown.
    hidden = and_(
        member.is_restricted.is_(True),
        ~func.coalesce(_visible_contacts(viewer, member), False),
    )
    return (
        select(links.c.interaction_id)
        .join(member, member.id == links.c.contact_id)
        .where(links.c.interaction_id == interaction_id, hidden)
        .exists()
    )
