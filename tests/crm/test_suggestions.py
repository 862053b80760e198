"""Suggested follow-ups: the posts that trigger each rule, the ones that must not, and
decisions that stick."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.config import DEFAULT_SUGGESTION_KEYWORDS, suggestion_keywords
from crm.errors import InvalidInput, NotFound
from crm.models import (
    AuditEvent,
    FollowUp,
    InteractionKind,
    OfficerRole,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from crm.services.suggestions import (
    AlreadyDecided,
    accept_suggestion,
    dismiss_suggestion,
    is_question,
    keyword_pattern,
    suggest_follow_ups,
    waiting_suggestions,
)
from crm.working_days import is_working_day, working_days_after
from tests import factories
from tests.crm.listening_world import ListeningWorld, listening_world

# Monday 1 June 2026, midday.
MONDAY = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ANGRY = "This is terrible, the worst bin service ever @riversidecouncil"
HAPPY = "Thank you @riversidecouncil, a wonderful and lovely fun day"


@pytest.fixture
def world(session: Session) -> ListeningWorld:
    return listening_world(session, tier_days=30)


def suggestions(world: ListeningWorld, kind: SuggestionKind | None = None) -> list[Suggestion]:
    query = select(Suggestion).order_by(Suggestion.id)
    if kind is not None:
        query = query.where(Suggestion.kind == kind)
    return list(world.session.scalars(query))


def to_council(world: ListeningWorld, author, text: str, at: datetime):
    return world.post(author, text, at=at, mentions=(world.council_account,))


# --- negative posts ----------------------------------------------------------------------


def test_a_negative_post_to_the_council_is_suggested_but_a_positive_one_is_not(
    world: ListeningWorld,
) -> None:
    angry = to_council(world, "501", ANGRY, MONDAY - timedelta(hours=2))
    to_council(world, "502", HAPPY, MONDAY - timedelta(hours=1))

    assert suggest_follow_ups(world.session, now=MONDAY) == 1

    [suggestion] = suggestions(world)
    assert suggestion.kind is SuggestionKind.NEGATIVE_MENTION
    assert suggestion.interaction_id == angry.id
    assert suggestion.contact_id is None
    assert suggestion.assignee_id is None
    assert "@user501 posted something negative" in suggestion.reason
    assert "automatic reading" in suggestion.reason


def test_a_negative_post_from_a_contact_goes_to_its_owner(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=MONDAY)
    hub_account = world.account_of(hub, "northgateyouth")
    to_council(world, hub_account, ANGRY, MONDAY - timedelta(hours=2))

    suggest_follow_ups(world.session, now=MONDAY)

    [suggestion] = suggestions(world)
    assert suggestion.contact_id == hub.id
    assert suggestion.assignee_id == world.owner.id
    assert suggestion.reason.startswith("Northgate Youth Hub (@northgateyouth) posted")


def test_an_officers_reading_of_the_sentiment_wins(world: ListeningWorld) -> None:
    misread = to_council(world, "501", ANGRY, MONDAY - timedelta(hours=2))
    misread.sentiment_override = "positive"
    sarcastic = to_council(world, "502", HAPPY, MONDAY - timedelta(hours=2))
    sarcastic.sentiment_override = "negative"
    world.session.flush()

    suggest_follow_ups(world.session, now=MONDAY)

    [suggestion] = suggestions(world)
    assert suggestion.interaction_id == sarcastic.id
    assert "judged negative by an officer" in suggestion.reason


def test_negative_posts_not_addressed_to_the_council_or_too_old_are_left_alone(
    world: ListeningWorld,
) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=MONDAY)
    hub_account = world.account_of(hub, "northgateyouth")
    world.post(hub_account, "This is terrible, the worst day", at=MONDAY - timedelta(hours=1))
    to_council(world, "501", ANGRY, MONDAY - timedelta(days=15))
    world.post(
        world.council_account,
        "Terrible weather, the worst storm: bins are delayed",
        at=MONDAY - timedelta(hours=1),
        mentions=(world.council_account,),
    )

    assert suggest_follow_ups(world.session, now=MONDAY) == 0


# --- unanswered questions ---------------------------------------------------------------

FRIDAY_AFTERNOON = datetime(2026, 6, 5, 15, 0, tzinfo=UTC)


def test_a_question_asked_on_friday_waits_two_whole_working_days(world: ListeningWorld) -> None:
    to_council(world, "501", "When does the library reopen?", FRIDAY_AFTERNOON)

    monday_noon = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)
    tuesday_night = datetime(2026, 6, 9, 22, 0, tzinfo=UTC)  # 23:00 in London
    wednesday_morning = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
    assert suggest_follow_ups(world.session, now=monday_noon) == 0
    assert suggest_follow_ups(world.session, now=tuesday_night) == 0
    assert suggest_follow_ups(world.session, now=wednesday_morning) == 1

    [suggestion] = suggestions(world, SuggestionKind.UNANSWERED_QUESTION)
    assert "asked the council a question on Friday 5 June" in suggestion.reason
    assert "2 working days" in suggestion.reason


def test_bank_holidays_are_not_working_days(world: ListeningWorld) -> None:
    # Friday 22 May 2026; Monday 25 May is the spring bank holiday.
    to_council(world, "501", "Is the tip open?", datetime(2026, 5, 22, 9, 0, tzinfo=UTC))

    assert suggest_follow_ups(world.session, now=datetime(2026, 5, 27, 12, 0, tzinfo=UTC)) == 0
    assert suggest_follow_ups(world.session, now=datetime(2026, 5, 28, 9, 0, tzinfo=UTC)) == 1


def test_a_question_the_council_answered_is_not_suggested(world: ListeningWorld) -> None:
    asked = to_council(world, "501", "When does the library reopen?", FRIDAY_AFTERNOON)
    world.post(
        world.council_account,
        "Next Monday at 9am",
        at=FRIDAY_AFTERNOON + timedelta(hours=1),
        reply_to=asked,
    )
    someone_else = to_council(world, "502", "Where do I pay for parking?", FRIDAY_AFTERNOON)
    world.post("503", "On the app", at=FRIDAY_AFTERNOON, reply_to=someone_else)

    suggest_follow_ups(world.session, now=FRIDAY_AFTERNOON + timedelta(days=6))

    [suggestion] = suggestions(world, SuggestionKind.UNANSWERED_QUESTION)
    assert suggestion.interaction_id == someone_else.id


def test_a_post_without_a_question_mark_is_not_a_question(world: ListeningWorld) -> None:
    to_council(world, "501", "The library reopens on Monday", FRIDAY_AFTERNOON)
    assert suggest_follow_ups(world.session, now=FRIDAY_AFTERNOON + timedelta(days=6)) == 0
    assert is_question("Open on Sunday?")
    assert not is_question("Open on Sunday.")


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    assert working_days_after(date(2026, 6, 5), 2) == date(2026, 6, 9)
    assert working_days_after(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, moved from the Saturday


# --- going-cold organisations posting news ---------------------------------------------


def test_a_cold_organisation_posting_about_funding_is_suggested(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=MONDAY - timedelta(days=90))
    hub_account = world.account_of(hub, "northgateyouth")
    world.post(hub_account, "Sad news: we have lost our FUNDING.", at=MONDAY - timedelta(days=1))

    assert suggest_follow_ups(world.session, now=MONDAY) == 1

    [suggestion] = suggestions(world)
    assert suggestion.kind is SuggestionKind.COLD_CONTACT_NEWS
    assert suggestion.contact_id == hub.id
    assert suggestion.assignee_id == world.owner.id
    assert "Northgate Youth Hub is on the going-cold list" in suggestion.reason
    assert "“funding”" in suggestion.reason


def test_news_from_an_organisation_in_touch_or_inside_another_word_is_not_suggested(
    world: ListeningWorld,
) -> None:
    warm = world.organisation("Warm Friends", created_at=MONDAY - timedelta(days=90))
    warm_account = world.account_of(warm, "warmfriends")
    factories.logged_interaction(
        world.session, [warm], when=MONDAY - timedelta(days=5), kind=InteractionKind.CALL
    )
    cold = world.organisation("Cold Friends", created_at=MONDAY - timedelta(days=90))
    cold_account = world.account_of(cold, "coldfriends")
    yesterday = MONDAY - timedelta(days=1)

    world.post(warm_account, "Our closure date is set", at=yesterday)
    world.post(cold_account, "Full disclosure: we love crowdfunding and grantham", at=yesterday)
    world.post("501", "Heard @coldfriends faces closure", at=yesterday, mentions=(cold_account,))

    assert suggest_follow_ups(world.session, now=MONDAY) == 0


def test_keywords_are_configurable_and_match_phrases() -> None:
    assert suggestion_keywords({"WEAVER_SUGGESTION_KEYWORDS": " Merger , new venue,,"}) == (
        "merger",
        "new venue",
    )
    assert suggestion_keywords({}) == DEFAULT_SUGGESTION_KEYWORDS
    pattern = keyword_pattern(["new venue", "merger"])
    assert pattern is not None
    assert pattern.search("Our NEW  VENUE opens soon")
    assert not pattern.search("our newvenue")
    assert not pattern.search("mergers")
    assert keyword_pattern([" ", ""]) is None


def test_custom_keywords_are_used_by_the_rule(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=MONDAY - timedelta(days=90))
    hub_account = world.account_of(hub, "northgateyouth")
    world.post(hub_account, "Big news: a merger with our neighbours", at=MONDAY)

    assert suggest_follow_ups(world.session, now=MONDAY) == 0
    assert suggest_follow_ups(world.session, now=MONDAY, keywords=["merger"]) == 1


# --- deciding ---------------------------------------------------------------------------


def test_running_again_makes_nothing_new_and_a_dismissed_suggestion_never_returns(
    world: ListeningWorld,
) -> None:
    to_council(world, "501", ANGRY, MONDAY - timedelta(hours=2))
    assert suggest_follow_ups(world.session, now=MONDAY) == 1
    assert suggest_follow_ups(world.session, now=MONDAY) == 0

    [suggestion] = suggestions(world)
    dismiss_suggestion(world.session, suggestion.id, officer=world.owner, reason="Already handled")

    assert suggest_follow_ups(world.session, now=MONDAY + timedelta(hours=1)) == 0
    [again] = suggestions(world)
    assert again.status is SuggestionStatus.DISMISSED
    assert again.dismissed_reason == "Already handled"
    assert again.decided_by_id == world.owner.id
    assert waiting_suggestions(world.session, viewer=world.owner, assignee_ids=None) == []


def test_dismissing_needs_a_reason_and_is_audited(world: ListeningWorld) -> None:
    to_council(world, "501", ANGRY, MONDAY - timedelta(hours=2))
    suggest_follow_ups(world.session, now=MONDAY)
    [suggestion] = suggestions(world)

    with pytest.raises(InvalidInput):
        dismiss_suggestion(world.session, suggestion.id, officer=world.owner, reason="  ")
    dismiss_suggestion(world.session, suggestion.id, officer=world.owner, reason="Spam")

    event = world.session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "suggestion")
    ).one()
    assert event.officer_id == world.owner.id
    assert event.after == {"status": "dismissed", "dismissed_reason": "Spam"}


def test_accepting_makes_a_follow_up_for_the_contacts_owner(world: ListeningWorld) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=MONDAY)
    hub_account = world.account_of(hub, "northgateyouth")
    post = to_council(world, hub_account, ANGRY, MONDAY - timedelta(hours=2))
    suggest_follow_ups(world.session, now=MONDAY)
    [suggestion] = suggestions(world)
    colleague = factories.officer(world.session, name="Kim Colleague")

    follow_up = accept_suggestion(
        world.session, suggestion.id, officer=colleague, due_on=date(2026, 6, 3), note="Ring them"
    )

    assert (follow_up.contact_id, follow_up.interaction_id) == (hub.id, post.id)
    assert follow_up.assignee_id == world.owner.id
    assert follow_up.created_by_id == colleague.id
    assert follow_up.note == "Ring them"
    assert suggestion.status is SuggestionStatus.ACCEPTED
    assert suggestion.follow_up_id == follow_up.id
    assert world.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.subject_type == "suggestion")
    ).all() == ["Accepted a suggested follow-up, due 2026-06-03"]
    with pytest.raises(AlreadyDecided):
        dismiss_suggestion(world.session, suggestion.id, officer=colleague, reason="Oops")


def test_accepting_a_strangers_post_files_it_on_the_council_for_whoever_accepts(
    world: ListeningWorld,
) -> None:
    to_council(world, "501", ANGRY, MONDAY - timedelta(hours=2))
    suggest_follow_ups(world.session, now=MONDAY)
    [suggestion] = suggestions(world)

    follow_up = accept_suggestion(
        world.session, suggestion.id, officer=world.owner, due_on=date(2026, 6, 2), note=""
    )

    assert follow_up.contact_id == world.council.id
    assert follow_up.assignee_id == world.owner.id
    assert follow_up.note == suggestion.reason
    assert world.session.get(FollowUp, follow_up.id) is follow_up


def test_waiting_suggestions_for_an_officer_include_the_unassigned_when_they_can_act(
    world: ListeningWorld,
) -> None:
    hub = world.organisation("Northgate Youth Hub", created_at=MONDAY)
    to_council(world, world.account_of(hub, "northgateyouth"), ANGRY, MONDAY - timedelta(hours=3))
    to_council(world, "501", ANGRY, MONDAY - timedelta(hours=2))
    colleague = factories.officer(world.session, name="Kim Colleague")
    other = world.organisation("Elsewhere", created_at=MONDAY, owner_id=colleague.id)
    to_council(world, world.account_of(other, "elsewhere"), ANGRY, MONDAY - timedelta(hours=1))
    suggest_follow_ups(world.session, now=MONDAY)
    viewer = factories.officer(world.session, role=OfficerRole.VIEWER)

    def authors(officer, assignee_ids):
        found = waiting_suggestions(world.session, viewer=officer, assignee_ids=assignee_ids)
        return [s.interaction.author_handle for s in found]

    assert authors(world.owner, None) == ["elsewhere", "user501", "northgateyouth"]
    assert authors(world.owner, [world.owner.id]) == ["user501", "northgateyouth"]
    assert authors(viewer, [viewer.id]) == []


def test_suggestions_about_restricted_people_are_hidden_from_others(
    world: ListeningWorld,
) -> None:
    private = world.person("Private Person", created_at=MONDAY, is_restricted=True)
    to_council(world, world.account_of(private, "private"), ANGRY, MONDAY - timedelta(hours=1))
    suggest_follow_ups(world.session, now=MONDAY)
    [suggestion] = suggestions(world)
    stranger = factories.officer(world.session, name="Pat Elsewhere")

    assert waiting_suggestions(world.session, viewer=stranger, assignee_ids=None) == []
    with pytest.raises(NotFound):
        dismiss_suggestion(world.session, suggestion.id, officer=stranger, reason="Not mine")
    assert len(waiting_suggestions(world.session, viewer=world.owner, assignee_ids=None)) == 1
