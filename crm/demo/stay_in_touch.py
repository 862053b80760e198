"""The demo's stay-in-touch picture: organisations on cadence tiers, some gone quiet, and the
recent posts that make suggested follow-ups (a complaint, an unanswered question, a group
that has gone cold posting about its funding)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.models import (
    CadenceTier,
    CollectionTarget,
    Officer,
    Organisation,
    Person,
    Platform,
    SocialAccount,
    TargetKind,
)
from crm.services.cadences import cold_organisation_ids
from crm.services.ingestion import Provenance, ingest_posts
from crm.services.posts import CollectedPost, Mention
from crm.services.suggestions import suggest_follow_ups

# The tiers the first migration seeds; made here too when a database has lost them.
TIERS = (("Strategic partner", 30, 1), ("Active", 90, 2), ("Occasional", 180, 3))
FIRST_POST_ID = 1_997_700_000_000_000_000
STRANGER = ("8800000001", "marshby_resident_demo")

COMPLAINT = (
    "@{council} the path to our centre has been flooded for two weeks. Really disappointing "
    "and dangerous for our older members."
)
QUESTION = "@{council} who should we ask about putting a bench in Saltings Park?"
ANSWERED = "@{council} is the community grants round open yet?"
ANSWER = "Yes: it opens on Monday. The guidance is on our website."
COLD_NEWS = (
    "Worried about our funding after March. Without it we will have to close the Thursday session."
)


@dataclass
class DemoStayInTouch:
    session: Session
    now: datetime
    next_id: int = FIRST_POST_ID

    def build(
        self,
        organisations: list[Organisation],
        people: list[Person],
        council: Organisation,
        demo_officer: Officer,
    ) -> int:
        """Give tiers, then post what the rules pick up; returns how many were suggested."""
        tiers = self._tiers()
        for index, organisation in enumerate(organisations):
            organisation.cadence_tier_id = tiers[index % 4 if index % 4 < 3 else 1].id
            # The demo borough has been in Weaver for over a year.
            organisation.created_at = self.now - timedelta(days=400)
        partners = [o for o in organisations if o.cadence_tier_id == tiers[0].id]
        for organisation in partners[:3]:
            organisation.owner_id = demo_officer.id
        own_people = [p for p in people if p.owner_id == demo_officer.id]
        if own_people:
            own_people[0].cadence_days = 21
            own_people[0].created_at = self.now - timedelta(days=400)
        self.session.flush()
        self._recent_posts(organisations, council, demo_officer)
        return suggest_follow_ups(self.session, now=self.now)

    def _tiers(self) -> list[CadenceTier]:
        found = {tier.name: tier for tier in self.session.scalars(select(CadenceTier))}
        for name, days, position in TIERS:
            if name not in found:
                found[name] = CadenceTier(name=name, days=days, position=position)
                self.session.add(found[name])
        self.session.flush()
        return [found[name] for name, _, _ in TIERS]

    def _recent_posts(
        self, organisations: list[Organisation], council: Organisation, demo_officer: Officer
    ) -> None:
        council_account = council.accounts[0]
        mine = [o for o in organisations if o.owner_id == demo_officer.id] or organisations
        cold = cold_organisation_ids(self.session, now=self.now)
        news_from = next((o for o in mine if o.id in cold), None) or next(
            (o for o in organisations if o.id in cold), None
        )
        answered_by = next(o for o in organisations if o is not news_from and o is not mine[0])
        asked = self._post(answered_by.accounts[0], ANSWERED, days_ago=4, council=council_account)
        posts = [
            self._post(mine[0].accounts[0], COMPLAINT, days_ago=2, council=council_account),
            self._post(STRANGER, QUESTION, days_ago=8, council=council_account),
            asked,
            self._post(council_account, ANSWER, days_ago=3, reply_to=(asked, answered_by)),
        ]
        if news_from is not None:
            posts.append(self._post(news_from.accounts[0], COLD_NEWS, days_ago=3))
        target_id = self.session.scalar(
            select(CollectionTarget.id).where(
                CollectionTarget.kind == TargetKind.MENTIONS,
                CollectionTarget.account_id == council_account.id,
            )
        )
        ingest_posts(
            self.session,
            posts,
            provenance=Provenance(
                review_reason="Mentions the council's own account", target_id=target_id
            ),
        )

    def _post(
        self,
        author: SocialAccount | tuple[str, str],
        template: str,
        *,
        days_ago: int,
        council: SocialAccount | None = None,
        reply_to: tuple[CollectedPost, Organisation] | None = None,
    ) -> CollectedPost:
        self.next_id += 1
        user_id, handle = (
            author if isinstance(author, tuple) else (author.platform_user_id or "", author.handle)
        )
        text = template.format(council=council.handle if council else "")
        return CollectedPost(
            platform=Platform.X,
            external_id=str(self.next_id),
            author_platform_id=user_id,
            author_handle=handle,
            text=text,
            created_at=self.now - timedelta(days=days_ago),
            url=f"https://x.com/{handle}/status/{self.next_id}",
            in_reply_to_external_id=reply_to[0].external_id if reply_to else None,
            in_reply_to_user_id=reply_to[1].accounts[0].platform_user_id if reply_to else None,
            mentions=(Mention(council.platform_user_id or "", council.handle),) if council else (),
            language="en",
            raw={"author": {"id": user_id, "username": handle}},
        )
