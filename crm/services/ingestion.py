"""Storing collected posts in bulk: idempotent, matched on evidence, and fast.

The database's unique key on (platform, external id) decides what is new. Posts already
stored are neither scored nor inserted again, which is what makes re-fetching cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select, update
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
    platform = posts[0].platform
    if any(post.platform is not platform for post in posts):
        raise ValueError("One call stores posts from one platform")
    matcher = matcher or ContactMatcher.for_posts(session, platform, posts)
    if matcher.platform is not platform:
        raise ValueError(f"A {matcher.platform} matcher cannot match a {platform} post")
    unique: dict[str, CollectedPost] = {}
    for post in posts:
        unique.setdefault(post.external_id, post)
    ids = existing_post_ids(session, platform, list(unique))
    fresh = [post for external_id, post in unique.items() if external_id not in ids]
    inserted = _insert_posts(session, fresh)
    if len(inserted) < len(fresh):
        # Another writer stored some of them first; the unique key kept one copy.
        ids.update(existing_post_ids(session, platform, [p.external_id for p in fresh]))
    ids.update(inserted)

    link_rows: list[dict[str, Any]] = []
    review_rows: list[dict[str, Any]] = []
    now = utc_now()
    for external_id, post in unique.items():
        interaction_id = ids[external_id]
        links = matcher.links(post)
        link_rows.extend(
            {"interaction_id": interaction_id, "contact_id": contact_id, "evidence": evidence}
            for contact_id, evidence in links.items()
        )
        if external_id in inserted and matcher.needs_review(post, links):
            review_rows.append(
                {
                    "interaction_id": interaction_id,
                    "status": ReviewStatus.WAITING,
                    "reason": provenance.review_reason,
                    "created_at": now,
                }
            )
    _insert_ignoring_duplicates(session, interaction_contacts, link_rows)
    _insert_ignoring_duplicates(session, PostReview.__table__, review_rows)
    if provenance.target_id is not None:
        note_collected(session, [ids[eid] for eid in unique], provenance.target_id)
        # Live responses carry each author's current handle; an old file may not.
        _record_renames(session, matcher, unique.values())
    return IngestResult(
        new=len(inserted),
        duplicates=len(posts) - len(inserted),
        sent_to_review=len(review_rows),
        interaction_ids={eid: ids[eid] for eid in unique},
    )


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
    now = utc_now()
    _insert_ignoring_duplicates(
        session,
        PostCollection.__table__,
        [
            {"interaction_id": interaction_id, "target_id": target_id, "first_seen_at": now}
            for interaction_id in interaction_ids
        ],
    )


def existing_post_ids(
    session: Session, platform: Platform, external_ids: Sequence[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), _ROWS_PER_STATEMENT):
        chunk = external_ids[start : start + _ROWS_PER_STATEMENT]
        rows = session.execute(
            select(Interaction.external_id, Interaction.id).where(
                Interaction.platform == platform, Interaction.external_id.in_(chunk)
            )
        )
        found.update({external_id: interaction_id for external_id, interaction_id in rows})
    return found


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
    if not posts:
        return {}
    table = Interaction.__table__
    now = utc_now()
    # One statement, many parameter sets: SQLAlchemy batches them into multi-row INSERTs
    # ("insertmanyvalues") and compiles the statement once, not once per page.
    statement = (
        _insert(session, table)
        .on_conflict_do_nothing(index_elements=["platform", "external_id"])
        .returning(table.c.external_id, table.c.id)
    )
    rows = [_post_row(post, now) for post in posts]
    return {external_id: new_id for external_id, new_id in session.execute(statement, rows)}


def _post_row(post: CollectedPost, now) -> dict[str, Any]:
    prepared = prepare_text(post.text)
    scored = sentiment.score(prepared.text)
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
        "sentiment_polarity": scored.polarity,
        "sentiment_subjectivity": scored.subjectivity,
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
