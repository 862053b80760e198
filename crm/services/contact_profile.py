"""Everything a contact's page shows beside its timeline: details, people or organisations,
accounts with their earlier handles, and the history of who managed the relationship."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from crm.models import (
    Affiliation,
    Contact,
    ContactMerge,
    HandleChange,
    Locality,
    Officer,
    Organisation,
    OwnerHandover,
    SocialAccount,
    Tag,
    Theme,
    Ward,
)
from crm.services.affiliations import affiliations_of
from crm.services.contact_editing import handover_history
from crm.services.merging import merges_into
from crm.services.social_accounts import handle_history


@dataclass(frozen=True)
class AccountWithHistory:
    account: SocialAccount
    earlier_handles: Sequence[HandleChange]


@dataclass(frozen=True)
class ContactProfile:
    tags: Sequence[Tag]
    themes: Sequence[Theme]
    localities_served: Sequence[Locality]
    wards_served: Sequence[Ward]
    affiliations: Sequence[Affiliation]
    accounts: Sequence[AccountWithHistory]
    handovers: Sequence[OwnerHandover]
    merges: Sequence[ContactMerge]


def contact_profile(session: Session, contact: Contact, *, viewer: Officer) -> ContactProfile:
    """The profile of a contact the caller has already found visible to the viewer."""
    history = handle_history(session, [account.id for account in contact.accounts])
    is_organisation = isinstance(contact, Organisation)
    return ContactProfile(
        tags=list(contact.tags),
        themes=list(contact.themes) if is_organisation else [],
        localities_served=list(contact.localities_served) if is_organisation else [],
        wards_served=list(contact.wards_served) if is_organisation else [],
        affiliations=affiliations_of(session, contact, viewer=viewer),
        accounts=[
            AccountWithHistory(account=account, earlier_handles=history.get(account.id, []))
            for account in contact.accounts
        ],
        handovers=handover_history(session, contact.id),
        merges=merges_into(session, contact.id),
    )
