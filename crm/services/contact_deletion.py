"""Deleting a contact, and saying first what goes with it.

Interactions that involve only this contact go with it; those shared with other contacts stay
on their timelines. Its follow-ups, suggestions, accounts (and any listening on them),
affiliations and handover history go too. The audit log keeps who deleted what.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.orm import Session, aliased

from crm.models import (
    Affiliation,
    AuditAction,
    CollectionTarget,
    Contact,
    FollowUp,
    Interaction,
    Officer,
    SocialAccount,
    interaction_contacts,
)
from crm.services import audit
from crm.services.contact_editing import contact_snapshot
from crm.services.contacts import get_contact


@dataclass(frozen=True)
class DeletionImpact:
    interactions: int  # involve only this contact: deleted
    shared_interactions: int  # involve others too: kept on their timelines
    follow_ups: int
    accounts: int
    listening_targets: int
    affiliations: int


def deletion_impact(session: Session, contact_id: int, *, viewer: Officer) -> DeletionImpact:
    """What deleting the contact would remove, for the confirmation page."""
    contact = get_contact(session, contact_id, viewer=viewer)
    return _impact(session, contact.id)


def delete_contact(session: Session, contact_id: int, *, officer: Officer) -> DeletionImpact:
    contact = get_contact(session, contact_id, viewer=officer)
    impact = _impact(session, contact.id)
    before = {**contact_snapshot(contact), "removed": asdict(impact)}
    name = contact.name
    session.execute(
        delete(Interaction)
        .where(Interaction.id.in_(_only_here(contact.id)))
        .execution_options(synchronize_session=False)
    )
    # The database removes the rest (links, follow-ups, accounts, affiliations, handovers).
    session.execute(
        delete(Contact).where(Contact.id == contact.id).execution_options(synchronize_session=False)
    )
    session.expunge(contact)
    session.expire_all()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.DELETED,
        subject_type="contact",
        subject_id=contact_id,
        summary=f"Deleted {name}",
        before=before,
    )
    return impact


def _impact(session: Session, contact_id: int) -> DeletionImpact:
    linked = session.scalar(_count(interaction_contacts.c.contact_id == contact_id)) or 0
    only_here = session.scalar(select(func.count()).select_from(_only_here(contact_id).subquery()))
    return DeletionImpact(
        interactions=only_here or 0,
        shared_interactions=linked - (only_here or 0),
        follow_ups=_count_of(session, FollowUp, FollowUp.contact_id == contact_id),
        accounts=_count_of(session, SocialAccount, SocialAccount.contact_id == contact_id),
        listening_targets=session.scalar(
            select(func.count())
            .select_from(CollectionTarget)
            .join(SocialAccount, SocialAccount.id == CollectionTarget.account_id)
            .where(SocialAccount.contact_id == contact_id)
        )
        or 0,
        affiliations=_count_of(
            session,
            Affiliation,
            (Affiliation.person_id == contact_id) | (Affiliation.organisation_id == contact_id),
        ),
    )


def _only_here(contact_id: int) -> Select:
    """Ids of interactions linked to this contact and no other."""
    other = aliased(interaction_contacts)
    return select(interaction_contacts.c.interaction_id).where(
        interaction_contacts.c.contact_id == contact_id,
        ~exists().where(
            other.c.interaction_id == interaction_contacts.c.interaction_id,
            other.c.contact_id != contact_id,
        ),
    )


def _count(condition) -> Select:
    return select(func.count()).select_from(interaction_contacts).where(condition)


def _count_of(session: Session, model, condition) -> int:
    return session.scalar(select(func.count()).select_from(model).where(condition)) or 0
