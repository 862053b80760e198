"""Matching collected posts to contacts on exact evidence only.

A post links to a contact when its author's immutable id is one of the contact's accounts, or
when it mentions or replies to one of them. Names and handles that merely look alike are
offered to officers as suggestions (crm.services.review) and never applied here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import CollectionTarget, Platform, SocialAccount, TargetKind
from crm.services.posts import CollectedPost


class Evidence(StrEnum):
    AUTHOR = "author"
    REPLY = "reply"
    MENTION = "mention"
    OFFICER = "officer"  # an officer linked it from the review queue


# When one post is linked to a contact on two counts, the stronger is recorded.
_STRENGTH = {Evidence.OFFICER: 3, Evidence.AUTHOR: 2, Evidence.REPLY: 1, Evidence.MENTION: 0}


@dataclass(frozen=True)
class KnownAccount:
    account_id: int
    contact_id: int
    handle: str


@dataclass(frozen=True)
class Rename:
    account_id: int
    old_handle: str
    new_handle: str


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class ContactMatcher:
    """Every known account on one platform, loaded once per run and read per post."""

    def __init__(
        self,
        platform: Platform,
        accounts: dict[str, KnownAccount],
        council_user_ids: frozenset[str] = frozenset(),
    ) -> None:
        self.platform = platform
        self._accounts = accounts
        self._council_user_ids = council_user_ids

    @classmethod
    def load(cls, session: Session, platform: Platform) -> ContactMatcher:
        """Every account on the platform: for callers that match many unrelated posts."""
        return cls._loaded(session, platform, None)

    @classmethod
    def for_posts(
        cls, session: Session, platform: Platform, posts: Iterable[CollectedPost]
    ) -> ContactMatcher:
        """Only the accounts these posts name: one indexed look-up per page, always current."""
        user_ids: set[str] = set()
        for post in posts:
            user_ids.add(post.author_platform_id)
            if post.in_reply_to_user_id:
                user_ids.add(post.in_reply_to_user_id)
            user_ids.update(mention.user_id for mention in post.mentions)
        return cls._loaded(session, platform, user_ids)

    @classmethod
    def _loaded(
        cls, session: Session, platform: Platform, user_ids: set[str] | None
    ) -> ContactMatcher:
        query = select(
            SocialAccount.platform_user_id,
            SocialAccount.id,
            SocialAccount.contact_id,
            SocialAccount.handle,
        ).where(SocialAccount.platform == platform)
        accounts: dict[str, KnownAccount] = {}
        chunks = [None] if user_ids is None else _chunks(sorted(user_ids), 500)
        for chunk in chunks:
            rows = session.execute(
                query if chunk is None else query.where(SocialAccount.platform_user_id.in_(chunk))
            )
            accounts.update(
                (user_id, KnownAccount(account_id, contact_id, handle))
                for user_id, account_id, contact_id, handle in rows
            )
        council = session.scalars(
            select(SocialAccount.platform_user_id)
            .join(CollectionTarget, CollectionTarget.account_id == SocialAccount.id)
            .where(CollectionTarget.kind == TargetKind.MENTIONS, SocialAccount.platform == platform)
        )
        return cls(platform, accounts, frozenset(council))

    def links(self, post: CollectedPost) -> dict[int, Evidence]:
        """The contacts this post belongs with, and the strongest evidence for each."""
        found: dict[int, Evidence] = {}
        self._add(found, post.author_platform_id, Evidence.AUTHOR)
        if post.in_reply_to_user_id:
            self._add(found, post.in_reply_to_user_id, Evidence.REPLY)
        for mention in post.mentions:
            self._add(found, mention.user_id, Evidence.MENTION)
        return found

    def needs_review(self, post: CollectedPost, links: dict[int, Evidence]) -> bool:
        """An unknown author, and nothing but the council's own accounts to place the post."""
        if post.author_platform_id in self._accounts:
            return False
        council_contacts = {
            self._accounts[user_id].contact_id
            for user_id in self._council_user_ids
            if user_id in self._accounts
        }
        return not set(links) - council_contacts

    def rename(self, post: CollectedPost) -> Rename | None:
        """The author's account, when the post shows it under a new handle."""
        known = self._accounts.get(post.author_platform_id)
        if known is None or not post.author_handle or known.handle == post.author_handle:
            return None
        self._accounts[post.author_platform_id] = KnownAccount(
            known.account_id, known.contact_id, post.author_handle
        )
        return Rename(known.account_id, known.handle, post.author_handle)

    def _add(self, found: dict[int, Evidence], user_id: str, evidence: Evidence) -> None:
        known = self._accounts.get(user_id)
        if known is None:
            return
        current = found.get(known.contact_id)
        if current is None or _STRENGTH[evidence] > _STRENGTH[current]:
            found[known.contact_id] = evidence
