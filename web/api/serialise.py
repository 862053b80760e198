"""Domain objects as the JSON the API documents in its OpenAPI description."""

from __future__ import annotations

from typing import Any

from crm.models import Contact, FollowUp, Interaction
from crm.pagination import Page


def contact_json(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "kind": contact.kind.value,
        "name": contact.name,
        "email": contact.email,
        "locality": contact.locality.name if contact.locality else None,
    }


def interaction_json(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": interaction.id,
        "kind": interaction.kind.value,
        "occurred_at": interaction.occurred_at.isoformat(),
        "text": interaction.text,
        "platform": interaction.platform.value if interaction.platform else None,
        "url": interaction.url,
        "sentiment_polarity": interaction.sentiment_polarity,
        "contact_ids": sorted(contact.id for contact in interaction.contacts),
    }


def follow_up_json(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.id,
        "contact_id": follow_up.contact_id,
        "due_on": follow_up.due_on.isoformat(),
        "note": follow_up.note,
        "status": follow_up.status.value,
        "assignee_id": follow_up.assignee_id,
    }


def page_json(page: Page[Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "items": items,
        "page": page.number,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.page_count,
    }
