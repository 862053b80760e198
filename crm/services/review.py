"""The review queue: collected posts whose author is not a contact, and what officers decide.

Weaver links posts to contacts only on exact evidence (crm.services.matching). Everything else
waits here for an officer, who may link it to a contact, make an organisation from its author,
or dismiss it. Names and handles that merely look alike are offered as suggestions and never
applied: a member of the public must not become a contact because their handle resembled one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, selectinload

from crm.clock import utc_now
from crm.errors import InvalidInput, NotFound
from crm.models import (
    AuditAction,
    CollectionTarget,
    Contact,
    ContactKind,
    Interaction,
    InteractionKind,
    Officer,
    Organisation,
    PostCollection,
    PostReview,
    ReviewStatus,
    SocialAccount,
    interaction_contacts,
)
from crm.pagination import Page, paginate
from crm.sentiment import SentimentLabel
from crm.services import audit
from crm.services.contacts import get_contact
from crm.services.ingestion import link_post
from crm.services.matching import Evidence
from crm.services.officers import get_officer
from crm.services.visibility import visible_contacts, visible_interactions
from crm.text import clean_text

REVIEWS_PER_PAGE = 20
MAX_SUGGESTIONS = 5
# How alike two names must be (difflib's ratio, 0..1) to be worth an officer's look.
SUGGESTION_CUTOFF = 0.75
# A name this long found inside the other ("marshbypantry" in "@marshbypantry_uk") is a
# strong hint; shorter ones ("hope", "mind") are inside too many unrelated handles.
MIN_CONTAINED_LENGTH = 5
CONTAINED_SCORE = 0.9
# Suggestions read names from memory; past this many contacts they come from the first ones
# by name, so a page of the queue never does unbounded work.
MAX_SUGGESTION_CANDIDATES = 20_000
MAX_ORGANISATION_NAME = 300


class AlreadyReviewed(InvalidInput):
    """Another officer (or this one, in another tab) decided about the post first."""


@dataclass(frozen=True)
class Suggestion:
    contact_id: int
    name: str
    kind: ContactKind
    why: str
    score: float


@dataclass(frozen=True)
class ReviewItem:
    review: PostReview
    post: Interaction
    author_name: str | None
    targets: Sequence[CollectionTarget]
    suggestions: Sequence[Suggestion]


@dataclass(frozen=True)
class PostLink:
    contact: Contact
    evidence: Evidence | None


@dataclass(frozen=True)
class PostDetails:
    post: Interaction
    author_name: str | None
    links: Sequence[PostLink]
    review: PostReview | None
    targets: Sequence[CollectionTarget]
    automatic_sentiment: SentimentLabel | None
    override_by: Officer | None


def author_name(post: Interaction) -> str | None:
    """The author's display name, when the platform sent one."""
    author = (post.raw or {}).get("author")
    name = author.get("name") if isinstance(author, dict) else None
    if not isinstance(name, str):
        return None
    return clean_text(name).strip() or None


# Reading the queue


def waiting_reviews(
    session: Session, *, viewer: Officer, page: int = 1, per_page: int = REVIEWS_PER_PAGE
) -> Page[ReviewItem]:
    """Posts waiting for a decision, oldest first.

    Oldest first because this is a queue worked from the front: every post reaches an officer
    in turn, where newest first would let a busy listening query bury older posts for good.
    """
    statement = _waiting_for(viewer, select(PostReview)).order_by(
        PostReview.created_at, PostReview.id
    )
    reviews = paginate(session, statement, page=page, per_page=per_page)
    items = _review_items(session, list(reviews.items), viewer)
    return Page(items=items, number=reviews.number, per_page=per_page, total=reviews.total)


def waiting_count(session: Session, *, viewer: Officer) -> int:
    return session.scalar(_waiting_for(viewer, select(func.count()).select_from(PostReview))) or 0


def _waiting_for(viewer: Officer, statement: Select) -> Select:
    """Reviews still waiting, of posts the viewer may see."""
    return statement.join(Interaction, Interaction.id == PostReview.interaction_id).where(
        PostReview.status == ReviewStatus.WAITING, visible_interactions(viewer)
    )


def get_review(session: Session, review_id: int, *, viewer: Officer) -> ReviewItem:
    """One review, whatever its status, if the viewer may see its post."""
    review = session.scalar(
        select(PostReview)
        .join(Interaction, Interaction.id == PostReview.interaction_id)
        .where(PostReview.id == review_id, visible_interactions(viewer))
        .options(selectinload(PostReview.decided_by))
    )
    if review is None:
        raise NotFound("No post to review with that id")
    return _review_items(session, [review], viewer)[0]


def _review_items(session: Session, reviews: list[PostReview], viewer: Officer) -> list[ReviewItem]:
    if not reviews:
        return []
    ids = [review.interaction_id for review in reviews]
    posts = {
        post.id: post
        for post in session.scalars(select(Interaction).where(Interaction.id.in_(ids)))
    }
    targets = _targets_by_post(session, ids)
    linked = _linked_contact_ids(session, ids)
    index = SuggestionIndex.load(session, viewer)
    items = []
    for review in reviews:
        post = posts[review.interaction_id]
        name = author_name(post)
        items.append(
            ReviewItem(
                review=review,
                post=post,
                author_name=name,
                targets=targets.get(post.id, []),
                suggestions=index.suggest(
                    post.author_handle or "", name, exclude=linked.get(post.id, set())
                ),
            )
        )
    return items


def _targets_by_post(
    session: Session, interaction_ids: list[int]
) -> dict[int, list[CollectionTarget]]:
    found: dict[int, list[CollectionTarget]] = defaultdict(list)
    rows = session.scalars(
        select(PostCollection)
        .where(PostCollection.interaction_id.in_(interaction_ids))
        .options(selectinload(PostCollection.target))
        .order_by(PostCollection.first_seen_at, PostCollection.id)
    )
    for row in rows:
        found[row.interaction_id].append(row.target)
    return found


def _linked_contact_ids(session: Session, interaction_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = session.execute(
        select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id).where(
            interaction_contacts.c.interaction_id.in_(interaction_ids)
        )
    )
    for interaction_id, contact_id in rows:
        found[interaction_id].add(contact_id)
    return found


# Suggestions


def _normalise(text: str) -> str:
    """'@Marshby_Pantry' and 'Marshby Pantry' both read 'marshbypantry'."""
    return "".join(character for character in text.casefold() if character.isalnum())


@dataclass(frozen=True)
class _Candidate:
    contact_id: int
    name: str
    kind: ContactKind
    key: str
    what: str  # "name" or the account's handle


class SuggestionIndex:
    """The visible contacts' names and handles, read once and compared in memory."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        self._candidates = candidates

    @classmethod
    def load(cls, session: Session, viewer: Officer) -> SuggestionIndex:
        contacts = session.execute(
            select(Contact.id, Contact.name, Contact.kind)
            .where(visible_contacts(viewer))
            .order_by(func.lower(Contact.name), Contact.id)
            .limit(MAX_SUGGESTION_CANDIDATES)
        ).all()
        names = {contact_id: (name, kind) for contact_id, name, kind in contacts}
        candidates = [
            _Candidate(contact_id, name, kind, _normalise(name), "name")
            for contact_id, (name, kind) in names.items()
        ]
        accounts = session.execute(
            select(SocialAccount.contact_id, SocialAccount.handle)
            .join(Contact, Contact.id == SocialAccount.contact_id)
            .where(visible_contacts(viewer))
        )
        for contact_id, handle in accounts:
            if contact_id in names:
                name, kind = names[contact_id]
                candidates.append(_Candidate(contact_id, name, kind, _normalise(handle), handle))
        return cls([candidate for candidate in candidates if candidate.key])

    def suggest(
        self, handle: str, name: str | None, *, exclude: Iterable[int] = ()
    ) -> list[Suggestion]:
        """Contacts whose name or handle resembles the author's, best first."""
        excluded = set(exclude)
        best: dict[int, Suggestion] = {}
        for author_key, author_what in (
            (_normalise(handle), "handle"),
            (_normalise(name or ""), "name"),
        ):
            if not author_key:
                continue
            likeness = _Likeness(author_key)
            for candidate in self._candidates:
                if candidate.contact_id in excluded:
                    continue
                score = likeness.to(candidate.key)
                if score < SUGGESTION_CUTOFF:
                    continue
                current = best.get(candidate.contact_id)
                if current is None or score > current.score:
                    best[candidate.contact_id] = Suggestion(
                        contact_id=candidate.contact_id,
                        name=candidate.name,
                        kind=candidate.kind,
                        why=_why(author_what, candidate.what),
                        score=score,
                    )
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.name.casefold(), s.contact_id))
        return ranked[:MAX_SUGGESTIONS]


class _Likeness:
    """How alike one author's key is to each candidate's, 0..1, cheapest tests first as
    difflib.get_close_matches does: most candidates are ruled out by their length alone."""

    def __init__(self, key: str) -> None:
        self._key = key
        self._matcher = SequenceMatcher(None, autojunk=False)
        # difflib caches what it learns about the second sequence; ours is the fixed one.
        self._matcher.set_seq2(key)

    def to(self, other: str) -> float:
        mine, theirs = len(self._key), len(other)
        if mine <= theirs:
            contained = mine >= MIN_CONTAINED_LENGTH and self._key in other
        else:
            contained = theirs >= MIN_CONTAINED_LENGTH and other in self._key
        floor = CONTAINED_SCORE if contained else 0.0
        needed = max(floor, SUGGESTION_CUTOFF)
        if 2 * min(mine, theirs) / (mine + theirs) < needed:
            return floor
        self._matcher.set_seq1(other)
        if self._matcher.quick_ratio() < needed:
            return floor
        return max(floor, self._matcher.ratio())


def _why(author_what: str, candidate_what: str) -> str:
    theirs = "their name" if candidate_what == "name" else f"their account @{candidate_what}"
    return f"The author’s {author_what} looks like {theirs}"


# Deciding


def link_to_contact(
    session: Session,
    review_id: int,
    contact_id: int,
    officer_id: int,
    *,
    remember_account: bool = False,
) -> Contact:
    """Link the post to a contact the officer chose. Remembering the author's account, so
    their later posts link on their own, is the officer's explicit choice and is offered for
    organisations only: a person's account is never added from here."""
    officer = get_officer(session, officer_id)
    review, post = _waiting(session, review_id, officer)
    contact = get_contact(session, contact_id, viewer=officer)
    if remember_account:
        if contact.kind is not ContactKind.ORGANISATION:
            raise InvalidInput(
                "Only an organisation’s account can be remembered. Link the post without "
                "remembering the account",
                field="remember_account",
            )
        _check_account_is_free(session, post, contact_id=contact.id)
    _decide(session, review, ReviewStatus.LINKED, officer.id)
    link_post(session, post.id, [contact.id], Evidence.OFFICER)
    handle = post.author_handle or "an unknown author"
    _record_decision(
        session,
        officer.id,
        post,
        ReviewStatus.LINKED,
        contact.id,
        summary=f"Linked a post by @{handle} to {contact.name}",
    )
    if remember_account:
        _remember_account(session, post, contact, officer.id, is_official=False)
    return contact


def create_organisation_from(
    session: Session, review_id: int, name: str, officer_id: int
) -> Organisation:
    """A new organisation, owned by the officer, with the post's author as its official
    account, and the post linked to it."""
    officer = get_officer(session, officer_id)
    name = clean_text(name).strip()
    if not name:
        raise InvalidInput("Enter the organisation’s name", field="name")
    if len(name) > MAX_ORGANISATION_NAME:
        raise InvalidInput(
            f"The name must be {MAX_ORGANISATION_NAME} characters or fewer", field="name"
        )
    review, post = _waiting(session, review_id, officer)
    _check_account_is_free(session, post, contact_id=None)
    _decide(session, review, ReviewStatus.CREATED, officer.id)
    organisation = Organisation(name=name, owner_id=officer.id)
    session.add(organisation)
    session.flush()
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CREATED,
        subject_type="contact",
        subject_id=organisation.id,
        summary=f"Created {name} from a post by @{post.author_handle}",
        after={**audit.snapshot(organisation, "kind", "name", "owner_id"), "from_post": post.id},
    )
    if post.author_platform_id:
        _remember_account(session, post, organisation, officer.id, is_official=True)
    link_post(session, post.id, [organisation.id], Evidence.OFFICER)
    _record_decision(
        session,
        officer.id,
        post,
        ReviewStatus.CREATED,
        organisation.id,
        summary=f"Linked a post by @{post.author_handle} to {name}, a new organisation",
    )
    return organisation


def _record_decision(
    session: Session,
    officer_id: int,
    post: Interaction,
    status: ReviewStatus,
    contact_id: int | None = None,
    *,
    summary: str,
) -> None:
    after: dict[str, Any] = {"review": status.value}
    if contact_id is not None:
        after["contact_id"] = contact_id
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CHANGED,
        subject_type="interaction",
        subject_id=post.id,
        summary=summary,
        before={"review": ReviewStatus.WAITING.value},
        after=after,
    )


def dismiss(session: Session, review_id: int, officer_id: int) -> PostReview:
    """Nothing to do with anyone Weaver tracks. The post is kept but never queued again."""
    officer = get_officer(session, officer_id)
    review, post = _waiting(session, review_id, officer)
    _decide(session, review, ReviewStatus.DISMISSED, officer.id)
    _record_decision(
        session,
        officer.id,
        post,
        ReviewStatus.DISMISSED,
        summary=f"Dismissed a post by @{post.author_handle} from the review queue",
    )
    return review


def _waiting(session: Session, review_id: int, viewer: Officer) -> tuple[PostReview, Interaction]:
    row = session.execute(
        select(PostReview, Interaction)
        .join(Interaction, Interaction.id == PostReview.interaction_id)
        .where(PostReview.id == review_id, visible_interactions(viewer))
    ).first()
    if row is None:
        raise NotFound("No post to review with that id")
    review, post = row
    if review.status is not ReviewStatus.WAITING:
        raise AlreadyReviewed("Someone has already dealt with this post")
    return review, post


def _decide(session: Session, review: PostReview, status: ReviewStatus, officer_id: int) -> None:
    """Claim the decision in one conditional UPDATE, so two officers deciding at once cannot
    both succeed."""
    claimed = session.execute(
        update(PostReview)
        .where(PostReview.id == review.id, PostReview.status == ReviewStatus.WAITING)
        .values(status=status, decided_by_id=officer_id, decided_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AlreadyReviewed("Someone has already dealt with this post")
    session.refresh(review)


def _account_owner(session: Session, post: Interaction) -> int | None:
    """The contact the post's author's account already belongs to, if any."""
    if not post.author_platform_id or post.platform is None:
        return None
    return session.scalar(
        select(SocialAccount.contact_id).where(
            SocialAccount.platform == post.platform,
            SocialAccount.platform_user_id == post.author_platform_id,
        )
    )


def _check_account_is_free(session: Session, post: Interaction, *, contact_id: int | None) -> None:
    owner = _account_owner(session, post)
    if owner is not None and owner != contact_id:
        # Which contact is not said: it may be one the officer may not see.
        raise InvalidInput(
            "This account already belongs to another contact. Link the post to that contact",
            field="remember_account" if contact_id is not None else "name",
        )


def _remember_account(
    session: Session, post: Interaction, contact: Contact, officer_id: int, *, is_official: bool
) -> None:
    if not post.author_platform_id or post.platform is None:
        return
    if _account_owner(session, post) is not None:
        return
    account = SocialAccount(
        contact_id=contact.id,
        platform=post.platform,
        platform_user_id=post.author_platform_id,
        handle=post.author_handle or "",
        is_official=is_official,
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        officer_id=officer_id,
        action=AuditAction.CHANGED,
        subject_type="contact",
        subject_id=contact.id,
        summary=f"Added the {post.platform.value} account @{account.handle} to {contact.name}",
        after=audit.snapshot(account, "platform", "platform_user_id", "handle", "is_official"),
    )


# One post


def post_details(session: Session, interaction_id: int, *, viewer: Officer) -> PostDetails:
    """A collected post, who it is linked to and why, and why it was collected.

    A post that involves any contact hidden from the viewer is not found, as on timelines.
    """
    post = _visible_post(session, interaction_id, viewer)
    rows = session.execute(
        select(Contact, interaction_contacts.c.evidence)
        .join(interaction_contacts, interaction_contacts.c.contact_id == Contact.id)
        .where(interaction_contacts.c.interaction_id == post.id)
        .order_by(func.lower(Contact.name), Contact.id)
    ).all()
    review = session.scalar(
        select(PostReview)
        .where(PostReview.interaction_id == post.id)
        .options(selectinload(PostReview.decided_by))
    )
    return PostDetails(
        post=post,
        author_name=author_name(post),
        links=[PostLink(contact=contact, evidence=_evidence(value)) for contact, value in rows],
        review=review,
        targets=_targets_by_post(session, [post.id]).get(post.id, []),
        automatic_sentiment=post.automatic_sentiment_label,
        override_by=(
            session.get(Officer, post.sentiment_override_by_id)
            if post.sentiment_override_by_id is not None
            else None
        ),
    )


def override_sentiment(
    session: Session, interaction_id: int, label: SentimentLabel | None, officer_id: int
) -> Interaction:
    """An officer's reading of a post's sentiment, or None to go back to the automatic one."""
    officer = get_officer(session, officer_id)
    post = _visible_post(session, interaction_id, officer)
    before = _sentiment_snapshot(post)
    post.sentiment_override = None if label is None else label.value
    post.sentiment_override_by_id = None if label is None else officer.id
    after = _sentiment_snapshot(post)
    if after == before:
        return post
    session.flush()
    shown = post.sentiment_label.value if post.sentiment_label else "none"
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="interaction",
        subject_id=post.id,
        summary=(
            f"Cleared the sentiment of a post by @{post.author_handle} (now {shown})"
            if label is None
            else f"Set the sentiment of a post by @{post.author_handle} to {shown}"
        ),
        before=before,
        after=after,
    )
    return post


def _sentiment_snapshot(post: Interaction) -> dict[str, Any]:
    label = post.sentiment_label
    return {
        "sentiment_override": post.sentiment_override,
        "sentiment": label.value if label else None,
    }


def _visible_post(session: Session, interaction_id: int, viewer: Officer) -> Interaction:
    post = session.scalar(
        select(Interaction).where(
            Interaction.id == interaction_id,
            Interaction.kind == InteractionKind.POST,
            visible_interactions(viewer),
        )
    )
    if post is None:
        raise NotFound("No post with that id")
    return post


def _evidence(value: str | None) -> Evidence | None:
    try:
        return Evidence(value) if value else None
    except ValueError:
        return None
