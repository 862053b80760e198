"""The X source against X's wire format, mocked at the HTTP layer so tweepy's own code runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
import responses
import tweepy

from collectors.sources.base import (
    CredentialsRefused,
    MalformedItem,
    MalformedPage,
    Page,
    PageSize,
    RateLimited,
    SourceError,
    SourceUnavailable,
    TargetSpec,
    UsageCapReached,
    Window,
)
from collectors.sources.x import (
    PAYLOAD_LIMIT,
    REQUEST_TIMEOUT,
    ResolvedUser,
    XSource,
    make_client,
    resolve_handles,
    x_page_from_json,
)
from crm.models import Platform, TargetKind
from crm.services.posts import Mention
from tests.collectors.x_wire import (
    SEARCH_URL,
    USERS_BY_URL,
    Reply,
    empty_page,
    forbidden,
    mentions_url,
    out_of_credits,
    page,
    post_not_found,
    rate_limited,
    respond_mentions,
    respond_search,
    respond_timeline,
    respond_users_by,
    sent_params,
    server_error,
    tweet,
    unauthorized,
    usage_capped,
    user,
    user_not_found,
    users_page,
)

COUNCIL = "100"
MENTIONS = TargetSpec(TargetKind.MENTIONS, account_user_id=COUNCIL)
TIMELINE = TargetSpec(TargetKind.ACCOUNT_POSTS, account_user_id="7")
SEARCH = TargetSpec(TargetKind.SEARCH, query='"Brackenford" -is:retweet')
BIG_ID = str(2**63 - 25)  # far beyond 2**53: a float would change it


class Budget:
    """A PageSize that hands out the given sizes in turn, then 0, counting how often asked."""

    def __init__(self, *sizes: int) -> None:
        self.sizes = list(sizes)
        self.asked = 0

    def __call__(self) -> int:
        self.asked += 1
        return self.sizes.pop(0) if self.sizes else 0


def always(size: int) -> PageSize:
    return lambda: size


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def source(sleeps: list[float]) -> XSource:
    return XSource(make_client("test-bearer-token"), sleep=sleeps.append, retries=3)


def collect(
    source: XSource,
    target: TargetSpec = MENTIONS,
    window: Window | None = None,
    page_size: PageSize | None = None,
) -> list[Page]:
    return list(source.pages(target, window or Window(), page_size or always(100)))


def item_ids(pages: list[Page]) -> list[str]:
    return [item["id"] for one in pages for item in one.items]


# --- Paging -------------------------------------------------------------------------------


def test_mentions_follow_the_pagination_token_across_pages(
    api: responses.RequestsMock, source: XSource
) -> None:
    ann = user("7", "ann")
    respond_mentions(
        api,
        COUNCIL,
        page([tweet("30", author_id="7"), tweet("29", author_id="7")], [ann], next_token="t1"),
        page([tweet("20", author_id="7")], [ann], next_token="t2"),
        page([tweet("10", author_id="7")], [ann]),
    )

    pages = collect(source)

    assert item_ids(pages) == ["30", "29", "20", "10"]
    assert [one.has_more for one in pages] == [True, True, False]
    assert (pages[0].newest_id, pages[0].oldest_id) == ("30", "29")
    assert pages[0].includes == {"users": [ann]}
    sent = sent_params(api)
    assert [params.get("pagination_token") for params in sent] == [None, "t1", "t2"]
    assert all("next_token" not in params for params in sent)
    assert sent[0] == {
        "max_results": "100",
        "expansions": "author_id,entities.mentions.username,in_reply_to_user_id,"
        "referenced_tweets.id",
        "tweet.fields": "created_at,conversation_id,lang,entities,in_reply_to_user_id,"
        "referenced_tweets,author_id",
        "user.fields": "username,name",
    }


def test_search_follows_next_token_and_sends_the_query(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_search(
        api,
        page([tweet("50"), tweet("49")], next_token="n1"),
        page([tweet("40")]),
    )

    pages = collect(source, SEARCH)

    assert item_ids(pages) == ["50", "49", "40"]
    sent = sent_params(api, SEARCH_URL)
    assert [params.get("next_token") for params in sent] == [None, "n1"]
    assert all("pagination_token" not in params for params in sent)
    assert {params["query"] for params in sent} == {'"Brackenford" -is:retweet'}


def test_account_posts_read_the_accounts_timeline(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_timeline(api, "7", page([tweet("60", author_id="7")], next_token="p1"), empty_page())

    pages = collect(source, TIMELINE)

    assert item_ids(pages) == ["60"]
    assert len(pages) == 2
    assert [params.get("pagination_token") for params in sent_params(api)] == [None, "p1"]


def test_the_window_is_sent_on_every_request(api: responses.RequestsMock, source: XSource) -> None:
    respond_search(api, page([tweet("50")], next_token="n1"), page([tweet("40")]))

    collect(source, SEARCH, Window(since_id="12", until_id=BIG_ID))

    for params in sent_params(api):
        assert (params["since_id"], params["until_id"]) == ("12", BIG_ID)


def test_an_open_window_sends_neither_bound(api: responses.RequestsMock, source: XSource) -> None:
    respond_mentions(api, COUNCIL, empty_page())

    collect(source)

    (params,) = sent_params(api)
    assert "since_id" not in params
    assert "until_id" not in params


def test_the_page_size_is_asked_for_before_each_request_and_capped_at_100(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(
        api,
        COUNCIL,
        page([tweet("3")], next_token="t1"),
        page([tweet("2")], next_token="t2"),
        page([tweet("1")]),
    )
    budget = Budget(30, 250, 7, 100)

    pages = collect(source, page_size=budget)

    assert len(pages) == 3
    assert [params["max_results"] for params in sent_params(api)] == ["30", "100", "7"]
    assert budget.asked == 3  # not asked again once X says there is no more


def test_a_spent_budget_makes_no_request(api: responses.RequestsMock, source: XSource) -> None:
    respond_mentions(api, COUNCIL, page([tweet("3")]))

    assert collect(source, page_size=always(0)) == []
    assert len(api.calls) == 0


@pytest.mark.parametrize(
    ("target", "minimum"),
    [(SEARCH, 10), (MENTIONS, 5), (TIMELINE, 5)],
    ids=["search", "mentions", "timeline"],
)
def test_a_budget_below_the_endpoints_minimum_stops_rather_than_overspends(
    api: responses.RequestsMock, source: XSource, target: TargetSpec, minimum: int
) -> None:
    respond_search(api, page([tweet("3")]))
    respond_mentions(api, COUNCIL, page([tweet("3")]))
    respond_timeline(api, "7", page([tweet("3")]))

    assert collect(source, target, page_size=always(minimum - 1)) == []
    assert len(api.calls) == 0

    assert item_ids(collect(source, target, page_size=always(minimum))) == ["3"]
    assert sent_params(api)[0]["max_results"] == str(minimum)


def test_a_budget_that_runs_out_midway_stops_paging(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_search(api, page([tweet("50")], next_token="n1"), page([tweet("40")]))

    pages = collect(source, SEARCH, page_size=Budget(10, 9))

    assert item_ids(pages) == ["50"]
    assert pages[0].has_more
    assert len(api.calls) == 1


def test_an_empty_page_has_no_items_and_no_more(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(api, COUNCIL, empty_page())

    (only,) = collect(source)

    assert only.items == []
    assert only.includes == {}
    assert (only.newest_id, only.oldest_id, only.has_more, only.errors) == (None, None, False, [])


def test_duplicates_within_and_across_pages_are_all_yielded(
    api: responses.RequestsMock, source: XSource
) -> None:
    repeated = tweet("5")
    respond_mentions(
        api, COUNCIL, page([repeated, tweet("4"), repeated], next_token="t1"), page([repeated])
    )

    assert item_ids(collect(source)) == ["5", "4", "5", "5"]


def test_partial_errors_in_a_successful_page_are_surfaced(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(
        api, COUNCIL, page([tweet("5", in_reply_to=("4", "9"))], errors=[post_not_found("4")])
    )

    (only,) = collect(source)

    assert only.errors == [post_not_found("4")]
    assert item_ids([only]) == ["5"]


def test_ids_beyond_2_to_the_53_stay_exact_strings(
    api: responses.RequestsMock, source: XSource
) -> None:
    author, parent, mentioned = str(2**60 + 1), str(2**62 + 3), str(2**61 + 7)
    post = tweet(
        BIG_ID,
        "@big hello",
        author,
        mentions=[(mentioned, "big")],
        in_reply_to=(parent, mentioned),
    )
    respond_mentions(api, COUNCIL, page([post], [user(author, "huge")]))

    (only,) = collect(source, window=Window(since_id=parent))
    collected = source.normalise(only.items[0], only)

    assert sent_params(api)[0]["since_id"] == parent
    assert only.newest_id == only.oldest_id == BIG_ID
    assert collected.external_id == BIG_ID
    assert collected.author_platform_id == author
    assert collected.in_reply_to_external_id == parent
    assert collected.in_reply_to_user_id == mentioned
    assert collected.mentions == (Mention(mentioned, "big"),)
    assert collected.url == f"https://x.com/huge/status/{BIG_ID}"


# --- Refusals and failures ----------------------------------------------------------------


def test_a_rate_limit_reports_when_it_resets(
    api: responses.RequestsMock, source: XSource, sleeps: list[float]
) -> None:
    reset = datetime(2026, 11, 20, 10, 15, tzinfo=UTC)
    respond_mentions(api, COUNCIL, rate_limited(reset))

    with pytest.raises(RateLimited) as raised:
        collect(source)

    assert raised.value.reset_at == reset
    assert raised.value.reset_at.tzinfo is not None
    assert len(api.calls) == 1
    assert sleeps == []


def test_a_rate_limit_without_a_reset_header_has_no_reset_time(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(api, COUNCIL, Reply(429, {"title": "Too Many Requests"}))

    with pytest.raises(RateLimited) as raised:
        collect(source)

    assert raised.value.reset_at is None


def test_a_rate_limit_on_a_later_page_still_yields_the_earlier_pages(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(
        api,
        COUNCIL,
        page([tweet("30")], next_token="t1"),
        rate_limited(datetime(2026, 11, 20, 10, 15, tzinfo=UTC)),
    )
    pages = source.pages(MENTIONS, Window(), always(100))

    assert item_ids([next(pages)]) == ["30"]
    with pytest.raises(RateLimited):
        next(pages)


def test_the_monthly_usage_cap_is_not_a_rate_limit(
    api: responses.RequestsMock, source: XSource, sleeps: list[float]
) -> None:
    reset = datetime(2026, 11, 20, 10, 15, tzinfo=UTC)
    respond_mentions(api, COUNCIL, Reply(429, usage_capped(), rate_limited(reset).headers))

    with pytest.raises(UsageCapReached, match="monthly usage cap"):
        collect(source)

    assert len(api.calls) == 1
    assert sleeps == []


def test_running_out_of_credits_stops_the_source(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(api, COUNCIL, out_of_credits())

    with pytest.raises(UsageCapReached, match=r"run out of credits \(402\)"):
        collect(source)

    assert len(api.calls) == 1


@pytest.mark.parametrize(("reply", "status"), [(unauthorized(), 401), (forbidden(), 403)])
def test_refused_credentials_are_reported_without_retrying(
    api: responses.RequestsMock, source: XSource, sleeps: list[float], reply: Reply, status: int
) -> None:
    respond_mentions(api, COUNCIL, reply, page([tweet("1")]))

    with pytest.raises(CredentialsRefused, match=rf"X refused Weaver's credentials \({status}\)"):
        collect(source)

    assert len(api.calls) == 1
    assert sleeps == []


def test_another_refusal_is_a_source_error_without_retrying(
    api: responses.RequestsMock, source: XSource, sleeps: list[float]
) -> None:
    respond_search(
        api, Reply(400, {"errors": [{"message": "There were errors processing your request"}]})
    )

    with pytest.raises(SourceError, match=r"X rejected the request \(400\)") as raised:
        collect(source, SEARCH)

    assert type(raised.value) is SourceError
    assert len(api.calls) == 1
    assert sleeps == []


def test_a_server_error_is_retried_after_a_pause(
    api: responses.RequestsMock, source: XSource, sleeps: list[float]
) -> None:
    respond_mentions(
        api, COUNCIL, page([tweet("30")], next_token="t1"), server_error(), page([tweet("20")])
    )

    pages = collect(source)

    assert item_ids(pages) == ["30", "20"]
    assert sleeps == [2.0]
    assert [params.get("pagination_token") for params in sent_params(api)] == [None, "t1", "t1"]


def test_persistent_server_errors_make_the_source_unavailable(
    api: responses.RequestsMock, source: XSource, sleeps: list[float]
) -> None:
    respond_mentions(api, COUNCIL, server_error(503))

    with pytest.raises(SourceUnavailable, match=r"\(503\) after 4 attempts"):
        collect(source)

    assert len(api.calls) == 4
    assert sleeps == [2.0, 4.0, 8.0]


def test_a_connection_failure_is_retried(
    api: responses.RequestsMock, source: XSource, sleeps: list[float]
) -> None:
    respond_mentions(api, COUNCIL, requests.ConnectionError("reset by peer"), page([tweet("9")]))

    assert item_ids(collect(source)) == ["9"]
    assert sleeps == [2.0]


def test_persistent_timeouts_make_the_source_unavailable(
    api: responses.RequestsMock, sleeps: list[float]
) -> None:
    source = XSource(make_client("token"), sleep=sleeps.append, retries=1)
    respond_mentions(api, COUNCIL, requests.ReadTimeout("too slow"))

    with pytest.raises(SourceUnavailable, match="could not be reached"):
        collect(source)

    assert len(api.calls) == 2
    assert sleeps == [2.0]


def test_a_body_that_is_not_json_is_a_malformed_page_carrying_the_text(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(api, COUNCIL, Reply(200, '{"data": [{"id": "1"', content_type="text/plain"))

    with pytest.raises(MalformedPage, match="not JSON") as raised:
        collect(source)

    assert raised.value.payload == '{"data": [{"id": "1"'


def test_a_huge_malformed_body_is_trimmed(api: responses.RequestsMock, source: XSource) -> None:
    respond_mentions(api, COUNCIL, Reply(200, "x" * (PAYLOAD_LIMIT + 50)))

    with pytest.raises(MalformedPage) as raised:
        collect(source)

    assert raised.value.payload == "x" * PAYLOAD_LIMIT


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[1, 2]", "not an object"),
        ('{"data": {"oops": true}, "meta": []}', "meta is not an object"),
        ('{"meta": null}', "meta is not an object"),
        ('{"data": [], "includes": []}', "includes are not an object"),
        ('{"data": [], "errors": {"a": 1}}', "errors are not a list"),
        ('{"data": "nope"}', "data is not a list"),
    ],
)
def test_json_of_the_wrong_shape_is_a_malformed_page(
    api: responses.RequestsMock, source: XSource, body: str, reason: str
) -> None:
    respond_mentions(api, COUNCIL, Reply(200, body))

    with pytest.raises(MalformedPage, match=reason) as raised:
        collect(source)

    assert json.loads(raised.value.payload) == json.loads(body)


# --- Normalising --------------------------------------------------------------------------


def test_a_post_is_normalised_with_its_author_reply_and_mentions(
    api: responses.RequestsMock, source: XSource
) -> None:
    post = tweet(
        "1850000000000000001",
        "@brackenfordcc @ann thanks for the grant!",
        "7",
        created_at="2026-11-20T10:00:00.123Z",
        mentions=[(COUNCIL, "brackenfordcc"), ("8", "ann")],
        in_reply_to=("1849999999999999999", COUNCIL),
        quotes="1840000000000000000",
        lang="en",
    )
    respond_mentions(
        api, COUNCIL, page([post], [user("7", "greenhouse", "The Green House"), user("8", "ann")])
    )

    (only,) = collect(source)
    collected = source.normalise(only.items[0], only)

    assert collected.platform is Platform.X
    assert collected.external_id == "1850000000000000001"
    assert (collected.author_platform_id, collected.author_handle) == ("7", "greenhouse")
    assert collected.text == "@brackenfordcc @ann thanks for the grant!"
    assert collected.created_at == datetime(2026, 11, 20, 10, 0, 0, 123000, tzinfo=UTC)
    assert collected.url == "https://x.com/greenhouse/status/1850000000000000001"
    assert collected.in_reply_to_external_id == "1849999999999999999"
    assert collected.in_reply_to_user_id == COUNCIL
    assert collected.mentions == (Mention(COUNCIL, "brackenfordcc"), Mention("8", "ann"))
    assert collected.language == "en"
    assert collected.raw == {
        "id": "1850000000000000001",
        "text": "@brackenfordcc @ann thanks for the grant!",
        "author_id": "7",
        "created_at": "2026-11-20T10:00:00.123Z",
        "lang": "en",
        "in_reply_to_user_id": COUNCIL,
        "referenced_tweets": [
            {"type": "replied_to", "id": "1849999999999999999"},
            {"type": "quoted", "id": "1840000000000000000"},
        ],
        "entities": {"mentions": post["entities"]["mentions"]},
        "author": {"id": "7", "username": "greenhouse", "name": "The Green House"},
    }


def test_a_mention_without_an_id_is_looked_up_among_the_pages_users() -> None:
    post = tweet(
        "5",
        "@Ann @gone @ann hello",
        "7",
        mentions=[(None, "Ann"), (None, "gone"), ("8", "ann")],
    )
    users = {"users": [user("7", "bob"), user("8", "ann")]}

    collected = XSource(make_client("t")).normalise(post, Page(items=[post], includes=users))

    assert collected.mentions == (Mention("8", "Ann"),)  # "gone" has no id; ann once


def test_a_quoted_post_is_not_a_reply() -> None:
    post = tweet("5", author_id="7", quotes="4")

    collected = XSource(make_client("t")).normalise(post, Page(items=[post]))

    assert collected.in_reply_to_external_id is None
    assert collected.in_reply_to_user_id is None


def test_a_post_whose_author_is_not_included_links_by_id_alone() -> None:
    post = tweet("5", author_id="7")

    collected = XSource(make_client("t")).normalise(post, Page(items=[post]))

    assert collected.author_handle == ""
    assert collected.author_platform_id == "7"
    assert collected.url == "https://x.com/i/web/status/5"
    assert "author" not in collected.raw


def test_a_renamed_account_keeps_its_id_and_shows_its_new_handle(
    api: responses.RequestsMock, source: XSource
) -> None:
    respond_mentions(
        api,
        COUNCIL,
        page([tweet("30", author_id="7")], [user("7", "newname")], next_token="t1"),
        page([tweet("20", author_id="7")], [user("7", "oldname")]),
    )

    collected = [source.normalise(item, one) for one in collect(source) for item in one.items]

    assert [post.author_platform_id for post in collected] == ["7", "7"]
    assert [post.author_handle for post in collected] == ["newname", "oldname"]
    assert collected[0].url == "https://x.com/newname/status/30"


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ("just text", "not a JSON object"),
        ({**tweet("5"), "id": None}, "has no id"),
        ({**tweet("5"), "id": 5}, "id is not text"),
        ({**tweet("5"), "id": "5/../6"}, "is not a number"),
        ({**tweet("5"), "text": None}, "has no text"),
        ({**tweet("5"), "author_id": None}, "has no author id"),
        ({**tweet("5"), "created_at": None}, "has no time of posting"),
        (tweet("5", created_at="20 November 2026"), "is not a date and time"),
        (tweet("5", created_at="2026-11-20T10:00:00.000"), "has no time zone"),
    ],
)
def test_an_unreadable_item_is_malformed_with_a_plain_reason(item: Any, reason: str) -> None:
    with pytest.raises(MalformedItem, match=reason):
        XSource(make_client("t")).normalise(item, Page(items=[item]))


def test_one_bad_item_does_not_spoil_the_rest_of_its_page(
    api: responses.RequestsMock, source: XSource
) -> None:
    broken = {key: value for key, value in tweet("4").items() if key != "created_at"}
    respond_mentions(api, COUNCIL, page([tweet("5"), broken, tweet("3")], [user("1000", "ann")]))

    (only,) = collect(source)
    good, bad = [], []
    for item in only.items:
        try:
            good.append(source.normalise(item, only).external_id)
        except MalformedItem as error:
            bad.append((item["id"], str(error)))

    assert good == ["5", "3"]
    assert bad == [("4", "The X post has no time of posting")]


def test_an_empty_text_is_still_a_post() -> None:
    post = tweet("5", "")

    assert XSource(make_client("t")).normalise(post, Page(items=[post])).text == ""


# --- Saved pages (the file importer) ------------------------------------------------------


def test_a_saved_api_page_reads_like_a_fetched_one() -> None:
    body = page([tweet("5", author_id="7")], [user("7", "ann")], next_token="n")

    saved = x_page_from_json(body)

    assert saved.items == body["data"]
    assert saved.includes == body["includes"]
    assert (saved.newest_id, saved.oldest_id, saved.has_more) == ("5", "5", True)


def test_a_saved_single_post_with_its_author_inside() -> None:
    post = {**tweet("5", author_id="7"), "author": user("7", "ann")}

    saved = x_page_from_json(post)
    collected = XSource(make_client("t")).normalise(saved.items[0], saved)

    assert saved.items == [post]
    assert (saved.newest_id, saved.has_more) == ("5", False)
    assert collected.author_handle == "ann"
    assert collected.url == "https://x.com/ann/status/5"


def test_a_saved_single_post_without_an_author() -> None:
    saved = x_page_from_json(tweet("5", author_id="7"))

    collected = XSource(make_client("t")).normalise(saved.items[0], saved)

    assert (collected.external_id, collected.author_handle) == ("5", "")


@pytest.mark.parametrize("obj", [{"hello": "world"}, ["not", "an", "object"], {"id": "5"}])
def test_saved_json_that_is_neither_page_nor_post_is_malformed(obj: Any) -> None:
    with pytest.raises(MalformedPage) as raised:
        x_page_from_json(obj)

    assert json.loads(raised.value.payload) == obj


# --- Resolving handles --------------------------------------------------------------------


def test_handles_are_resolved_in_batches_of_100(api: responses.RequestsMock) -> None:
    handles = [f"@Group{n}" for n in range(150)]
    respond_users_by(
        api,
        users_page([user(str(n), f"Group{n}") for n in range(100)]),
        users_page([user(str(n), f"Group{n}") for n in range(100, 150)]),
    )

    resolved = resolve_handles(make_client("t"), handles)

    batches = [params["usernames"].split(",") for params in sent_params(api, USERS_BY_URL)]
    assert [len(batch) for batch in batches] == [100, 50]
    assert batches[0][0] == "Group0"  # the @ is stripped
    assert {params["user.fields"] for params in sent_params(api)} == {"username,name"}
    assert len(resolved) == 150
    assert resolved["group149"] == ResolvedUser("149", "Group149", "Group149")


def test_unknown_and_impossible_handles_are_absent(api: responses.RequestsMock) -> None:
    respond_users_by(
        api, users_page([user("8", "ann", "Ann Example")], errors=[user_not_found("nobody")])
    )

    resolved = resolve_handles(
        make_client("t"), ["ann", "@nobody", "@ANN", "not a handle", "much_too_long_for_x", ""]
    )

    assert resolved == {"ann": ResolvedUser("8", "ann", "Ann Example")}
    (params,) = sent_params(api)
    assert params["usernames"] == "ann,nobody"  # never the impossible ones, never twice


def test_resolving_nothing_asks_nothing(api: responses.RequestsMock) -> None:
    assert resolve_handles(make_client("t"), ["", "@"]) == {}
    assert len(api.calls) == 0


def test_resolving_handles_maps_errors_like_collecting(
    api: responses.RequestsMock, sleeps: list[float]
) -> None:
    respond_users_by(api, server_error(), unauthorized())

    with pytest.raises(CredentialsRefused):
        resolve_handles(make_client("t"), ["ann"], sleep=sleeps.append)

    assert sleeps == [2.0]
    assert len(api.calls) == 2


# --- The client ---------------------------------------------------------------------------


def test_the_client_from_a_bearer_token_never_waits_and_always_times_out(
    api: responses.RequestsMock,
) -> None:
    source = XSource.from_bearer_token("secret-token")
    respond_mentions(api, COUNCIL, empty_page())

    collect(source)

    (call,) = api.calls
    assert call.request.headers["Authorization"] == "Bearer secret-token"
    assert call.request.req_kwargs["timeout"] == REQUEST_TIMEOUT
    assert call.request.url.startswith(mentions_url(COUNCIL))


@pytest.mark.parametrize(
    "client",
    [
        tweepy.Client(bearer_token="t"),
        tweepy.Client(bearer_token="t", return_type=requests.Response, wait_on_rate_limit=True),
    ],
    ids=["parsed responses", "waits on rate limits"],
)
def test_an_unsuitable_client_is_refused(client: tweepy.Client) -> None:
    with pytest.raises(ValueError, match="make_client"):
        XSource(client)
    with pytest.raises(ValueError, match="make_client"):
        resolve_handles(client, ["ann"])


def test_a_target_without_what_it_needs_is_a_programming_error(source: XSource) -> None:
    with pytest.raises(ValueError, match="query"):
        collect(source, TargetSpec(TargetKind.SEARCH))
    with pytest.raises(ValueError, match="user id"):
        collect(source, TargetSpec(TargetKind.MENTIONS))
