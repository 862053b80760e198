"""What every source provides to the pipeline, and the failures it may report.

A source knows one platform's API and wire format; it knows nothing of the database. The
pipeline (collectors.pipeline) asks it for pages of one target within a window of ids, and
asks it to turn each raw item into a `CollectedPost`. Anything a source cannot read becomes
`MalformedItem` (that item is quarantined, the page goes on) or `MalformedPage` (the run fails
and its cursor stays where it was).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from crm.models import Platform, TargetKind
from crm.services.posts import CollectedPost


@dataclass(frozen=True)
class TargetSpec:
    """What to collect, without the ORM: sources never see the database."""

    kind: TargetKind
    query: str | None = None  # a listening query (TargetKind.SEARCH)
    account_user_id: str | None = None  # the platform's user id (MENTIONS, ACCOUNT_POSTS)


@dataclass(frozen=True)
class Window:
    """Collect posts newer than `since_id` and, when set, older than `until_id`."""

    since_id: str | None = None
    until_id: str | None = None


@dataclass(frozen=True)
class Page:
    """One response page, still raw: items are decoded JSON objects, not yet trusted."""

    items: list[dict[str, Any]]
    includes: dict[str, Any] = field(default_factory=dict)
    newest_id: str | None = None
    oldest_id: str | None = None
    has_more: bool = False
    # Problems the platform reported inside a successful response (a deleted referenced post).
    errors: list[dict[str, Any]] = field(default_factory=list)


# Called before each request: how many items the next page may hold (0 means stop now).
PageSize = Callable[[], int]


class Source(Protocol):
    platform: Platform

    def pages(self, target: TargetSpec, window: Window, page_size: PageSize) -> Iterator[Page]:
        """Pages newest first. Raises a `SourceError` when the platform refuses or fails."""
        ...

    def normalise(self, item: dict[str, Any], page: Page) -> CollectedPost:
        """One raw item as a post record; raises `MalformedItem` when it cannot be read."""
        ...

    def external_id(self, item: Any) -> str | None:
        """The item's id, read cheaply so stored posts are skipped unread; None if unclear."""
        ...


class MalformedItem(Exception):
    """One item could not be read. The message says why, in words an admin understands."""


class SourceError(Exception):
    """The platform refused or failed a request; the run stops."""


class MalformedPage(SourceError):
    def __init__(self, reason: str, payload: str) -> None:
        super().__init__(reason)
        self.payload = payload


class RateLimited(SourceError):
    """Too many requests for now: try this target again after `reset_at`."""

    def __init__(self, reset_at: datetime | None) -> None:
        super().__init__("The platform's rate limit was reached")
        self.reset_at = reset_at


class UsageCapReached(SourceError):
    """The account's monthly allowance or credit is used up: the whole source must stop."""


class CredentialsRefused(SourceError):
    """The platform refused Weaver's credentials (401 or 403): an admin must act."""


class SourceUnavailable(SourceError):
    """Server errors or network failures persisted after retrying."""
