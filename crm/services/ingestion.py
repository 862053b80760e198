"""Storing collected posts in bulk: idempotent, matched on evidence, and fast.

The database's unique key on (platform, external id) decides what is new. Posts already
stored are neither scored nor inserted again, which is what makes re-fetching cheap. Where
the process has sentiment workers (the scheduler: see crm.sentiment), new posts are scored
there while this process matches and stores the page, and their figures are written last,
in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crm import sentiment
from crm.clock import as_utc, utc_now
from crm.models import (
    HandleChange,
    Interaction,
    InteractionKind,
    Platform,
    PostCollection,
    PostReview,
    ReviewStatus,
    SocialAccount,
    interaction_contacts,
)
from crm.models.base import UTCDateTime
from crm.services.erasure import erased_author_ids
from crm.services.matching import ContactMatcher, Evidence
from crm.services.posts import CollectedPost
from crm.text import clean

# The longest post X allows; anything longer is cut here and flagged.
MAX_POST_LENGTH = 25_000
# Rows per INSERT: well inside SQLite's limit of 32,766 bound parameters.
_ROWS_PER_STATEMENT = 500


@dataclass(frozen=True)
class Provenance:
    """Why these posts were collected: a target, or an import from a file."""

    review_reason: str
    target_id: int | None = None


@dataclass(frozen=True)
class IngestResult:
    new: int
    duplicates: int
    sent_to_review: int
    interaction_ids: dict[str, int]
    # Posts by people whose erasure was carried out: never stored again.
    skipped_erased: int = 0


@dataclass(frozen=True)
class PreparedText:
    text: str
    was_repaired: bool
    was_truncated: bool


def prepare_text(text: str) -> PreparedText:
    """Safe to store on both databases: no NUL, no lone surrogates, not absurdly long."""
    cleaned = clean(text)
    truncated = len(cleaned.text) > MAX_POST_LENGTH
    return PreparedText(
        text=cleaned.text[:MAX_POST_LENGTH] if truncated else cleaned.text,
        was_repaired=cleaned.was_changed,
        was_truncated=truncated,
    )


def ingest_posts(
    session: Session,
    posts: Sequence[CollectedPost],
    *,
    provenance: Provenance,
    matcher: ContactMatcher | None = None,
) -> IngestResult:
    """Store a page of posts once each, link them on evidence, and queue unknown authors.

    Without a matcher, the accounts these posts name are looked up afresh.
    """
    if not posts:
        return IngestResult(new=0, duplicates=0, sent_to_review=0, interaction_ids={})
    platform = _the_platform(posts, matcher)
    unique: dict[str, CollectedPost] = {}
    for post in posts:
        unique.setdefault(post.external_id, post)
    unique, skipped_erased = _without_erased_authors(session, platform, unique, posts)
    ids = existing_post_ids(session, platform, list(unique))
    fresh = [post for external_id, post in unique.items() if external_id not in ids]
    texts = [prepare_text(post.text) for post in fresh]
    # Only posts not yet stored are scored.
    with sentiment.start_scoring([text.text for text in texts]) as scoring:
        matcher = matcher or ContactMatcher.for_posts(session, platform, posts)
        now = utc_now()
        rows = [_post_row(post, text, now) for post, text in zip(fresh, texts, strict=True)]
        if not scoring.in_workers:
            _with_sentiment(rows, scoring.scores())
        inserted = _insert_rows(session, rows)
        if len(inserted) < len(fresh):
            # Another writer stored some of them first; the unique key kept one copy.
            ids.update(existing_post_ids(session, platform, [p.external_id for p in fresh]))
        ids.update(inserted)
        sent_to_review = _link_and_queue(session, unique, ids, set(inserted), matcher, provenance)
        if scoring.in_workers:
            _store_sentiment(session, fresh, inserted, scoring.scores())
    return IngestResult(
        new=len(inserted),
        duplicates=len(posts) - len(inserted) - skipped_erased,
        sent_to_review=sent_to_review,
        interaction_ids={eid: ids[eid] for eid in unique},
        skipped_erased=skipped_erased,
    )


def _without_erased_authors(
    session: Session,
    platform: Platform,
    unique: dict[str, CollectedPost],
    posts: Sequence[CollectedPost],
) -> tuple[dict[str, CollectedPost], int]:
    """The unique posts whose authors were not erased, and how many of all the posts given
    (repeats included, so that the other counts still add up) were dropped."""
    erased = erased_author_ids(session, platform, {post.author_platform_id for post in posts})
    if not erased:
        return unique, 0
    kept = {eid: post for eid, post in unique.items() if post.author_platform_id not in erased}
    return kept, sum(1 for post in posts if post.author_platform_id in erased)


def _link_and_queue(
    session: Session,
    posts: dict[str, CollectedPost],
    ids: dict[str, int],
    inserted: set[str],
    matcher: ContactMatcher,
    provenance: Provenance,
) -> int:
    """Link each post to the contacts it has evidence for, queue new posts by unknown
    authors for review, and note which target found them. The number queued."""
    links = {external_id: matcher.links(post) for external_id, post in posts.items()}
    _insert_ignoring_duplicates(
        session,
        interaction_contacts,
        [
            {"interaction_id": ids[external_id], "contact_id": contact_id, "evidence": evidence}
            for external_id, found in links.items()
            for contact_id, evidence in found.items()
        ],
    )
    now = utc_now()
    review_rows = [
        {
            "interaction_id": ids[external_id],
            "status": ReviewStatus.WAITING,
            "reason": provenance.review_reason,
            "created_at": now,
        }
        for external_id, post in posts.items()
        if external_id in inserted and matcher.needs_review(post, links[external_id])
    ]
    _insert_ignoring_duplicates(session, PostReview.__table__, review_rows)
    if provenance.target_id is not None:
        note_collected(session, [ids[eid] for eid in posts], provenance.target_id)
        # Live responses carry each author's current handle; an old file may not.
        _record_renames(session, matcher, posts.values())
    return len(review_rows)


def _store_sentiment(
    session: Session,
    fresh: Sequence[CollectedPost],
    inserted: dict[str, int],
    scores: Sequence[sentiment.Sentiment],
) -> None:
    """Scores that came from the workers after the page's rows were stored, in the same
    transaction: nobody else ever sees a new post without them."""
    table = Interaction.__table__
    rows = [
        {
            "row_id": inserted[post.external_id],
            "polarity": scored.polarity,
            "subjectivity": scored.subjectivity,
        }
        for post, scored in zip(fresh, scores, strict=True)
        if post.external_id in inserted
    ]
    if rows:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                sentiment_polarity=bindparam("polarity"),
                sentiment_subjectivity=bindparam("subjectivity"),
            ),
            rows,
        )


def _the_platform(posts: Sequence[CollectedPost], matcher: ContactMatcher | None) -> Platform:
    platform = posts[0].platform
    if any(post.platform is not platform for post in posts):
        raise ValueError("One call stores posts from one platform")
    if matcher is not None and matcher.platform is not platform:
        raise ValueError(f"A {matcher.platform} matcher cannot match a {platform} post")
    return platform


@dataclass(frozen=True)
class StoredPost:
    interaction_id: int
    is_new: bool


def store_collected_post(
    session: Session, post: CollectedPost, contact_ids: Sequence[int] = ()
) -> StoredPost:
    """Store one post linked to contacts chosen by the caller (demo data, tests, officers)."""
    inserted = _insert_posts(session, [post])
    interaction_id = (
        inserted.get(post.external_id)
        or existing_post_ids(session, post.platform, [post.external_id])[post.external_id]
    )
    link_post(session, interaction_id, contact_ids, Evidence.OFFICER)
    return StoredPost(interaction_id=interaction_id, is_new=bool(inserted))


def note_collected(session: Session, interaction_ids: Sequence[int], target_id: int) -> None:
    """Remember that this target found these posts (a post can be found by several)."""
    if not interaction_ids:
        return
    # One INSERT ... SELECT with a list of ids, rather than a row of parameters per post:
    # on a page of posts already stored this was most of the page's cost.
    found = select(
        Interaction.id,
        bindparam("target_id", type_=Integer),
        bindparam("first_seen_at", type_=UTCDateTime()),
    ).where(Interaction.id.in_(bindparam("interaction_ids", expanding=True)))
    statement = (
        _insert(session, PostCollection.__table__)
        .from_select(["interaction_id", "target_id", "first_seen_at"], found)
        .on_conflict_do_nothing()
    )
    session.execute(
        statement,
        {
            "interaction_ids": list(interaction_ids),
            "target_id": target_id,
            "first_seen_at": utc_now(),
        },
    )


def existing_post_ids(
    session: Session, platform: Platform, external_ids: Sequence[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), _ROWS_PER_STATEMENT):
        chunk = external_ids[start : start + _ROWS_PER_STATEMENT]
        rows = session.execute(_STORED_IDS, {"platform": platform, "external_ids": chunk})
        found.update({external_id: interaction_id for external_id, interaction_id in rows})
    return found


# Built once with an expanding parameter: `in_(list)` coerces and caches every value anew,
# which cost more than the query on a page of re-fetched posts.
_STORED_IDS = select(Interaction.external_id, Interaction.id).where(
    Interaction.platform == bindparam("platform"),
    Interaction.external_id.in_(bindparam("external_ids", expanding=True)),
)


def link_post(
    session: Session, interaction_id: int, contact_ids: Sequence[int], evidence: Evidence
) -> None:
    _insert_ignoring_duplicates(
        session,
        interaction_contacts,
        [
            {"interaction_id": interaction_id, "contact_id": contact_id, "evidence": evidence}
            for contact_id in dict.fromkeys(contact_ids)
        ],
    )


def _insert_posts(session: Session, posts: Sequence[CollectedPost]) -> dict[str, int]:
    now = utc_now()
    texts = [prepare_text(post.text) for post in posts]
    rows = [_post_row(post, text, now) for post, text in zip(posts, texts, strict=True)]
    return _insert_rows(session, _with_sentiment(rows, [sentiment.score(t.text) for t in texts]))


def _with_sentiment(
    rows: list[dict[str, Any]], scores: Sequence[sentiment.Sentiment]
) -> list[dict[str, Any]]:
    for row, scored in zip(rows, scores, strict=True):
        row["sentiment_polarity"] = scored.polarity
        row["sentiment_subjectivity"] = scored.subjectivity
    return rows


def _insert_rows(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    if not rows:
        return {}
    table = Interaction.__table__
    # One statement, many parameter sets: SQLAlchemy batches them into multi-row INSERTs
    # ("insertmanyvalues") and compiles the statement once, not once per page.
    statement = (
        _insert(session, table)
        .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        .returning(table.c.external_id, table.c.id)
    )
    return {external_id: new_id for external_id, new_id in session.execute(statement, rows)}


def _post_row(post: CollectedPost, prepared: PreparedText, now: datetime) -> dict[str, Any]:
    """The post's row, all but its sentiment."""
    return {
        "kind": InteractionKind.POST,
        "occurred_at": as_utc(post.created_at),
        "text": prepared.text,
        "logged_by_id": None,
        "platform": post.platform,
        "external_id": post.external_id,
        "author_platform_id": post.author_platform_id,
        "author_handle": clean(post.author_handle).text,
        "url": post.url,
        "in_reply_to_external_id": post.in_reply_to_external_id,
        "in_reply_to_user_id": post.in_reply_to_user_id,
        "mentioned_user_ids": [mention.user_id for mention in post.mentions] or None,
        "language": post.language,
        "raw": post.raw or None,
        "text_was_repaired": prepared.was_repaired,
        "text_was_truncated": prepared.was_truncated,
        "created_at": now,
    }


def _record_renames(session: Session, matcher: ContactMatcher, posts) -> None:
    for post in sorted(posts, key=lambda p: as_utc(p.created_at)):
        rename = matcher.rename(post)
        if rename is None:
            continue
        session.execute(
            update(SocialAccount)
            .where(SocialAccount.id == rename.account_id)
            .values(handle=rename.new_handle)
        )
        session.add(
            HandleChange(
                account_id=rename.account_id,
                old_handle=rename.old_handle,
                new_handle=rename.new_handle,
            )
        )


def _insert_ignoring_duplicates(session: Session, table: Table, rows: list[dict]) -> None:
    if rows:
        session.execute(_insert(session, table).on_conflict_do_nothing(), rows)


def _insert(session: Session, table: Table):
    dialect = session.get_bind().dialect.name
    return (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)
