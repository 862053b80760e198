"""X (Twitter API v2) through tweepy: mentions of the council's accounts, a contact's own
posts, and recent search, read page by page within a budget.

The client must return raw `requests.Response` objects: only then does this module see the
body as X sent it, so a body that is not JSON becomes `MalformedPage` with the text attached
rather than an exception from inside tweepy.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests
import tweepy
from requests.adapters import HTTPAdapter

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
from crm.models import Platform, TargetKind
from crm.services.account_lookup import lookup_key
from crm.services.posts import CollectedPost, Mention

EXPANSIONS = [
    "author_id",
    "entities.mentions.username",
    "in_reply_to_user_id",
    "referenced_tweets.id",
]
TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "lang",
    "entities",
    "in_reply_to_user_id",
    "referenced_tweets",
    "author_id",
]
USER_FIELDS = ["username", "name"]

MAX_PAGE_SIZE = 100
MIN_SEARCH_PAGE_SIZE = 10
MIN_USER_PAGE_SIZE = 5
USERS_PER_LOOKUP = 100
PAYLOAD_LIMIT = 100_000
FIRST_BACKOFF_SECONDS = 2.0
# tweepy sets no timeout at all: without one a stalled connection hangs the scheduled job.
REQUEST_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds

_DIGITS = re.compile(r"[0-9]+")
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")
_RAW_KEYS = (
    "id",
    "text",
    "author_id",
    "created_at",
    "lang",
    "in_reply_to_user_id",
    "referenced_tweets",
)

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class ResolvedUser:
    user_id: str
    username: str
    name: str


class _TimeoutAdapter(HTTPAdapter):
    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = REQUEST_TIMEOUT
        return super().send(request, **kwargs)


def make_client(bearer_token: str) -> tweepy.Client:
    """A client for app-only reads, returning raw responses and never sleeping on a 429."""
    client = tweepy.Client(
        bearer_token=bearer_token, wait_on_rate_limit=False, return_type=requests.Response
    )
    client.session.mount("https://", _TimeoutAdapter())
    return client


class XSource:
    platform = Platform.X

    def __init__(
        self, client: tweepy.Client, *, sleep: Sleep = time.sleep, retries: int = 3
    ) -> None:
        _require_suitable_client(client)
        self._client = client
        self._sleep = sleep
        self._retries = max(retries, 0)

    @classmethod
    def from_bearer_token(cls, token: str) -> XSource:
        return cls(make_client(token))

    def pages(self, target: TargetSpec, window: Window, page_size: PageSize) -> Iterator[Page]:
        method, first_argument, minimum = self._endpoint(target)
        request = _guarded(method, sleep=self._sleep, retries=self._retries)
        iterator = iter(tweepy.Paginator(request, first_argument, **_query(window)))
        has_more = True
        while has_more:
            size = page_size()
            # X refuses fewer than its minimum, and asking for the minimum would overspend.
            if size < minimum:
                return
            # PaginationIterator passes its own kwargs to every request it makes.
            iterator.kwargs["max_results"] = min(size, MAX_PAGE_SIZE)
            body = next(iterator, None)
            if body is None:
                return
            page = _page(body)
            yield page
            has_more = page.has_more

    def normalise(self, item: dict[str, Any], page: Page) -> CollectedPost:
        return normalise_post(item, page.includes)

    def external_id(self, item: Any) -> str | None:
        return external_id(item)

    def _endpoint(self, target: TargetSpec) -> tuple[Callable[..., Any], str, int]:
        if target.kind is TargetKind.SEARCH:
            if not target.query:
                raise ValueError("A search target needs a query")
            return self._client.search_recent_tweets, target.query, MIN_SEARCH_PAGE_SIZE
        if not target.account_user_id:
            raise ValueError(f"A {target.kind} target needs the account's X user id")
        if target.kind is TargetKind.MENTIONS:
            return self._client.get_users_mentions, target.account_user_id, MIN_USER_PAGE_SIZE
        return self._client.get_users_tweets, target.account_user_id, MIN_USER_PAGE_SIZE


def _query(window: Window) -> dict[str, Any]:
    query: dict[str, Any] = {
        "expansions": EXPANSIONS,
        "tweet_fields": TWEET_FIELDS,
        "user_fields": USER_FIELDS,
    }
    if window.since_id:
        query["since_id"] = window.since_id
    if window.until_id:
        query["until_id"] = window.until_id
    return query


# --- Requests: retries, error mapping, decoding ---------------------------------------------


def _require_suitable_client(client: tweepy.Client) -> None:
    if client.return_type is not requests.Response or client.wait_on_rate_limit:
        raise ValueError(
            "The X client must return requests.Response and must not wait on rate limits:"
            " build it with make_client()"
        )


def _guarded(
    method: Callable[..., requests.Response], *, sleep: Sleep, retries: int
) -> Callable[..., dict[str, Any]]:
    """`method` with retries and Weaver's errors, returning the decoded body.

    functools.wraps keeps the method's name, which tweepy's Paginator reads to choose between
    `next_token` (search) and `pagination_token` (timelines).
    """

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> dict[str, Any]:
        response = _with_retries(lambda: method(*args, **kwargs), sleep=sleep, retries=retries)
        return _decode(response)

    return call


def _with_retries(
    request: Callable[[], requests.Response], *, sleep: Sleep, retries: int
) -> requests.Response:
    attempts = retries + 1
    for attempt in range(attempts):
        try:
            return request()
        except tweepy.TwitterServerError as error:
            failure = f"X's servers kept failing ({_status(error)})"
        except (requests.ConnectionError, requests.Timeout) as error:
            failure = f"X could not be reached ({type(error).__name__})"
        except tweepy.HTTPException as error:
            raise _refusal(error) from error
        if attempt < retries:
            sleep(FIRST_BACKOFF_SECONDS * 2**attempt)
    raise SourceUnavailable(f"{failure} after {attempts} attempts")


def _refusal(error: tweepy.HTTPException) -> SourceError:
    status = _status(error)
    said = f" X said: {'; '.join(map(str, error.api_messages))}" if error.api_messages else ""
    if isinstance(error, tweepy.TooManyRequests):
        if _is_usage_cap(error.response):
            return UsageCapReached(
                "X's monthly usage cap for Weaver's account has been reached: collection from X"
                " stops until the cap resets or the plan changes." + said
            )
        return RateLimited(_reset_at(error.reset_time))
    if status == 402:
        return UsageCapReached(
            "X says Weaver's account has run out of credits (402): collection from X stops"
            " until credits are added." + said
        )
    if isinstance(error, tweepy.Unauthorized):
        return CredentialsRefused(
            "X refused Weaver's credentials (401): the bearer token may be wrong or revoked." + said
        )
    if isinstance(error, tweepy.Forbidden):
        return CredentialsRefused(
            "X refused Weaver's credentials (403): the X app may not be allowed to use this"
            " endpoint on its current plan." + said
        )
    return SourceError(f"X rejected the request ({status})." + said)


def _status(error: tweepy.HTTPException) -> int:
    return error.response.status_code


def _is_usage_cap(response: requests.Response) -> bool:
    try:
        body = response.json()
    except requests.JSONDecodeError:
        return False
    if not isinstance(body, dict):
        return False
    return body.get("title") == "UsageCapExceeded" or "usage-capped" in str(body.get("type"))


def _reset_at(reset_time: int | None) -> datetime | None:
    if reset_time is None:
        return None
    try:
        return datetime.fromtimestamp(reset_time, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _decode(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except requests.JSONDecodeError:
        raise MalformedPage("X sent a response that is not JSON", _trim(response.text)) from None
    if not isinstance(body, dict):
        raise MalformedPage("X sent JSON that is not an object", _trim(response.text))
    # Checked here because tweepy's Paginator reads meta before this module sees the page.
    if "meta" in body and not isinstance(body["meta"], dict):
        raise MalformedPage(
            "X sent a page that cannot be read: its meta is not an object", _trim(response.text)
        )
    return body


def _trim(text: str) -> str:
    return text[:PAYLOAD_LIMIT]


def _dumped(obj: object) -> str:
    return _trim(json.dumps(obj, default=str))


# --- Pages --------------------------------------------------------------------------------


def _page(body: dict[str, Any]) -> Page:
    data = body.get("data")
    if isinstance(data, dict):  # a single-post lookup answers with one object
        data = [data]
    items = _part(body, data, list, "its data is not a list")
    includes = _part(body, body.get("includes"), dict, "its includes are not an object")
    meta = _part(body, body.get("meta"), dict, "its meta is not an object")
    errors = _part(body, body.get("errors"), list, "its errors are not a list")
    return Page(
        items=items,
        includes=includes,
        newest_id=_text_or_none(meta.get("newest_id")),
        oldest_id=_text_or_none(meta.get("oldest_id")),
        has_more=bool(meta.get("next_token")),
        errors=errors,
    )


def _part(body: dict[str, Any], value: Any, kind: type, problem: str) -> Any:
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise MalformedPage(f"X sent a page that cannot be read: {problem}", _dumped(body))
    return value


def x_page_from_json(obj: dict[str, Any]) -> Page:
    """A page from saved X data: a whole API response page, or one post on its own (as
    twarc2's flattened output writes them, with the author inside the post as "author")."""
    if not isinstance(obj, dict):
        raise MalformedPage("This is not an X page or post: it is not a JSON object", _dumped(obj))
    if "data" in obj or "meta" in obj:
        return _page(obj)
    if "id" in obj and "text" in obj:
        author = obj.get("author")
        post_id = _text_or_none(obj.get("id"))
        return Page(
            items=[obj],
            includes={"users": [author]} if isinstance(author, dict) else {},
            newest_id=post_id,
            oldest_id=post_id,
        )
    raise MalformedPage(
        "This is neither an X API page (with data or meta) nor a single post (with id and text)",
        _dumped(obj),
    )


# --- Posts --------------------------------------------------------------------------------


def external_id(item: Any) -> str | None:
    post_id = item.get("id") if isinstance(item, dict) else None
    return post_id if isinstance(post_id, str) and _DIGITS.fullmatch(post_id) else None


def normalise_post(item: Any, includes: dict[str, Any]) -> CollectedPost:
    """One X post as Weaver's post record; `includes` is the page's expanded objects."""
    if not isinstance(item, dict):
        raise MalformedItem("The X post is not a JSON object")
    post_id = _post_id(item)
    text = _required_string(item, "text", "has no text", may_be_empty=True)
    author_id = _required_string(item, "author_id", "has no author id")
    created_at = _created_at(item)
    users = _known_users(includes, item)
    author = users.get(author_id)
    username = author["username"] if author else ""
    return CollectedPost(
        platform=Platform.X,
        external_id=post_id,
        author_platform_id=author_id,
        author_handle=username,
        text=text,
        created_at=created_at,
        url=_post_url(post_id, username),
        in_reply_to_external_id=_replied_to(item),
        in_reply_to_user_id=_text_or_none(item.get("in_reply_to_user_id")),
        mentions=_mentions(item, users),
        language=_text_or_none(item.get("lang")),
        raw=_raw(item, author),
    )


def _post_id(item: dict[str, Any]) -> str:
    post_id = _required_string(item, "id", "has no id")
    if not _DIGITS.fullmatch(post_id):
        raise MalformedItem(f"The X post's id {post_id[:40]!r} is not a number")
    return post_id


def _required_string(
    item: dict[str, Any], key: str, problem: str, *, may_be_empty: bool = False
) -> str:
    value = item.get(key)
    if value is None or (value == "" and not may_be_empty):
        raise MalformedItem(f"The X post {problem}")
    if not isinstance(value, str):
        raise MalformedItem(f"The X post's {key} is not text")
    return value


def _created_at(item: dict[str, Any]) -> datetime:
    value = item.get("created_at")
    if not isinstance(value, str):
        raise MalformedItem("The X post has no time of posting")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise MalformedItem(
            f"The X post's time of posting {value[:40]!r} is not a date and time"
        ) from None
    if moment.tzinfo is None:
        raise MalformedItem(f"The X post's time of posting {value[:40]!r} has no time zone")
    return moment.astimezone(UTC)


def _known_users(includes: dict[str, Any], item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Expanded users by id; a post saved with its author inside counts too."""
    users = _users_by_id(includes)
    author = item.get("author")
    if _is_user(author):
        users = {**users, author["id"]: author}
    return users


# Every post on a page shares the page's includes: index them once per page, not per post.
# The (includes, index) pair is replaced whole, so threads never see half of one.
_users_index: tuple[object, dict[str, dict[str, Any]]] = (None, {})


def _users_by_id(includes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    global _users_index
    cached_includes, index = _users_index
    if cached_includes is includes:
        return index
    candidates = includes.get("users") or [] if isinstance(includes, dict) else []
    index = {user["id"]: user for user in candidates if _is_user(user)}
    _users_index = (includes, index)
    return index


def _is_user(user: Any) -> bool:
    return (
        isinstance(user, dict)
        and isinstance(user.get("id"), str)
        and isinstance(user.get("username"), str)
    )


def _post_url(post_id: str, username: str) -> str:
    if not username:
        return f"https://x.com/i/web/status/{post_id}"
    return f"https://x.com/{quote(username, safe='')}/status/{post_id}"


def _replied_to(item: dict[str, Any]) -> str | None:
    for reference in _list_of_dicts(item.get("referenced_tweets")):
        if reference.get("type") == "replied_to":
            return _text_or_none(reference.get("id"))
    return None


def _mention_entities(item: dict[str, Any]) -> list[dict[str, Any]]:
    entities = item.get("entities")
    return _list_of_dicts(entities.get("mentions")) if isinstance(entities, dict) else []


def _mentions(item: dict[str, Any], users: dict[str, dict[str, Any]]) -> tuple[Mention, ...]:
    found: dict[str, Mention] = {}
    for entity in _mention_entities(item):
        username = _text_or_none(entity.get("username"))
        if username is None:
            continue
        # X leaves the id out when it could not expand the user (suspended, say).
        user_id = _text_or_none(entity.get("id")) or _id_for_username(users, username)
        if user_id and user_id not in found:
            found[user_id] = Mention(user_id=user_id, handle=username)
    return tuple(found.values())


def _id_for_username(users: dict[str, dict[str, Any]], username: str) -> str | None:
    wanted = username.lower()
    return next((uid for uid, user in users.items() if user["username"].lower() == wanted), None)


def _raw(item: dict[str, Any], author: dict[str, Any] | None) -> dict[str, Any]:
    raw = {key: item[key] for key in _RAW_KEYS if key in item}
    mentions = _mention_entities(item)
    if mentions:
        raw["entities"] = {"mentions": mentions}
    if author:
        raw["author"] = {key: author[key] for key in ("id", "username", "name") if key in author}
    return raw


def _list_of_dicts(value: Any) -> list[dict[str, Any]]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- Handles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandleLookup:
    """What X said about some handles, each keyed by its lower-cased form."""

    found: dict[str, ResolvedUser]
    suspended: frozenset[str] = frozenset()
    # X has no such user, or the handle cannot be an X username at all.
    unknown: frozenset[str] = frozenset()
    # Names sent to X. The budget counts each as a read, found or not, so it is never passed.
    sent: int = 0


def resolve_handles(
    client: tweepy.Client,
    handles: Sequence[str],
    *,
    sleep: Sleep = time.sleep,
    retries: int = 3,
) -> dict[str, ResolvedUser]:
    """X users for the given handles, keyed by lower-cased handle. Handles X does not know,
    and ones that cannot be X usernames at all, are absent from the result."""
    return look_up_handles(client, handles, sleep=sleep, retries=retries).found


def look_up_handles(
    client: tweepy.Client,
    handles: Sequence[str],
    *,
    sleep: Sleep = time.sleep,
    retries: int = 3,
) -> HandleLookup:
    """Look the handles up in batches of 100, saying which X knows, which it has suspended,
    and which it does not know. Each handle sent costs one read."""
    _require_suitable_client(client)
    lookup = _guarded(client.get_users, sleep=sleep, retries=max(retries, 0))
    usernames = _lookup_names(handles)
    resolved: dict[str, ResolvedUser] = {}
    suspended: set[str] = set()
    for start in range(0, len(usernames), USERS_PER_LOOKUP):
        batch = usernames[start : start + USERS_PER_LOOKUP]
        body = lookup(usernames=batch, user_fields=USER_FIELDS)
        for user in _resolved_users(body):
            resolved[user.username.lower()] = user
        suspended.update(_suspended_names(body))
    asked = {lookup_key(handle) for handle in handles}
    return HandleLookup(
        found=resolved,
        suspended=frozenset(suspended - set(resolved)),
        unknown=frozenset(asked - set(resolved) - suspended),
        sent=len(usernames),
    )


def _suspended_names(body: dict[str, Any]) -> set[str]:
    # X answers a suspended user with an error titled "Forbidden" beside the users it found;
    # a user it does not know comes as "Not Found Error".
    errors = body.get("errors")
    return {
        error["value"].lower()
        for error in (errors if isinstance(errors, list) else [])
        if isinstance(error, dict)
        and isinstance(error.get("value"), str)
        and "suspended" in str(error.get("detail", "")).lower()
    }


def _lookup_names(handles: Sequence[str]) -> list[str]:
    # One name X cannot accept fails the whole request (400), so such names are never sent.
    names: dict[str, str] = {}
    for handle in handles:
        name = handle.strip().removeprefix("@")
        if _USERNAME.fullmatch(name):
            names.setdefault(name.lower(), name)
    return list(names.values())


def _resolved_users(body: dict[str, Any]) -> list[ResolvedUser]:
    users = _part(body, body.get("data"), list, "its data is not a list")
    return [
        ResolvedUser(user_id=user["id"], username=user["username"], name=_name(user))
        for user in users
        if isinstance(user, dict)
        and _text_or_none(user.get("id"))
        and _text_or_none(user.get("username"))
    ]


def _name(user: dict[str, Any]) -> str:
    name = user.get("name")
    return name if isinstance(name, str) else ""
