"""Posts link to contacts on exact evidence only; unknown authors wait for an officer."""

from __future__ import annotations

from datetime import UTC, datetime

from crm.models import Platform
from crm.services.matching import ContactMatcher, Evidence, KnownAccount
from crm.services.posts import CollectedPost, Mention

COUNCIL, GROUP, STRANGER = "1", "2", "9"


def matcher() -> ContactMatcher:
    return ContactMatcher(
        Platform.X,
        {COUNCIL: KnownAccount(10, 100, "council"), GROUP: KnownAccount(20, 200, "group")},
        council_user_ids=frozenset({COUNCIL}),
    )


def post(author: str, *, mentions=(), reply_to: str | None = None, handle="someone"):
    return CollectedPost(
        platform=Platform.X,
        external_id="5",
        author_platform_id=author,
        author_handle=handle,
        text="text",
        created_at=datetime(2026, 11, 20, tzinfo=UTC),
        in_reply_to_user_id=reply_to,
        mentions=tuple(Mention(user_id, "x") for user_id in mentions),
    )


def test_author_reply_and_mention_are_evidence_and_the_strongest_is_kept():
    found = matcher().links(post(GROUP, mentions=[GROUP, COUNCIL]))
    assert found == {200: Evidence.AUTHOR, 100: Evidence.MENTION}
    assert matcher().links(post(STRANGER, reply_to=GROUP)) == {200: Evidence.REPLY}


def test_similar_handles_are_not_evidence():
    assert matcher().links(post(STRANGER, handle="group")) == {}


def test_a_stranger_mentioning_only_the_council_is_reviewed_but_not_one_mentioning_a_group():
    m = matcher()
    council_only = post(STRANGER, mentions=[COUNCIL])
    about_group = post(STRANGER, mentions=[GROUP])
    assert m.needs_review(council_only, m.links(council_only))
    assert not m.needs_review(about_group, m.links(about_group))
    known = post(GROUP)
    assert not m.needs_review(known, m.links(known))


def test_a_new_handle_for_a_known_id_is_a_rename_once():
    m = matcher()
    renamed = post(GROUP, handle="group_new")
    rename = m.rename(renamed)
    assert (rename.account_id, rename.old_handle, rename.new_handle) == (20, "group", "group_new")
    assert m.rename(renamed) is None
