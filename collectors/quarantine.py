"""Reading quarantined items again, when an admin asks (after a fix, or a transient fault)."""

from __future__ import annotations

import json
import logging

from collectors.sources import registry
from collectors.sources.base import MalformedItem, MalformedPage, Page
from crm.database import Database
from crm.models import QuarantinedItem, QuarantineStatus
from crm.services import collection
from crm.services.ingestion import Provenance, ingest_posts
from crm.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def retry_requested(database: Database) -> int:
    """Retry every item an admin asked for; returns how many were stored."""
    with unit_of_work(database.session_factory) as session:
        item_ids = [item.id for item in collection.retries_requested(session)]
    return sum(retry(database, item_id) for item_id in item_ids)


def retry(database: Database, item_id: int) -> bool:
    with unit_of_work(database.session_factory) as session:
        item = session.get(QuarantinedItem, item_id)
        if item is None:
            return False
        try:
            posts = _read(item)
        except (MalformedItem, MalformedPage, ValueError, KeyError, TypeError) as error:
            collection.resolve_quarantined(
                session,
                item.id,
                QuarantineStatus.WAITING,
                officer_id=None,
                reason=f"Tried again and still could not read it: {error}",
            )
            return False
        ingest_posts(
            session,
            posts,
            provenance=Provenance(
                review_reason="Read again from the quarantine", target_id=item.target_id
            ),
        )
        collection.resolve_quarantined(session, item.id, QuarantineStatus.STORED, officer_id=None)
    return True


def _read(item: QuarantinedItem):
    document = json.loads(item.payload)
    if item.scope == "page":
        page = registry.page_from_json(item.platform, document)
        return [registry.normalise(item.platform, raw, page) for raw in page.items]
    page = Page(items=[document["item"]], includes=document.get("includes") or {})
    return [registry.normalise(item.platform, document["item"], page)]
