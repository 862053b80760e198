"""`crm import posts`: X API v2 pages from a JSONL file, through the same pipeline.

Each line is one response page, as twarc2 writes them, or one post object. The file is read
line by line and stored in batches, so memory stays flat however large the file is. A line
that cannot be read is reported by its number and the rest go on; a post that cannot be
read is quarantined with its raw payload.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from collectors.pipeline import quarantine_payload
from collectors.sources import registry
from collectors.sources.base import MalformedItem, MalformedPage, Page
from crm.database import Database
from crm.models import Platform
from crm.services import collection
from crm.services.ingestion import Provenance, ingest_posts
from crm.services.posts import CollectedPost
from crm.unit_of_work import unit_of_work

BATCH_SIZE = 1000
MAX_REPORTED_LINES = 1000


@dataclass
class ImportReport:
    lines: int = 0
    posts: int = 0
    new: int = 0
    duplicates: int = 0
    sent_to_review: int = 0
    skipped_erased: int = 0
    quarantined: int = 0
    bad_line_count: int = 0
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, line_number: int, reason: str) -> None:
        self.bad_line_count += 1
        if len(self.bad_lines) < MAX_REPORTED_LINES:
            self.bad_lines.append((line_number, reason))


@dataclass
class _Batch:
    file_name: str
    posts: list[CollectedPost] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # reason, raw payload


def import_posts(
    database: Database,
    lines: Iterable[bytes],
    *,
    file_name: str,
    platform: Platform = Platform.X,
    on_line: Callable[[int], None] = lambda _size: None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    report = ImportReport()
    provenance = Provenance(review_reason=f"Imported from the file {file_name}")
    batch = _Batch(file_name)
    for line_number, line in enumerate(lines, start=1):
        report.lines = line_number
        on_line(len(line))
        if not line.strip():
            continue
        page = _read_line(line, line_number, platform, report)
        if page is not None:
            _add_page(page, line_number, platform, batch, report)
        if len(batch.posts) >= batch_size:
            _store(database, batch, provenance, platform, report)
            batch = _Batch(file_name)
    _store(database, batch, provenance, platform, report)
    return report


def _read_line(line: bytes, line_number: int, platform: Platform, report: ImportReport):
    try:
        return registry.page_from_json(platform, json.loads(line.decode("utf-8")))
    except UnicodeDecodeError:
        report.reject(line_number, "The line is not valid UTF-8 text")
    except json.JSONDecodeError as error:
        report.reject(line_number, f"The line is not valid JSON ({error.msg})")
    except MalformedPage as error:
        report.reject(line_number, str(error))
    return None


def _add_page(
    page: Page, line_number: int, platform: Platform, batch: _Batch, report: ImportReport
) -> None:
    for item in page.items:
        report.posts += 1
        try:
            batch.posts.append(registry.normalise(platform, item, page))
        except MalformedItem as error:
            report.reject(line_number, str(error))
            reason = f"Line {line_number} of {batch.file_name}: {error}"
            batch.rejected.append((reason, quarantine_payload(item, page)))


def _store(
    database: Database,
    batch: _Batch,
    provenance: Provenance,
    platform: Platform,
    report: ImportReport,
) -> None:
    if not batch.posts and not batch.rejected:
        return
    with unit_of_work(database.session_factory) as session:
        for reason, payload in batch.rejected:
            collection.quarantine(session, platform=platform, payload=payload, reason=reason)
        result = ingest_posts(session, batch.posts, provenance=provenance)
    report.new += result.new
    report.duplicates += result.duplicates
    report.sent_to_review += result.sent_to_review
    report.skipped_erased += result.skipped_erased
    report.quarantined += len(batch.rejected)
