"""A council listening to its own account, some contacts, and posts passing between them:
the rows the cadence and suggestion tests share, stored through the real ingestion pipeline
so each link carries the evidence matching would give it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from crm.models import (
    CadenceTier,
    CollectionTarget,
    Interaction,
    Officer,
    Organisation,
    Person,
    Platform,
    SocialAccount,
    TargetKind,
)
from crm.services.ingestion import Provenance, ingest_posts
from crm.services.posts import CollectedPost, Mention
from tests import factories

_ids = itertools.count(1)


@dataclass
class ListeningWorld:
    session: Session
    owner: Officer
    council: Organisation
    council_account: SocialAccount
    tier: CadenceTier

    def organisation(self, name: str, *, created_at: datetime, **fields: object) -> Organisation:
        fields.setdefault("cadence_tier_id", self.tier.id)
        fields.setdefault("owner_id", self.owner.id)
        organisation = factories.organisation(self.session, name, created_at=created_at, **fields)
        return organisation

    def person(self, name: str, *, created_at: datetime, **fields: object) -> Person:
        person = Person(name=name, created_at=created_at, owner_id=self.owner.id, **fields)
        self.session.add(person)
        self.session.flush()
        return person

    def account_of(self, contact: Organisation | Person, handle: str) -> SocialAccount:
        return factories.account(self.session, contact, handle)

    def post(
        self,
        author: SocialAccount | str,
        text: str,
        *,
        at: datetime,
        mentions: tuple[SocialAccount, ...] = (),
        reply_to: Interaction | None = None,
        reply_to_account: SocialAccount | None = None,
    ) -> Interaction:
        """A post stored as the collectors would store it; `author` may be a stranger's id."""
        author_id = author if isinstance(author, str) else author.platform_user_id
        handle = f"user{author_id}" if isinstance(author, str) else author.handle
        external_id = str(2_000_000_000_000_000_000 + next(_ids))
        collected = CollectedPost(
            platform=Platform.X,
            external_id=external_id,
            author_platform_id=author_id,
            author_handle=handle,
            text=text,
            created_at=at,
            in_reply_to_external_id=reply_to.external_id if reply_to else None,
            in_reply_to_user_id=(
                reply_to_account.platform_user_id
                if reply_to_account
                else (reply_to.author_platform_id if reply_to else None)
            ),
            mentions=tuple(Mention(a.platform_user_id, a.handle) for a in mentions),
        )
        result = ingest_posts(
            self.session, [collected], provenance=Provenance(review_reason="Test")
        )
        return self.session.get_one(Interaction, result.interaction_ids[external_id])


def listening_world(session: Session, *, tier_days: int = 30) -> ListeningWorld:
    owner = factories.officer(session, name="Sam Owner")
    council = factories.organisation(session, "Riverside Council")
    council_account = factories.account(session, council, "riversidecouncil")
    session.add(
        CollectionTarget(
            platform=Platform.X,
            kind=TargetKind.MENTIONS,
            name="Mentions of @riversidecouncil",
            account_id=council_account.id,
        )
    )
    # Not a name the migration seeds: its rows are still there for the first test.
    tier = CadenceTier(name="Listening world tier", days=tier_days)
    session.add(tier)
    session.flush()
    return ListeningWorld(session, owner, council, council_account, tier)
