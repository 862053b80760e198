"""The review queue: posts from authors who are not contacts wait for an officer's decision,
suggestions are only suggestions, and every decision is audited."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import InvalidInput, NotFound
from crm.models import (
    AuditEvent,
    CollectionTarget,
    Interaction,
    Officer,
    Organisation,
    Platform,
    PostReview,
    ReviewStatus,
    SocialAccount,
    interaction_contacts,
)
from crm.sentiment import SentimentLabel
from crm.services import review
from crm.services.ingestion import Provenance, ingest_posts, store_collected_post
from crm.services.matching import ContactMatcher, Evidence
from crm.services.posts import CollectedPost
from crm.services.targets import create_search_target
from tests import factories

_ids = itertools.count(1)


def collected(
    handle: str,
    *,
    name: str | None = None,
    text: str = "Does anyone know when the library reopens?",
    author_id: str | None = None,
    posted_at: datetime | None = None,
    external_id: str | None = None,
) -> CollectedPost:
    number = next(_ids)
    return CollectedPost(
        platform=Platform.X,
        external_id=external_id or str(1_950_000_000_000_000_000 + number),
        author_platform_id=author_id or str(5_000_000 + number),
        author_handle=handle,
        text=text,
        created_at=posted_at or datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        url=f"https://x.com/{handle}/status/{number}",
        raw={"author": {"name": name}} if name else {},
    )


def listening_target(session: Session, officer: Officer) -> CollectionTarget:
    return create_search_target(
        session,
        name="Library closures",
        query="brackenford library",
        purpose="Hear what residents say about library opening hours",
        created_by_id=officer.id,
    )


def ingest(session: Session, *posts: CollectedPost, target: CollectionTarget | None = None):
    return ingest_posts(
        session,
        list(posts),
        matcher=ContactMatcher.load(session, Platform.X),
        provenance=Provenance(
            review_reason="Found by the listening query “Library closures”",
            target_id=target.id if target else None,
        ),
    )


def review_of(session: Session, post: CollectedPost) -> PostReview:
    return session.scalars(
        select(PostReview)
        .join(Interaction, Interaction.id == PostReview.interaction_id)
        .where(Interaction.external_id == post.external_id)
    ).one()


def links_of(session: Session, post: CollectedPost) -> dict[int, str]:
    rows = session.execute(
        select(interaction_contacts.c.contact_id, interaction_contacts.c.evidence)
        .join(Interaction, Interaction.id == interaction_contacts.c.interaction_id)
        .where(Interaction.external_id == post.external_id)
    )
    return {contact_id: evidence for contact_id, evidence in rows}


def audit_summaries(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)))


@pytest.fixture
def officer(session: Session) -> Officer:
    return factories.officer(session, email="rowan@council.example", name="Rowan Officer")


def restricted_person(session: Session, name: str) -> Organisation:
    owner = factories.officer(session, email="owner@council.example", name="Olive Owner")
    person = factories.person(session, name)
    person.is_restricted = True
    person.owner_id = owner.id
    session.flush()
    return person


def test_waiting_posts_come_oldest_first_with_why_they_were_collected(session, officer) -> None:
    target = listening_target(session, officer)
    newer = collected("second_poster", posted_at=datetime(2026, 11, 21, tzinfo=UTC))
    older = collected("first_poster", name="First Poster")
    ingest(session, newer, target=target)
    review_of(session, newer).created_at = datetime(2026, 11, 21, tzinfo=UTC)
    ingest(session, older, target=target)
    review_of(session, older).created_at = datetime(2026, 11, 20, tzinfo=UTC)
    session.flush()

    page = review.waiting_reviews(session, viewer=officer, page=1, per_page=20)

    assert page.total == 2
    assert [item.post.author_handle for item in page.items] == ["first_poster", "second_poster"]
    first = page.items[0]
    assert first.author_name == "First Poster"
    assert first.review.reason == "Found by the listening query “Library closures”"
    assert [(t.name, t.purpose) for t in first.targets] == [
        ("Library closures", "Hear what residents say about library opening hours")
    ]


def test_the_queue_comes_a_page_at_a_time(session, officer) -> None:
    ingest(session, *(collected(f"poster{n}") for n in range(5)))

    second = review.waiting_reviews(session, viewer=officer, page=2, per_page=2)

    assert second.total == 5
    assert second.number == 2
    assert len(second.items) == 2
    assert review.waiting_count(session, viewer=officer) == 5


def test_lookalike_contacts_are_suggested_but_never_linked(session, officer) -> None:
    pantry = factories.organisation(session, "Marshby Community Pantry")
    mind = factories.organisation(session, "Mind in Brackenford")
    factories.account(session, mind, handle="BrackenfordMind")
    factories.organisation(session, "Saltings Lunch Club")
    post = collected("brackenford_mind_uk", name="Marshby Community Pantry")
    ingest(session, post)

    [item] = review.waiting_reviews(session, viewer=officer).items

    suggested = {s.contact_id: s.why for s in item.suggestions}
    assert set(suggested) == {pantry.id, mind.id}
    assert "name" in suggested[pantry.id]
    assert "@BrackenfordMind" in suggested[mind.id]
    assert links_of(session, post) == {}
    assert review_of(session, post).status is ReviewStatus.WAITING


def test_suggestions_leave_out_contacts_the_officer_may_not_see(session, officer) -> None:
    restricted_person(session, "Jo Private")
    ingest(session, collected("jo_private"))

    [item] = review.waiting_reviews(session, viewer=officer).items

    assert item.suggestions == []


def test_suggestions_stay_few(session, officer) -> None:
    for number in range(review.MAX_SUGGESTIONS + 3):
        factories.organisation(session, f"Hope Foundation {number}")
    ingest(session, collected("hopefoundation"))

    [item] = review.waiting_reviews(session, viewer=officer).items

    assert len(item.suggestions) == review.MAX_SUGGESTIONS


def test_linking_a_post_to_a_contact_is_the_officers_decision_and_is_audited(
    session, officer
) -> None:
    group = factories.organisation(session, "Marshby Community Pantry")
    post = collected("pantry_volunteer")
    ingest(session, post)
    pending = review_of(session, post)

    review.link_to_contact(session, pending.id, group.id, officer.id)

    assert links_of(session, post) == {group.id: Evidence.OFFICER.value}
    assert pending.status is ReviewStatus.LINKED
    assert pending.decided_by_id == officer.id
    assert pending.decided_at is not None
    assert review.waiting_count(session, viewer=officer) == 0
    assert "Linked a post by @pantry_volunteer to Marshby Community Pantry" in audit_summaries(
        session
    )
    # Without the box ticked, the account is not remembered.
    assert session.scalars(select(SocialAccount)).all() == []


def test_an_organisations_account_is_remembered_only_when_the_officer_asks(
    session, officer
) -> None:
    group = factories.organisation(session, "Marshby Community Pantry")
    post = collected("marshbypantry", author_id="777")
    ingest(session, post)

    review.link_to_contact(
        session, review_of(session, post).id, group.id, officer.id, remember_account=True
    )

    account = session.scalars(select(SocialAccount)).one()
    assert (account.contact_id, account.platform_user_id, account.handle) == (
        group.id,
        "777",
        "marshbypantry",
    )
    assert "Added the x account @marshbypantry to Marshby Community Pantry" in audit_summaries(
        session
    )
    later = collected("marshbypantry", author_id="777", text="Open again on Saturday")
    result = ingest(session, later)
    assert result.sent_to_review == 0
    assert links_of(session, later) == {group.id: Evidence.AUTHOR.value}


def test_a_persons_account_is_never_remembered(session, officer) -> None:
    person = factories.person(session, "Jo Example")
    post = collected("jo_example")
    ingest(session, post)
    pending = review_of(session, post)

    with pytest.raises(InvalidInput) as refused:
        review.link_to_contact(session, pending.id, person.id, officer.id, remember_account=True)

    assert refused.value.field == "remember_account"
    assert session.scalars(select(SocialAccount)).all() == []
    assert pending.status is ReviewStatus.WAITING
    assert links_of(session, post) == {}


def test_a_post_cannot_be_linked_to_a_contact_the_officer_may_not_see(session, officer) -> None:
    hidden = restricted_person(session, "Jo Private")
    post = collected("jo_private")
    ingest(session, post)
    pending = review_of(session, post)

    with pytest.raises(NotFound):
        review.link_to_contact(session, pending.id, hidden.id, officer.id)

    assert pending.status is ReviewStatus.WAITING
    assert links_of(session, post) == {}


def test_an_organisation_can_be_made_from_a_posts_author(session, officer) -> None:
    post = collected("saltings_repair_cafe", name="Saltings Repair Café", author_id="4242")
    ingest(session, post)
    pending = review_of(session, post)

    made = review.create_organisation_from(
        session, pending.id, " Saltings Repair Café ", officer.id
    )

    assert made.name == "Saltings Repair Café"
    assert made.owner_id == officer.id
    [account] = made.accounts
    assert (account.platform_user_id, account.handle, account.is_official) == (
        "4242",
        "saltings_repair_cafe",
        True,
    )
    assert links_of(session, post) == {made.id: Evidence.OFFICER.value}
    assert pending.status is ReviewStatus.CREATED
    summaries = audit_summaries(session)
    assert "Created Saltings Repair Café from a post by @saltings_repair_cafe" in summaries


def test_an_organisation_needs_a_name(session, officer) -> None:
    post = collected("nameless")
    ingest(session, post)

    with pytest.raises(InvalidInput) as refused:
        review.create_organisation_from(session, review_of(session, post).id, "   ", officer.id)

    assert refused.value.field == "name"
    assert session.scalars(select(Organisation)).all() == []


def test_a_dismissed_post_never_comes_back_to_the_queue(session, officer) -> None:
    target = listening_target(session, officer)
    post = collected("spam_account", text="Win a prize!!!")
    ingest(session, post, target=target)
    pending = review_of(session, post)

    review.dismiss(session, pending.id, officer.id)
    again = ingest(session, post, target=target)

    assert again.new == 0
    assert again.sent_to_review == 0
    assert review_of(session, post).status is ReviewStatus.DISMISSED
    assert review.waiting_reviews(session, viewer=officer).total == 0
    assert "Dismissed a post by @spam_account from the review queue" in audit_summaries(session)


def test_a_post_is_decided_once(session, officer) -> None:
    group = factories.organisation(session, "Marshby Community Pantry")
    post = collected("pantry_volunteer")
    ingest(session, post)
    pending = review_of(session, post)
    review.dismiss(session, pending.id, officer.id)

    with pytest.raises(review.AlreadyReviewed):
        review.link_to_contact(session, pending.id, group.id, officer.id)
    with pytest.raises(review.AlreadyReviewed):
        review.dismiss(session, pending.id, officer.id)
    with pytest.raises(NotFound):
        review.dismiss(session, pending.id + 1000, officer.id)


def test_an_officer_can_correct_the_sentiment_and_undo_it(session, officer) -> None:
    post = collected("sarcastic", text="Great, another closure. Wonderful news")
    result = ingest(session, post)
    interaction_id = result.interaction_ids[post.external_id]
    stored = session.get(Interaction, interaction_id)
    automatic = stored.sentiment_label
    assert automatic is SentimentLabel.POSITIVE

    review.override_sentiment(session, interaction_id, SentimentLabel.NEGATIVE, officer.id)

    assert stored.sentiment_label is SentimentLabel.NEGATIVE
    assert stored.sentiment_override_by_id == officer.id
    details = review.post_details(session, interaction_id, viewer=officer)
    assert details.automatic_sentiment is SentimentLabel.POSITIVE
    assert details.override_by.id == officer.id

    review.override_sentiment(session, interaction_id, None, officer.id)

    assert stored.sentiment_label is SentimentLabel.POSITIVE
    assert stored.sentiment_override is None
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "interaction", AuditEvent.subject_id == interaction_id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.before, e.after) for e in events] == [
        (
            {"sentiment_override": None, "sentiment": "positive"},
            {"sentiment_override": "negative", "sentiment": "negative"},
        ),
        (
            {"sentiment_override": "negative", "sentiment": "negative"},
            {"sentiment_override": None, "sentiment": "positive"},
        ),
    ]


def test_a_post_about_someone_hidden_from_the_officer_is_not_found(session, officer) -> None:
    hidden = restricted_person(session, "Jo Private")
    stored = store_collected_post(session, collected("jo_private"), [hidden.id])
    owner = session.get(Officer, hidden.owner_id)

    with pytest.raises(NotFound):
        review.post_details(session, stored.interaction_id, viewer=officer)
    with pytest.raises(NotFound):
        review.override_sentiment(
            session, stored.interaction_id, SentimentLabel.NEGATIVE, officer.id
        )
    details = review.post_details(session, stored.interaction_id, viewer=owner)
    assert [(link.contact.name, link.evidence) for link in details.links] == [
        ("Jo Private", Evidence.OFFICER)
    ]


def test_a_post_page_says_who_it_is_linked_to_and_why_it_was_collected(session, officer) -> None:
    council = factories.organisation(session, "Brackenford Borough Council")
    council_account = factories.account(session, council, handle="BrackenfordBC")
    target = listening_target(session, officer)
    post = CollectedPost(
        **{
            **collected("resident_rae").__dict__,
            "in_reply_to_user_id": council_account.platform_user_id,
        }
    )
    result = ingest(session, post, target=target)

    details = review.post_details(session, result.interaction_ids[post.external_id], viewer=officer)

    assert [(link.contact.name, link.evidence) for link in details.links] == [
        ("Brackenford Borough Council", Evidence.REPLY)
    ]
    assert [t.name for t in details.targets] == ["Library closures"]
    assert details.review is None or details.review.status is ReviewStatus.WAITING


def test_suggestions_are_cheap_enough_for_a_large_council(session, officer) -> None:
    session.add_all(Organisation(name=f"Community group number {number}") for number in range(3000))
    session.flush()
    ingest(session, *(collected(f"someone_{n}", name=f"Someone {n}") for n in range(20)))

    started = datetime.now(UTC)
    review.waiting_reviews(session, viewer=officer, per_page=20)

    assert datetime.now(UTC) - started < timedelta(seconds=5)
