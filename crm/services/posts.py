"""The one shape every collected post takes, whatever platform it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.models import Platform


@dataclass(frozen=True)
class Mention:
    user_id: str
    handle: str


@dataclass(frozen=True)
class CollectedPost:
    """A post from any platform, normalised by its source and not yet stored."""

    platform: Platform
    external_id: str
    author_platform_id: str
    author_handle: str
    text: str
    created_at: datetime
    url: str | None = None
    in_reply_to_external_id: str | None = None
    in_reply_to_user_id: str | None = None
    mentions: tuple[Mention, ...] = ()
    language: str | None = None
    # The parts of the platform's payload Weaver uses, kept so the post can be read again.
    raw: dict[str, Any] = field(default_factory=dict)
