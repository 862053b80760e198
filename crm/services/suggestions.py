"""Suggested follow-ups: what the collectors heard that an officer should probably act on.

Three rules, each explained to the officer in plain words ("why am I seeing this"):

- a negative post that mentions or replies to one of the council's accounts;
- a question to one of the council's accounts (its text has a question mark: simple, and
  easy to explain) that no council account has replied to within two whole working days;
- an organisation on the going-cold list posting about funding, closure or a change of
  service (keywords from WEAVER_SUGGESTION_KEYWORDS, matched as whole words, any case).

Only posts from the last `WINDOW_DAYS` days are read, so a new installation with months of
history does not bury officers. A suggestion is unique per rule and post: once accepted or
dismissed it never comes back, however often the rules run.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, exists, func, not_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, selectinload

from crm.clock import as_utc, to_london, utc_now
from crm.config import suggestion_keywords
from crm.errors import InvalidInput, NotFound, WeaverError
from crm.models import (
    AuditAction,
    Contact,
    FollowUp,
    Interaction,
    InteractionKind,
    Officer,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    interaction_contacts,
)
from crm.permissions import Permission, can
from crm.sentiment import NEUTRAL_BAND, SentimentLabel
from crm.services import audit
from crm.services.cadences import cold_organisation_ids, council_contact_ids
from crm.services.follow_ups import create_follow_up
from crm.services.matching import Evidence
from crm.services.visibility import visible_contacts, visible_interactions
from crm.working_days import working_days_after

WINDOW_DAYS = 14
# Where a reason names the post's author, filled in once the author's contact is known.
WHO = "{who}"
# "Unanswered after 2 working days": two whole working days after the day it was asked.
QUESTION_WAIT_WORKING_DAYS = 2
_ADDRESSED = (Evidence.MENTION.value, Evidence.REPLY.value)
# Who a suggestion is about, when a post names several: its author before those it addresses.
_EVIDENCE_ORDER = {
    Evidence.AUTHOR.value: 0,
    Evidence.OFFICER.value: 1,
    Evidence.REPLY.value: 2,
    Evidence.MENTION.value: 3,
}


class AlreadyDecided(WeaverError):
    def __init__(self) -> None:
        super().__init__("Someone has already accepted or dismissed that suggestion")


@dataclass(frozen=True)
class _Proposal:
    kind: SuggestionKind
    post: Interaction
    reason: str


def suggest_follow_ups(
    session: Session,
    *,
    now: datetime,
    keywords: Sequence[str] | None = None,
) -> int:
    """Run every rule over recent posts; returns how many new suggestions were made.

    `keywords` defaults to WEAVER_SUGGESTION_KEYWORDS (or the built-in list).
    """
    now = as_utc(now)
    proposals = [
        *_negative_mentions(session, now=now),
        *_unanswered_questions(session, now=now),
        *_cold_organisation_news(
            session, now=now, keywords=suggestion_keywords() if keywords is None else keywords
        ),
    ]
    return _store(session, proposals, now=now)


def waiting_suggestions(
    session: Session, *, viewer: Officer, assignee_ids: Collection[int] | None
) -> list[Suggestion]:
    """Suggestions nobody has decided on that the viewer may see, newest post first.

    With `assignee_ids`, only those officers' suggestions, plus the unassigned ones (posts
    from people who are not contacts) when the viewer may act on them.
    """
    return list(session.scalars(_waiting_for(viewer, assignee_ids)))


def count_waiting(
    session: Session, *, viewer: Officer, assignee_ids: Collection[int] | None
) -> int:
    """How many `waiting_suggestions` would list, for a count in the navigation."""
    statement = _waiting_for(viewer, assignee_ids).order_by(None)
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _waiting_for(
    viewer: Officer, assignee_ids: Collection[int] | None
) -> Select[tuple[Suggestion]]:
    statement = _visible(viewer).where(Suggestion.status == SuggestionStatus.WAITING)
    if assignee_ids is not None:
        mine = Suggestion.assignee_id.in_(list(assignee_ids))
        if can(viewer, Permission.WRITE_CRM):
            mine = or_(mine, Suggestion.assignee_id.is_(None))
        statement = statement.where(mine)
    return statement


def get_suggestion(session: Session, suggestion_id: int, *, viewer: Officer) -> Suggestion:
    found = session.scalar(_visible(viewer).where(Suggestion.id == suggestion_id))
    if found is None:
        raise NotFound("No such suggestion")
    return found


def accept_suggestion(
    session: Session, suggestion_id: int, *, officer: Officer, due_on: date, note: str
) -> FollowUp:
    """Make the suggestion a follow-up: its assignee's, or the accepting officer's if it had
    none. A post from someone who is not a contact is followed up on the council's own
    record, the account it was addressed to."""
    suggestion = _waiting(session, suggestion_id, officer)
    contact_id = suggestion.contact_id or _council_contact_of(session, suggestion.interaction_id)
    if contact_id is None:
        raise InvalidInput("That post is no longer linked to any contact", field="due_on")
    follow_up = create_follow_up(
        session,
        contact_id=contact_id,
        due_on=due_on,
        assignee_id=suggestion.assignee_id or officer.id,
        created_by_id=officer.id,
        note=note.strip() or suggestion.reason,
        interaction_id=suggestion.interaction_id,
    )
    before = audit.snapshot(suggestion, "status")
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.follow_up_id = follow_up.id
    _decided(suggestion, officer)
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="suggestion",
        subject_id=suggestion.id,
        summary=f"Accepted a suggested follow-up, due {due_on.isoformat()}",
        before=before,
        after={**audit.snapshot(suggestion, "status"), "follow_up_id": follow_up.id},
    )
    return follow_up


def dismiss_suggestion(
    session: Session, suggestion_id: int, *, officer: Officer, reason: str
) -> Suggestion:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why you are dismissing it", field="reason")
    suggestion = _waiting(session, suggestion_id, officer)
    before = audit.snapshot(suggestion, "status")
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.dismissed_reason = reason
    _decided(suggestion, officer)
    audit.record(
        session,
        officer_id=officer.id,
        action=AuditAction.CHANGED,
        subject_type="suggestion",
        subject_id=suggestion.id,
        summary="Dismissed a suggested follow-up",
        before=before,
        after={**audit.snapshot(suggestion, "status"), "dismissed_reason": reason},
    )
    return suggestion


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case: "closure" finds "Closure!" but not "disclosure"."""
    words = sorted({word.strip() for word in keywords if word.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def is_question(text: str) -> bool:
    """A question is a post with a question mark in it: crude, but easy to explain."""
    return "?" in text or "\uff1f" in text


# --- the rules -------------------------------------------------------------------------


def _recent_posts_to_the_council(now: datetime) -> Select[tuple[Interaction]]:
    """Posts of the window that mention or reply to a council account, not by the council."""
    council_link = aliased(interaction_contacts)
    council_ids = council_contact_ids()
    by_the_council = exists().where(
        interaction_contacts.c.interaction_id == Interaction.id,
        interaction_contacts.c.evidence == Evidence.AUTHOR.value,
        interaction_contacts.c.contact_id.in_(council_ids),
    )
    return select(Interaction).where(
        Interaction.kind == InteractionKind.POST,
        Interaction.occurred_at >= now - timedelta(days=WINDOW_DAYS),
        Interaction.occurred_at <= now,
        exists().where(
            council_link.c.interaction_id == Interaction.id,
            council_link.c.evidence.in_(_ADDRESSED),
            council_link.c.contact_id.in_(council_ids),
        ),
        not_(by_the_council),
    )


def _not_yet_suggested(kind: SuggestionKind):
    return ~exists().where(Suggestion.kind == kind, Suggestion.interaction_id == Interaction.id)


def _negative_mentions(session: Session, *, now: datetime) -> list[_Proposal]:
    negative = or_(
        Interaction.sentiment_override == SentimentLabel.NEGATIVE.value,
        and_(
            Interaction.sentiment_override.is_(None),
            Interaction.sentiment_polarity < -NEUTRAL_BAND,
        ),
    )
    posts = session.scalars(
        _recent_posts_to_the_council(now).where(
            negative, _not_yet_suggested(SuggestionKind.NEGATIVE_MENTION)
        )
    )
    return [
        _Proposal(SuggestionKind.NEGATIVE_MENTION, post, _negative_reason(post)) for post in posts
    ]


def _negative_reason(post: Interaction) -> str:
    reader = "an officer" if post.sentiment_override is not None else "Weaver’s automatic reading"
    return (
        f"{WHO} posted something negative to the council’s account "
        f"(sentiment judged negative by {reader}). A reply or a call may help."
    )


def _unanswered_questions(session: Session, *, now: datetime) -> list[_Proposal]:
    reply = aliased(Interaction)
    council_reply = exists().where(
        reply.kind == InteractionKind.POST,
        reply.platform == Interaction.platform,
        reply.in_reply_to_external_id == Interaction.external_id,
        exists().where(
            interaction_contacts.c.interaction_id == reply.id,
            interaction_contacts.c.evidence == Evidence.AUTHOR.value,
            interaction_contacts.c.contact_id.in_(council_contact_ids()),
        ),
    )
    candidates = session.scalars(
        _recent_posts_to_the_council(now).where(
            Interaction.text.contains("?") | Interaction.text.contains("\uff1f"),
            ~council_reply,
            _not_yet_suggested(SuggestionKind.UNANSWERED_QUESTION),
        )
    )
    return [
        _Proposal(SuggestionKind.UNANSWERED_QUESTION, post, _question_reason(post))
        for post in candidates
        if is_question(post.text) and _question_has_waited(post.occurred_at, now)
    ]


def _question_has_waited(asked_at: datetime, now: datetime) -> bool:
    asked_on = to_london(asked_at).date()
    last_day = working_days_after(asked_on, QUESTION_WAIT_WORKING_DAYS)
    return to_london(now).date() > last_day


def _question_reason(post: Interaction) -> str:
    asked = to_london(post.occurred_at)
    return (
        f"{WHO} asked the council a question on {asked:%A} {asked.day} {asked:%B} "
        f"and no council account has replied in {QUESTION_WAIT_WORKING_DAYS} working days."
    )


def _cold_organisation_news(
    session: Session, *, now: datetime, keywords: Sequence[str]
) -> list[_Proposal]:
    pattern = keyword_pattern(keywords)
    cold = cold_organisation_ids(session, now=now)
    if pattern is None or not cold:
        return []
    authored = (
        select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id)
        .where(
            interaction_contacts.c.evidence == Evidence.AUTHOR.value,
            interaction_contacts.c.contact_id.in_(sorted(cold)),
        )
        .subquery()
    )
    rows = session.execute(
        select(Interaction, Contact)
        .join(authored, authored.c.interaction_id == Interaction.id)
        .join(Contact, Contact.id == authored.c.contact_id)
        .where(
            Interaction.kind == InteractionKind.POST,
            Interaction.occurred_at >= now - timedelta(days=WINDOW_DAYS),
            Interaction.occurred_at <= now,
            _not_yet_suggested(SuggestionKind.COLD_CONTACT_NEWS),
        )
    )
    proposals = []
    for post, organisation in rows:
        match = pattern.search(post.text)
        if match:
            reason = (
                f"{organisation.name} is on the going-cold list (nobody has been in touch "
                f"within its cadence) and posted about “{match.group(0).lower()}”."
            )
            proposals.append(_Proposal(SuggestionKind.COLD_CONTACT_NEWS, post, reason))
    return proposals


def _who(post: Interaction, author_name: str | None) -> str:
    """The author as officers know them: the contact's name and handle, or just the handle."""
    handle = f"@{post.author_handle}" if post.author_handle else None
    if author_name:
        return f"{author_name} ({handle})" if handle else author_name
    return handle or "Someone"


# --- storing and reading ---------------------------------------------------------------


def _store(session: Session, proposals: list[_Proposal], *, now: datetime) -> int:
    if not proposals:
        return 0
    subjects = _subjects(session, [proposal.post.id for proposal in proposals])
    rows = []
    for proposal in proposals:
        subject = subjects.get(proposal.post.id)
        author_name = subject.name if subject and subject.is_author else None
        rows.append(
            {
                "kind": proposal.kind,
                "interaction_id": proposal.post.id,
                "contact_id": subject.contact_id if subject else None,
                "assignee_id": subject.owner_id if subject else None,
                "reason": proposal.reason.replace(WHO, _who(proposal.post, author_name)),
                "status": SuggestionStatus.WAITING,
                "created_at": now,
            }
        )
    dialect = session.get_bind().dialect.name
    insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(Suggestion.__table__)
    # Another run may have made the same suggestion a moment ago: the unique key keeps one.
    result = session.execute(
        insert.on_conflict_do_nothing().returning(Suggestion.__table__.c.id), rows
    )
    return len(result.all())


@dataclass(frozen=True)
class _Subject:
    """Who a suggested post is about: not the council, its author if the author is known."""

    contact_id: int
    name: str
    owner_id: int | None
    is_author: bool


def _subjects(session: Session, interaction_ids: list[int]) -> dict[int, _Subject]:
    rows = session.execute(
        select(
            interaction_contacts.c.interaction_id,
            interaction_contacts.c.evidence,
            Contact.id,
            Contact.name,
            Contact.owner_id,
        )
        .join(Contact, Contact.id == interaction_contacts.c.contact_id)
        .where(
            interaction_contacts.c.interaction_id.in_(interaction_ids),
            Contact.id.not_in(council_contact_ids()),
        )
    ).all()
    best: dict[int, tuple[tuple[int, int], _Subject]] = {}
    for interaction_id, evidence, contact_id, name, owner_id in rows:
        rank = (_EVIDENCE_ORDER.get(evidence or "", len(_EVIDENCE_ORDER)), contact_id)
        current = best.get(interaction_id)
        if current is None or rank < current[0]:
            subject = _Subject(contact_id, name, owner_id, evidence == Evidence.AUTHOR.value)
            best[interaction_id] = (rank, subject)
    return {interaction_id: subject for interaction_id, (_, subject) in best.items()}


def _council_contact_of(session: Session, interaction_id: int) -> int | None:
    return session.scalar(
        select(interaction_contacts.c.contact_id)
        .where(
            interaction_contacts.c.interaction_id == interaction_id,
            interaction_contacts.c.contact_id.in_(council_contact_ids()),
        )
        .order_by(interaction_contacts.c.contact_id)
        .limit(1)
    )


def _visible(viewer: Officer) -> Select[tuple[Suggestion]]:
    contact_visible = or_(
        Suggestion.contact_id.is_(None),
        Suggestion.contact_id.in_(select(Contact.id).where(visible_contacts(viewer))),
    )
    return (
        select(Suggestion)
        .join(Interaction, Interaction.id == Suggestion.interaction_id)
        .where(contact_visible, visible_interactions(viewer))
        .options(
            selectinload(Suggestion.interaction),
            selectinload(Suggestion.contact),
            selectinload(Suggestion.assignee),
        )
        .order_by(Interaction.occurred_at.desc(), Suggestion.id.desc())
    )


def _waiting(session: Session, suggestion_id: int, officer: Officer) -> Suggestion:
    suggestion = get_suggestion(session, suggestion_id, viewer=officer)
    if suggestion.status is not SuggestionStatus.WAITING:
        raise AlreadyDecided()
    return suggestion


def _decided(suggestion: Suggestion, officer: Officer) -> None:
    suggestion.decided_by_id = officer.id
    suggestion.decided_at = utc_now()
