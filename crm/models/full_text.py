"""The full-text index over contacts and interaction text, one per database.

SQLite: FTS5 tables that take their text from `contacts` and `interactions` ("external
content"), kept in step by triggers. PostgreSQL: GIN indexes on a tsvector expression of the
same columns, so there is nothing to keep in step. Migration 0010 makes both; they are not
SQLAlchemy tables, so Alembic's autogenerate is told to look past them
(`is_full_text_object`).

A later migration that rebuilds `contacts` or `interactions` on SQLite (batch mode copies and
drops the table) drops these triggers with it: run SQLITE_TRIGGERS again after it.
"""

from __future__ import annotations

# Words are split on anything that is not a letter or a digit, and never stemmed, so a
# prefix of a word finds it ("brack" finds "Brackenford") the same way on both databases.
SQLITE_TOKENIZER = "unicode61 remove_diacritics 2"
POSTGRESQL_CONFIG = "'simple'::regconfig"

CONTACTS_FTS = "contacts_fts"
INTERACTIONS_FTS = "interactions_fts"
FTS_TABLES = (CONTACTS_FTS, INTERACTIONS_FTS)

# Name first: bm25 weights on SQLite and setweight classes on PostgreSQL rank a match in the
# name above one in an email address, above one in a description.
CONTACT_COLUMNS = (
    "name",
    "email",
    "website",
    "charity_number",
    "companies_house_number",
    "job_title",
    "description",
)
CONTACT_WEIGHTS = (10.0, 4.0, 4.0, 4.0, 4.0, 2.0, 1.0)
INTERACTION_COLUMNS = ("text", "author_handle")

CONTACTS_INDEX = "ix_contacts_full_text"
INTERACTIONS_INDEX = "ix_interactions_full_text"


def _sqlite_table(name: str, content: str, columns: tuple[str, ...]) -> str:
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join(columns)}, "
        f"content='{content}', content_rowid='id', tokenize='{SQLITE_TOKENIZER}')"
    )


def _sqlite_triggers(name: str, content: str, columns: tuple[str, ...]) -> list[str]:
    listed = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    add = f"INSERT INTO {name}(rowid, {listed}) VALUES (new.id, {new});"
    # An external-content table forgets a row by being told exactly what it indexed.
    forget = f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON {content} BEGIN {add} END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON {content} BEGIN {forget} END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {listed} ON {content} "
        f"BEGIN {forget} {add} END",
    ]


SQLITE_TABLES = [
    _sqlite_table(CONTACTS_FTS, "contacts", CONTACT_COLUMNS),
    _sqlite_table(INTERACTIONS_FTS, "interactions", INTERACTION_COLUMNS),
]
SQLITE_TRIGGERS = [
    *_sqlite_triggers(CONTACTS_FTS, "contacts", CONTACT_COLUMNS),
    *_sqlite_triggers(INTERACTIONS_FTS, "interactions", INTERACTION_COLUMNS),
]
# Index the rows that were there before the tables existed.
SQLITE_BACKFILL = [
    f"INSERT INTO {CONTACTS_FTS}({CONTACTS_FTS}) VALUES ('rebuild')",
    f"INSERT INTO {INTERACTIONS_FTS}({INTERACTIONS_FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {CONTACTS_FTS}_{event}" for event in ("insert", "delete", "update")),
    *(
        f"DROP TRIGGER IF EXISTS {INTERACTIONS_FTS}_{event}"
        for event in ("insert", "delete", "update")
    ),
    f"DROP TABLE IF EXISTS {CONTACTS_FTS}",
    f"DROP TABLE IF EXISTS {INTERACTIONS_FTS}",
]


def _vector(text: str, weight: str) -> str:
    return f"setweight(to_tsvector({POSTGRESQL_CONFIG}, {text}), '{weight}')"


def _joined(*columns: str) -> str:
    return " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)


def contact_document(table: str = "contacts") -> str:
    """The tsvector a contact is found by. A query must use this very expression (the table
    name may be written out) for PostgreSQL to answer it from the index."""

    def column(name: str) -> str:
        return f"{table}.{name}"

    # Addresses split at their punctuation, as FTS5 splits them: "pantry" finds
    # info@pantry.org.uk and https://pantry.org.uk/.
    addresses = f"translate({_joined(column('email'), column('website'))}, '@./:', '    ')"
    numbers = _joined(column("charity_number"), column("companies_house_number"))
    return " || ".join(
        [
            _vector(_joined(column("name")), "A"),
            _vector(f"{addresses} || ' ' || {numbers}", "B"),
            _vector(_joined(column("job_title"), column("description")), "C"),
        ]
    )


def interaction_document(table: str = "interactions") -> str:
    return f"to_tsvector({POSTGRESQL_CONFIG}, {_joined(f'{table}.text', f'{table}.author_handle')})"


POSTGRESQL_INDEXES = [
    f"CREATE INDEX {CONTACTS_INDEX} ON contacts USING gin (({contact_document()}))",
    f"CREATE INDEX {INTERACTIONS_INDEX} ON interactions USING gin (({interaction_document()}))",
]
POSTGRESQL_DROP = [
    f"DROP INDEX IF EXISTS {CONTACTS_INDEX}",
    f"DROP INDEX IF EXISTS {INTERACTIONS_INDEX}",
]


def is_full_text_object(name: str | None, type_: str) -> bool:
    """True for the FTS5 tables (and the shadow tables FTS5 keeps beside them) and the GIN
    indexes: made by migration 0010, not by the models, so autogenerate must not compare them.
    """
    if name is None:
        return False
    if type_ == "table":
        return any(name == table or name.startswith(f"{table}_") for table in FTS_TABLES)
    if type_ == "index":
        return name in (CONTACTS_INDEX, INTERACTIONS_INDEX)
    return False
