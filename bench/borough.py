"""A large borough for the contacts benchmark: 50,000 contacts and 1,000,000 interactions.

Rows are written with the driver's fastest path (SQLite executemany, PostgreSQL COPY) and
explicit ids, so building takes well under a minute. One organisation, "Saltings Community
Pantry", has 10,000 items on its timeline (interactions and follow-ups); its people have
items of their own, and a few of its interactions also involve a restricted person, so the
visibility rule is exercised as it is in real use.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, text

from crm import passwords
from crm.demo import posts as phrases
from crm.sentiment import score

BUSY_NAME = "Saltings Community Pantry"
BUSY_ORGANISATION_ID = 1
BENCH_OFFICER_ID = 1
OFFICER_EMAIL = "bench.officer@council.example"
OFFICER_PASSWORD = "bench password that is long enough"
OFFICERS = 40
TEAMS = 4
START = datetime(2021, 12, 1, tzinfo=UTC)
END = datetime(2026, 11, 30, tzinfo=UTC)
POSTS = [
    post.replace("{council}", "BrackenfordBC")
    for post in [*phrases.POSITIVE, *phrases.NEUTRAL, *phrases.NEGATIVE, *phrases.OVERHEARD]
]
NOTES = [
    *phrases.MEETING_NOTES,
    *phrases.CALL_NOTES,
    *phrases.EMAIL_NOTES,
    *phrases.EVENT_NOTES,
    *phrases.COFFEE_NOTES,
]
LOGGED_KINDS = ["meeting", "call", "email", "event", "coffee", "social_reply", "other"]
FIRST_NAMES = [
    "Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hugo", "Isla", "Jay", "Kemi",
    "Leo", "Maya", "Nia", "Omar", "Priya", "Rhys", "Sam", "Tara", "Yusuf",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Foster", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Owen", "Patel", "Roberts", "Singh", "Taylor", "Walsh",
]  # fmt: skip
ORG_WORDS = [
    "Riverside", "Northgate", "Marshby", "Saltings", "Brackenford", "Eastgate", "Millbrook",
    "Ashby", "Westfield", "Hillcrest",
]  # fmt: skip
CHUNK = 100_000
INTERACTION_COLUMNS = [
    "id", "kind", "occurred_at", "text", "logged_by_id", "platform", "external_id",
    "author_platform_id", "author_handle", "url", "sentiment_polarity",
    "sentiment_subjectivity", "text_was_repaired", "text_was_truncated", "created_at",
]  # fmt: skip
ORG_KINDS = [
    "Food Bank", "Youth Hub", "Lunch Club", "Arts Collective", "Repair Café", "Sea Scouts",
    "Tenants Association", "Warm Space", "Choir", "Allotment Society",
]  # fmt: skip


@dataclass(frozen=True)
class Borough:
    officer_id: int
    busy_organisation_id: int
    contacts: int
    interactions: int
    follow_ups: int
    busy_items: int


@dataclass(frozen=True)
class Shape:
    contacts: int = 50_000
    interactions: int = 1_000_000
    busy_items: int = 10_000
    busy_people: int = 30
    restricted_share: float = 0.02
    follow_ups: int = 40_000


def build(connection: Connection, shape: Shape, rng: random.Random) -> Borough:
    """Fill an empty, migrated database. The caller commits."""
    writer = BulkWriter(connection)
    officer_id = _officers(writer)
    organisations = shape.contacts // 5
    busy_id = BUSY_ORGANISATION_ID
    people_ids = range(organisations + 1, shape.contacts + 1)
    busy_people = list(people_ids[: shape.busy_people])
    restricted = set(rng.sample(list(people_ids), int(len(people_ids) * shape.restricted_share)))
    _contacts(writer, rng, organisations, shape.contacts, restricted)
    _affiliations(writer, rng, organisations, people_ids, busy_people)
    busy_follow_ups = shape.busy_items // 50
    busy_interactions = shape.busy_items - busy_follow_ups
    _interactions(
        writer, rng, shape, organisations, busy_interactions, busy_people, sorted(restricted)
    )
    _follow_ups(writer, rng, shape, busy_follow_ups)
    writer.finish()
    return Borough(
        officer_id=officer_id,
        busy_organisation_id=busy_id,
        contacts=shape.contacts,
        interactions=shape.interactions,
        follow_ups=shape.follow_ups,
        busy_items=shape.busy_items,
    )


class BulkWriter:
    """Inserts rows with explicit ids as fast as each driver allows."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.tables: set[str] = set()
        if self.sqlite:
            # A larger page cache for the build: index pages stay in memory between batches.
            connection.exec_driver_sql("PRAGMA cache_size = -262144")

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        self.tables.add(table)
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            rows = iter(rows)
            while batch := [_for_sqlite(row) for row in itertools.islice(rows, 50_000)]:
                self.connection.exec_driver_sql(statement, batch)
            return
        raw = self.connection.connection.driver_connection
        copy_rows = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(copy_rows) as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the explicit ids."""
        if self.sqlite:
            return
        for table in sorted(self.tables - {"interaction_contacts"}):
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )


def settle(engine: Engine) -> None:
    """What autovacuum does after a load this size on PostgreSQL: planner statistics, and
    the visibility map that lets index-only scans skip the table."""
    if engine.dialect.name == "sqlite":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def _for_sqlite(row: Sequence[object]) -> tuple[object, ...]:
    # SQLAlchemy stores SQLite datetimes as naive UTC text in this exact shape.
    return tuple(
        value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, datetime)
        else value.isoformat()
        if isinstance(value, date)
        else value
        for value in row
    )


def _officers(writer: BulkWriter) -> int:
    hashed = passwords.hash_password(OFFICER_PASSWORD)
    writer.write("teams", ["id", "name"], [(n, f"Team {n}") for n in range(1, TEAMS + 1)])
    rows = []
    for n in range(1, OFFICERS + 1):
        email = OFFICER_EMAIL if n == 1 else f"officer{n}@council.example"
        rows.append(
            (n, email, f"Officer {n}", hashed, "officer", _team_of(n), True, f"token-{n}", START)
        )
    writer.write(
        "officers",
        [
            "id",
            "email",
            "name",
            "password_hash",
            "role",
            "team_id",
            "is_active",
            "session_token",
            "created_at",
        ],
        rows,
    )
    return BENCH_OFFICER_ID


def _team_of(officer_id: int) -> int:
    return 1 + officer_id % TEAMS


def _contacts(
    writer: BulkWriter, rng: random.Random, organisations: int, total: int, restricted: set[int]
) -> None:
    outsiders = [n for n in range(2, OFFICERS + 1) if _team_of(n) != _team_of(1)]
    rows = []
    for n in range(1, total + 1):
        # Restricted people belong to officers outside the bench officer's team.
        owner = rng.choice(outsiders) if n in restricted else rng.randint(1, OFFICERS)
        if n == 1:
            kind, name = "organisation", BUSY_NAME
        elif n <= organisations:
            kind = "organisation"
            name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)} {n}"
        else:
            kind = "person"
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {n}"
        rows.append((n, kind, name, owner, n in restricted, START, START))
    writer.write(
        "contacts",
        ["id", "kind", "name", "owner_id", "is_restricted", "created_at", "updated_at"],
        rows,
    )


def _affiliations(
    writer: BulkWriter,
    rng: random.Random,
    organisations: int,
    people_ids: range,
    busy_people: list[int],
) -> None:
    rows = []
    for n, person_id in enumerate(people_ids, start=1):
        organisation = 1 if person_id in busy_people else rng.randint(2, organisations)
        ended = None if rng.random() < 0.9 else date(2024, 3, 31)
        rows.append((n, person_id, organisation, "Volunteer", None, ended))
    writer.write(
        "affiliations",
        ["id", "person_id", "organisation_id", "role", "started_on", "ended_on"],
        rows,
    )


def _interactions(
    writer: BulkWriter,
    rng: random.Random,
    shape: Shape,
    organisations: int,
    busy_interactions: int,
    busy_people: list[int],
    restricted: list[int],
) -> None:
    """Three in five are collected posts. One in five also involves a second contact."""
    sentiments = {post: score(post) for post in POSTS}
    span = (END - START).total_seconds()
    # Not in id order: officers log things days later, and imports bring old history.
    moments = [START + timedelta(seconds=rng.random() * span) for _ in range(shape.interactions)]
    busy = set(rng.sample(range(1, shape.interactions + 1), busy_interactions))
    for first in range(0, shape.interactions, CHUNK):
        rows, links = [], []
        for n in range(first + 1, min(first + CHUNK, shape.interactions) + 1):
            moment = moments[n - 1]
            if n in busy:
                contact = 1
            elif rng.random() < 0.005:
                contact = rng.choice(busy_people)
            else:
                contact = rng.randint(2, shape.contacts)
            links.append((n, contact, "author"))
            if rng.random() < 0.2:
                other = rng.randint(organisations + 1, shape.contacts)
                if n in busy and rng.random() < 0.05:
                    other = rng.choice(restricted)
                if other != contact:
                    links.append((n, other, "mention"))
            if rng.random() < 0.6:
                post = rng.choice(POSTS)
                sentiment = sentiments[post]
                rows.append(
                    (n, "post", moment, post, None, "x", str(1_800_000_000_000_000_000 + n),
                     str(contact), f"group{contact}", f"https://x.com/group{contact}/status/{n}",
                     sentiment.polarity, sentiment.subjectivity, False, False, moment)
                )  # fmt: skip
            else:
                rows.append(
                    (n, rng.choice(LOGGED_KINDS), moment, rng.choice(NOTES),
                     rng.randint(1, OFFICERS), None, None, None, None, None, None, None, False,
                     False, moment)
                )  # fmt: skip
        writer.write("interactions", INTERACTION_COLUMNS, rows)
        writer.write("interaction_contacts", ["interaction_id", "contact_id", "evidence"], links)


def _follow_ups(writer: BulkWriter, rng: random.Random, shape: Shape, busy: int) -> None:
    rows = []
    span_days = (END - START).days
    for n in range(1, shape.follow_ups + 1):
        contact = 1 if n <= busy else rng.randint(2, shape.contacts)
        due = START.date() + timedelta(days=rng.randint(0, span_days + 60))
        done = due < END.date() - timedelta(days=30) and rng.random() < 0.8
        completed = datetime.combine(due, datetime.min.time(), UTC) + timedelta(hours=10)
        rows.append(
            (n, contact, rng.randint(1, OFFICERS), 1, due, rng.choice(phrases.FOLLOW_UP_NOTES),
             "done" if done else "open", START, completed if done else None, 0)
        )  # fmt: skip
    writer.write(
        "follow_ups",
        ["id", "contact_id", "assignee_id", "created_by_id", "due_on", "note", "status",
         "created_at", "completed_at", "snooze_count"],
        rows,
    )  # fmt: skip
