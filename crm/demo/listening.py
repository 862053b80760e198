"""The demo's listening: targets as a council would set them up, and what they heard.

The posts go through the same matching, scoring, storing and review queue as collected
posts do (crm.services.ingestion), and each target's share is recorded as a run.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crm.demo import posts as phrases
from crm.models import (
    CollectionTarget,
    Officer,
    Organisation,
    Person,
    Platform,
    RunStatus,
    SocialAccount,
    TargetKind,
)
from crm.services import collection, targets
from crm.services.ingestion import Provenance, ingest_posts
from crm.services.matching import ContactMatcher
from crm.services.posts import CollectedPost, Mention

ORGANISATIONS_FOLLOWED = 12
OVERHEARD_POSTS = 24
SEARCH_QUERY = '("food bank" OR "warm space" OR "cost of living") -is:retweet lang:en'
SEARCH_PURPOSE = (
    "Find community groups offering cost-of-living help this winter, so officers can connect "
    "them with the council's support fund."
)


@dataclass
class DemoListening:
    """Sets up the demo's targets and stores what they heard; `next_id` numbers the posts."""

    session: Session
    rng: random.Random
    now: datetime
    next_id: int

    def build(
        self,
        organisations: list[Organisation],
        people: list[Person],
        council: Organisation,
        admin: Officer,
        count: int,
    ) -> int:
        mentions, search, followed = self._targets(organisations, council, admin)
        council_account = council.accounts[0]
        authors = [*organisations, *(p for p in people if p.accounts)]
        moods = [phrases.POSITIVE] * 5 + [phrases.NEUTRAL] * 4 + [phrases.NEGATIVE] * 2
        by_target: dict[CollectionTarget, list[CollectedPost]] = defaultdict(list)
        for _ in range(count):
            author = self.rng.choice(authors)
            account = author.accounts[0]
            text = self.rng.choice(self.rng.choice(moods))
            post = self._post(account.platform_user_id, account.handle, text, council_account)
            if post.mentions:
                by_target[mentions].append(post)
            elif account.id in followed:
                by_target[followed[account.id]].append(post)
            else:
                by_target[search].append(post)
        for _ in range(OVERHEARD_POSTS):
            index = self.rng.randrange(len(phrases.UNKNOWN_AUTHORS))
            handle = phrases.UNKNOWN_AUTHORS[index][0]
            text = self.rng.choice(phrases.OVERHEARD)
            post = self._post(f"{7_700_000_000 + index}", handle, text, council_account)
            by_target[mentions if post.mentions else search].append(post)
        return self._store(by_target)

    def _targets(self, organisations, council, admin):
        mentions = targets.create_account_target(
            self.session,
            account_id=council.accounts[0].id,
            kind=TargetKind.MENTIONS,
            created_by_id=admin.id,
        )
        search = targets.create_search_target(
            self.session,
            name="Cost of living help",
            query=SEARCH_QUERY,
            purpose=SEARCH_PURPOSE,
            created_by_id=admin.id,
            interval_minutes=30,
        )
        followed = {}
        for organisation in organisations[:ORGANISATIONS_FOLLOWED]:
            account = organisation.accounts[0]
            followed[account.id] = targets.create_account_target(
                self.session,
                account_id=account.id,
                kind=TargetKind.ACCOUNT_POSTS,
                created_by_id=admin.id,
                interval_minutes=60,
            )
        return mentions, search, followed

    def _post(
        self, author_id: str, handle: str, template: str, council: SocialAccount
    ) -> CollectedPost:
        self.next_id += self.rng.randint(1_000, 10_000_000)
        text = template.format(council=council.handle)
        mentions = (
            (Mention(council.platform_user_id, council.handle),)
            if f"@{council.handle}" in text
            else ()
        )
        return CollectedPost(
            platform=Platform.X,
            external_id=str(self.next_id),
            author_platform_id=author_id,
            author_handle=handle,
            text=text,
            created_at=self.now - timedelta(minutes=self.rng.randint(30, 365 * 24 * 60)),
            url=f"https://x.com/{handle}/status/{self.next_id}",
            mentions=mentions,
            language="en",
            raw={"author": {"id": author_id, "username": handle, "name": _name_for(handle)}},
        )

    def _store(self, by_target: dict[CollectionTarget, list[CollectedPost]]) -> int:
        self.session.flush()
        matcher = ContactMatcher.load(self.session, Platform.X)
        stored = 0
        for target, batch in by_target.items():
            run = collection.start_run(
                self.session, platform=Platform.X, target_id=target.id, name=target.name
            )
            result = ingest_posts(
                self.session,
                batch,
                matcher=matcher,
                provenance=Provenance(
                    review_reason=targets.why_collected(target), target_id=target.id
                ),
            )
            run.pages, run.fetched, run.new = 1, len(batch), result.new
            run.duplicates = result.duplicates
            collection.finish_run(self.session, run.id, RunStatus.OK)
            stored += result.new
        return stored


def _name_for(handle: str) -> str | None:
    return dict(phrases.UNKNOWN_AUTHORS).get(handle)
