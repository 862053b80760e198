"""Which source reads which platform, and how to build one from the settings."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from collectors.sources import x
from collectors.sources.base import Page, Source
from crm.config import Settings
from crm.models import Platform
from crm.services.posts import CollectedPost


def source_for(platform: Platform, settings: Settings) -> Source | None:
    """A live source, or None when Weaver has no credentials for the platform."""
    if platform is Platform.X and settings.x_bearer_token:
        return x.XSource.from_bearer_token(settings.x_bearer_token)
    return None


def handle_look_up_for(
    platform: Platform, settings: Settings
) -> Callable[[Sequence[str]], x.HandleLookup] | None:
    """Looks handles up on the platform, or None when Weaver cannot (no credentials)."""
    if platform is Platform.X and settings.x_bearer_token:
        return functools.partial(x.look_up_handles, x.make_client(settings.x_bearer_token))
    return None


def page_from_json(platform: Platform, document: Any) -> Page:
    """A page read back from a file or the quarantine, in the platform's own format."""
    _require_x(platform)
    return x.x_page_from_json(document)


def normalise(platform: Platform, item: Any, page: Page) -> CollectedPost:
    _require_x(platform)
    return x.normalise_post(item, page.includes)


def _require_x(platform: Platform) -> None:
    if platform is not Platform.X:
        raise NotImplementedError(f"Weaver cannot read {platform.value} payloads yet")
