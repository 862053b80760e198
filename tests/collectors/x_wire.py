"""X API v2 payloads as X sends them, and `responses` mocks for the endpoints Weaver reads.

The builders return plain dicts in the wire format: ids are strings (real ones exceed 2**53),
`created_at` has milliseconds (`2026-11-20T10:00:00.000Z`) and every post carries
`edit_history_tweet_ids` (tweepy's models warn without it, and the tests turn warnings into
errors). Mock them at the HTTP layer so tweepy's own code runs:

    with responses.RequestsMock() as api:
        respond_mentions(api, "100", page([tweet("2", "@council hi", "7")], [user("7", "ann")]))
        ...
        assert sent_params(api)[0]["max_results"] == "100"

An answer to a request is a dict (a 200 with that JSON body), a `Reply` (any status, headers,
or a body that is not JSON) or an exception (raised as a network failure would be).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import responses

API = "https://api.twitter.com/2"  # tweepy still calls the old host
SEARCH_URL = f"{API}/tweets/search/recent"
USERS_BY_URL = f"{API}/users/by"
DEFAULT_CREATED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NOT_FOUND_TYPE = "https://api.twitter.com/2/problems/resource-not-found"


def mentions_url(user_id: str) -> str:
    return f"{API}/users/{user_id}/mentions"


def timeline_url(user_id: str) -> str:
    return f"{API}/users/{user_id}/tweets"


# --- Payloads -----------------------------------------------------------------------------


def timestamp(moment: datetime) -> str:
    """X's format: UTC, with milliseconds and a Z."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def tweet(
    id: str,
    text: str = "A post",
    author_id: str = "1000",
    *,
    created_at: datetime | str = DEFAULT_CREATED_AT,
    mentions: Sequence[tuple[str | None, str]] = (),
    in_reply_to: tuple[str, str] | None = None,
    quotes: str | None = None,
    lang: str | None = "en",
    conversation_id: str | None = None,
) -> dict[str, Any]:
    """A post with the fields Weaver asks for.

    mentions: (user id, username) pairs; a None id is how X shows a mention of a user it could
    not expand. in_reply_to: (post id, user id) of the post replied to. quotes: a quoted
    post's id. created_at: a datetime, or a string sent as it is (to test bad values).
    """
    post: dict[str, Any] = {
        "id": id,
        "text": text,
        "author_id": author_id,
        "created_at": created_at if isinstance(created_at, str) else timestamp(created_at),
        "conversation_id": conversation_id or (in_reply_to[0] if in_reply_to else id),
        "edit_history_tweet_ids": [id],
    }
    if lang is not None:
        post["lang"] = lang
    references = []
    if in_reply_to:
        post["in_reply_to_user_id"] = in_reply_to[1]
        references.append({"type": "replied_to", "id": in_reply_to[0]})
    if quotes:
        references.append({"type": "quoted", "id": quotes})
    if references:
        post["referenced_tweets"] = references
    if mentions:
        post["entities"] = {"mentions": [_mention(text, *mention) for mention in mentions]}
    return post


def _mention(text: str, user_id: str | None, username: str) -> dict[str, Any]:
    start = max(text.find(f"@{username}"), 0)
    entity: dict[str, Any] = {"start": start, "end": start + len(username) + 1}
    entity["username"] = username
    if user_id is not None:
        entity["id"] = user_id
    return entity


def user(id: str, username: str, name: str | None = None) -> dict[str, Any]:
    return {"id": id, "name": name if name is not None else username.title(), "username": username}


def page(
    tweets: Sequence[Mapping[str, Any]],
    users: Iterable[Mapping[str, Any]] = (),
    *,
    next_token: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """A timeline or search page; meta (newest, oldest, count) is worked out from `tweets`."""
    if not tweets:
        return empty_page()
    ids = [post["id"] for post in tweets]
    body: dict[str, Any] = {
        "data": list(tweets),
        "includes": {"users": list(users)},
        "meta": {
            "newest_id": max(ids, key=int),
            "oldest_id": min(ids, key=int),
            "result_count": len(tweets),
        },
    }
    if next_token:
        body["meta"]["next_token"] = next_token
    if errors:
        body["errors"] = list(errors)
    return body


def empty_page() -> dict[str, Any]:
    """What X sends when nothing matches: no data, no includes, no tokens."""
    return {"meta": {"result_count": 0}}


def users_page(
    users: Sequence[Mapping[str, Any]], errors: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """An answer from /2/users/by: found users in data, unknown names in errors."""
    body: dict[str, Any] = {}
    if users:
        body["data"] = list(users)
    if errors:
        body["errors"] = list(errors)
    return body


def user_not_found(username: str) -> dict[str, Any]:
    return {
        "value": username,
        "detail": f"Could not find user with usernames: [{username}].",
        "title": "Not Found Error",
        "resource_type": "user",
        "parameter": "usernames",
        "resource_id": username,
        "type": NOT_FOUND_TYPE,
    }


def post_not_found(post_id: str) -> dict[str, Any]:
    """The partial error X puts beside data when a referenced post has been deleted."""
    return {
        "value": post_id,
        "detail": f"Could not find tweet with referenced_tweets.id: [{post_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": post_id,
        "type": NOT_FOUND_TYPE,
    }


def problem(status: int, title: str, detail: str, type: str = "about:blank") -> dict[str, Any]:
    """An error body in X's problem format."""
    return {"title": title, "detail": detail, "type": type, "status": status}


def usage_capped() -> dict[str, Any]:
    """The 429 body of a monthly usage cap, as X sends it (no status field)."""
    return {
        "account_id": "1234567890",
        "product_name": "standard-basic",
        "title": "UsageCapExceeded",
        "period": "Monthly",
        "scope": "Product",
        "detail": "Usage cap exceeded: Monthly product cap",
        "type": "https://api.twitter.com/2/problems/usage-capped",
    }


# --- Replies and mocks --------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    body: Mapping[str, Any] | str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


Answer = Mapping[str, Any] | Reply | Exception


def rate_limited(reset: datetime, *, remaining: int = 0, limit: int = 450) -> Reply:
    """A 429 for the 15-minute rate limit, with X's x-rate-limit-* headers."""
    headers = {
        "x-rate-limit-limit": str(limit),
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(int(reset.timestamp())),
    }
    return Reply(429, problem(429, "Too Many Requests", "Too Many Requests"), headers)


def unauthorized() -> Reply:
    return Reply(401, problem(401, "Unauthorized", "Unauthorized"))


def forbidden() -> Reply:
    return Reply(
        403,
        problem(
            403,
            "Client Forbidden",
            "This request must be made using an approved developer account that is enrolled "
            "in the requested endpoint.",
            "https://api.twitter.com/2/problems/client-forbidden",
        ),
    )


def out_of_credits() -> Reply:
    """A 402 for a pay-per-use account with no credits left (the body's wording is assumed;
    Weaver goes by the status)."""
    return Reply(
        402,
        problem(
            402,
            "CreditsDepleted",
            "Your enrolled account does not have any credits to fulfill this request.",
            "https://api.twitter.com/2/problems/credits",
        ),
    )


def server_error(status: int = 503) -> Reply:
    return Reply(status, "<html><body>Service Unavailable</body></html>", content_type="text/html")


def respond(mock: responses.RequestsMock, url: str, *answers: Answer) -> None:
    """Answer successive GETs to `url` in order; the last answer repeats."""
    for answer in answers:
        if isinstance(answer, Exception):
            mock.add(responses.GET, url, body=answer)
        elif isinstance(answer, Reply):
            mock.add(responses.GET, url, **_reply_arguments(answer))
        else:
            mock.add(responses.GET, url, json=dict(answer))


def _reply_arguments(reply: Reply) -> dict[str, Any]:
    arguments: dict[str, Any] = {"status": reply.status, "headers": dict(reply.headers)}
    if isinstance(reply.body, str):
        arguments.update(body=reply.body, content_type=reply.content_type)
    else:
        arguments["json"] = dict(reply.body)
    return arguments


def respond_mentions(mock: responses.RequestsMock, user_id: str, *answers: Answer) -> None:
    respond(mock, mentions_url(user_id), *answers)


def respond_timeline(mock: responses.RequestsMock, user_id: str, *answers: Answer) -> None:
    respond(mock, timeline_url(user_id), *answers)


def respond_search(mock: responses.RequestsMock, *answers: Answer) -> None:
    respond(mock, SEARCH_URL, *answers)


def respond_users_by(mock: responses.RequestsMock, *answers: Answer) -> None:
    respond(mock, USERS_BY_URL, *answers)


def sent_params(mock: responses.RequestsMock, url: str | None = None) -> list[dict[str, str]]:
    """The query parameters of each request made (to `url` only, when given), in order."""
    sent = []
    for call in mock.calls:
        parts = urlsplit(call.request.url)
        if url is None or f"{parts.scheme}://{parts.netloc}{parts.path}" == url:
            sent.append(dict(parse_qsl(parts.query)))
    return sent
