"""Merging two records of the same organisation or person into one.

The officer picks the record that stays (the survivor). Everything hanging off the other one
moves to it: interaction links, follow-ups, suggestions, accounts (with their handle history
and listening), affiliations, tags, themes, areas served, handovers, earlier merges and
erasure requests. Where both already had the same thing (an interaction involving both, the
same tag) it is kept once. The survivor keeps its own details and takes the duplicate's only
where its own are blank. Then the duplicate is deleted and a ContactMerge row says what
happened, as does the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from crm.errors import InvalidInput
from crm.models import (
    Affiliation,
    AuditAction,
    CollectionTarget,
    Contact,
    ContactKind,
    ContactMerge,
    ErasureRequest,
    FollowUp,
    HandleChange,
    Officer,
    Organisation,
    OwnerHandover,
    Person,
    SocialAccount,
    Suggestion,
    contact_tags,
    interaction_contacts,
    organisation_localities,
    organisation_themes,
    organisation_wards,
)
from crm.services import audit
from crm.services.contact_editing import (
    CONTACT_FIELDS,
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    contact_snapshot,
)
from crm.services.contacts import get_contact
from crm.services.visibility import visible_contacts

MAX_POSSIBLE_DUPLICATES = 10
# Details the survivor takes from the duplicate when it has none of its own.
_NEVER_FILLED = {"kind", "name", "is_restricted", "locality_id", "ward_id"}


@dataclass(frozen=True)
class MergeSide:
    """One of the two records, with how much hangs off it."""

    contact: Contact
    interactions: int
    follow_ups: int
    accounts: int
    affiliations: int


@dataclass(frozen=True)
class MergePreview:
    first: MergeSide
    second: MergeSide
    shared_interactions: int


def merge_preview(
    session: Session, first_id: int, second_id: int, *, viewer: Officer
) -> MergePreview:
    """The two records side by side, if they may be merged."""
    first, second = _pair(session, first_id, second_id, viewer)
    return MergePreview(
        first=_side(session, first),
        second=_side(session, second),
        shared_interactions=_shared_interactions(session, first.id, second.id),
    )


def possible_duplicates(
    session: Session, contact: Contact, *, viewer: Officer, limit: int = MAX_POSSIBLE_DUPLICATES
) -> list[Contact]:
    """Contacts of the same kind that share the name, email, website, or a charity or
    Companies House number: the likeliest duplicates, for the officer to check."""
    same = [func.lower(Contact.name) == contact.name.lower()]
    if contact.email:
        same.append(func.lower(Contact.email) == contact.email.lower())
    if isinstance(contact, Organisation):
        for column in ("charity_number", "companies_house_number", "website"):
            value = getattr(contact, column)
            if value:
                same.append(getattr(Organisation, column) == value)
    return list(
        session.scalars(
            select(Contact)
            .where(
                Contact.kind == contact.kind,
                Contact.id != contact.id,
                or_(*same),
                visible_contacts(viewer),
            )
            .order_by(func.lower(Contact.name), Contact.id)
            .limit(limit)
        )
    )


def merge_contacts(
    session: Session, *, survivor_id: int, duplicate_id: int, officer: Officer
) -> ContactMerge:
    survivor, duplicate = _pair(session, survivor_id, duplicate_id, officer)
    before = {"survivor": contact_snapshot(survivor), "duplicate": contact_snapshot(duplicate)}
    _fill_blanks(survivor, duplicate)
    session.flush()
    move = _Move(session, survivor.id, duplicate.id)
    moved = {
        "interactions": move.interaction_links(),
        "follow_ups": move.rows(FollowUp, FollowUp.contact_id),
        "suggestions": move.rows(Suggestion, Suggestion.contact_id),
        "accounts": move.accounts(),
        "affiliations": move.affiliations(duplicate.kind),
        "handovers": move.rows(OwnerHandover, OwnerHandover.contact_id),
        "tags": move.links(contact_tags, "tag_id"),
        "themes": move.links(organisation_themes, "theme_id"),
        "localities_served": move.links(organisation_localities, "locality_id"),
        "wards_served": move.links(organisation_wards, "ward_id"),
        "earlier_merges": move.rows(ContactMerge, ContactMerge.survivor_id),
        "erasure_requests": move.rows(ErasureRequest, ErasureRequest.contact_id),
    }
    duplicate_name = duplicate.name
    session.execute(
        delete(Contact)
        .where(Contact.id == duplicate.id)
        .execution_options(synchronize_session=False)
    )
    session.expunge(duplicate)
    session.expire_all()
    merge = ContactMerge(
        survivor_id=survivor.id,
        merged_contact_id=duplicate_id,
        merged_name=duplicate_name,
        moved=moved,
        merged_by_id=officer.id,
    )
    session.add(merge)
    session.flush()
    after = {"survivor": contact_snapshot(survivor), "moved": moved}
    for subject_id in (survivor.id, duplicate_id):
        # Recorded under both ids, so the duplicate's history leads to the survivor.
        audit.record(
            session,
            officer_id=officer.id,
            action=AuditAction.MERGED,
            subject_type="contact",
            subject_id=subject_id,
            summary=f"Merged {duplicate_name} into {survivor.name}",
            before=before,
            after=after,
        )
    return merge


def merges_into(session: Session, contact_id: int) -> list[ContactMerge]:
    """The records merged into this one, newest first."""
    return list(
        session.scalars(
            select(ContactMerge)
            .where(ContactMerge.survivor_id == contact_id)
            .order_by(ContactMerge.merged_at.desc(), ContactMerge.id.desc())
        )
    )


# Reading the pair


def _pair(
    session: Session, first_id: int, second_id: int, viewer: Officer
) -> tuple[Contact, Contact]:
    if first_id == second_id:
        raise InvalidInput("Choose two different records to merge", field="second")
    first = get_contact(session, first_id, viewer=viewer)
    second = get_contact(session, second_id, viewer=viewer)
    if first.kind is not second.kind:
        raise InvalidInput(
            "An organisation and a person cannot be merged. Choose two of the same kind",
            field="second",
        )
    return first, second


def _side(session: Session, contact: Contact) -> MergeSide:
    affiliation_column = (
        Affiliation.person_id if contact.kind is ContactKind.PERSON else Affiliation.organisation_id
    )
    return MergeSide(
        contact=contact,
        interactions=_count(
            session, interaction_contacts, interaction_contacts.c.contact_id, contact.id
        ),
        follow_ups=_count(session, FollowUp, FollowUp.contact_id, contact.id),
        accounts=_count(session, SocialAccount, SocialAccount.contact_id, contact.id),
        affiliations=_count(session, Affiliation, affiliation_column, contact.id),
    )


def _count(session: Session, source: Any, column: Any, contact_id: int) -> int:
    return session.scalar(select(func.count()).select_from(source).where(column == contact_id)) or 0


def _shared_interactions(session: Session, first_id: int, second_id: int) -> int:
    other = aliased(interaction_contacts)
    return (
        session.scalar(
            select(func.count())
            .select_from(interaction_contacts)
            .join(other, other.c.interaction_id == interaction_contacts.c.interaction_id)
            .where(interaction_contacts.c.contact_id == first_id, other.c.contact_id == second_id)
        )
        or 0
    )


def _fill_blanks(survivor: Contact, duplicate: Contact) -> None:
    names = [*CONTACT_FIELDS]
    if isinstance(survivor, Organisation):
        names.extend(ORGANISATION_FIELDS)
    if isinstance(survivor, Person):
        names.extend(PERSON_FIELDS)
    for name in names:
        if name in _NEVER_FILLED:
            continue
        if getattr(survivor, name) in (None, "") and getattr(duplicate, name) not in (None, ""):
            setattr(survivor, name, getattr(duplicate, name))
    # A ward belongs to a locality, so the two are taken together or not at all.
    if survivor.locality_id is None:
        survivor.locality_id, survivor.ward_id = duplicate.locality_id, duplicate.ward_id
    elif survivor.ward_id is None and survivor.locality_id == duplicate.locality_id:
        survivor.ward_id = duplicate.ward_id
    # Either record restricted means the person asked for (or needs) privacy: keep it.
    if duplicate.is_restricted:
        survivor.is_restricted = True


# Moving what hangs off the duplicate


class _Move:
    def __init__(self, session: Session, survivor_id: int, duplicate_id: int) -> None:
        self.session = session
        self.survivor_id = survivor_id
        self.duplicate_id = duplicate_id

    def rows(self, model: Any, column: Any) -> int:
        result = self.session.execute(
            update(model)
            .where(column == self.duplicate_id)
            .values({column.key: self.survivor_id})
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0

    def interaction_links(self) -> int:
        """Links to the duplicate become links to the survivor; an interaction linked to both
        keeps the survivor's link (and its evidence) once."""
        links = interaction_contacts.c
        survivor_has = select(links.interaction_id).where(links.contact_id == self.survivor_id)
        total = _count(self.session, interaction_contacts, links.contact_id, self.duplicate_id)
        self.session.execute(
            delete(interaction_contacts).where(
                links.contact_id == self.duplicate_id,
                links.interaction_id.in_(survivor_has),
            )
        )
        self.session.execute(
            update(interaction_contacts)
            .where(links.contact_id == self.duplicate_id)
            .values(contact_id=self.survivor_id)
        )
        return total

    def links(self, table: Table, other: str) -> int:
        """Rows of an association table: the survivor gains what it lacked, once."""
        column = table.c[other]
        own = select(column).where(table.c.contact_id == self.survivor_id)
        missing = select(column).where(table.c.contact_id == self.duplicate_id, column.not_in(own))
        ids = list(self.session.scalars(missing))
        if ids:
            self.session.execute(
                insert(table), [{"contact_id": self.survivor_id, other: id_} for id_ in ids]
            )
        return len(ids)

    def affiliations(self, kind: ContactKind) -> int:
        """The duplicate's affiliations move, except one the survivor already has (the same
        organisation or person, role and dates)."""
        own, other = (
            (Affiliation.person_id, Affiliation.organisation_id)
            if kind is ContactKind.PERSON
            else (Affiliation.organisation_id, Affiliation.person_id)
        )
        kept = aliased(Affiliation)
        kept_own, kept_other = (
            (kept.person_id, kept.organisation_id)
            if kind is ContactKind.PERSON
            else (kept.organisation_id, kept.person_id)
        )
        same_as_survivors = exists().where(
            kept_own == self.survivor_id,
            kept_other == other,
            func.lower(kept.role) == func.lower(Affiliation.role),
            _same_or_both_null(kept.started_on, Affiliation.started_on),
            _same_or_both_null(kept.ended_on, Affiliation.ended_on),
        )
        self.session.execute(
            delete(Affiliation)
            .where(own == self.duplicate_id, same_as_survivors)
            .execution_options(synchronize_session=False)
        )
        return self.rows(Affiliation, own)

    def accounts(self) -> int:
        """The duplicate's accounts move. Two records of one account (the same handle on the
        same platform, one not yet looked up) become one, keeping the looked-up one."""
        theirs = self._accounts_of(self.duplicate_id)
        ours = {(a.platform, a.handle.casefold()): a for a in self._accounts_of(self.survivor_id)}
        for account in theirs:
            twin = ours.get((account.platform, account.handle.casefold()))
            if twin is None or (twin.platform_user_id and account.platform_user_id):
                account.contact_id = self.survivor_id
                continue
            keep, drop = (
                (account, twin)
                if account.platform_user_id and not twin.platform_user_id
                else (twin, account)
            )
            keep.contact_id = self.survivor_id
            keep.is_official = keep.is_official or drop.is_official
            self._fold_account(keep, drop)
        self.session.flush()
        return len(theirs)

    def _accounts_of(self, contact_id: int) -> Sequence[SocialAccount]:
        return self.session.scalars(
            select(SocialAccount)
            .where(SocialAccount.contact_id == contact_id)
            .order_by(SocialAccount.id)
        ).all()

    def _fold_account(self, keep: SocialAccount, drop: SocialAccount) -> None:
        """Move the dropped account's handle history and listening to the kept one, unless
        the kept one is already listened to the same way, then delete it."""
        self.session.flush()
        self.session.execute(
            update(HandleChange)
            .where(HandleChange.account_id == drop.id)
            .values(account_id=keep.id)
            .execution_options(synchronize_session=False)
        )
        already = select(CollectionTarget.kind).where(CollectionTarget.account_id == keep.id)
        self.session.execute(
            update(CollectionTarget)
            .where(
                CollectionTarget.account_id == drop.id,
                CollectionTarget.kind.not_in(already),
            )
            .values(account_id=keep.id)
            .execution_options(synchronize_session=False)
        )
        self.session.delete(drop)
        self.session.flush()


def _same_or_both_null(left: Any, right: Any) -> Any:
    return or_(left == right, and_(left.is_(None), right.is_(None)))
