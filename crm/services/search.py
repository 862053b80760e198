"""Finding contacts and what was said with them, by words, on SQLite and PostgreSQL alike.

The text an officer types is never handed to the database's query language: it is cut into
words of letters and digits, and each word is searched as the start of a word. So "brack"
finds "Brackenford", and quotes, `*`, `-`, `NEAR` or `:` are just characters to skip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    exists,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session, selectinload

from crm.database import is_sqlite
from crm.models import Contact, Interaction, Officer, interaction_contacts
from crm.models import full_text as index
from crm.pagination import Page, paginate
from crm.services.visibility import visible_contacts, visible_interactions
from crm.text import clean_text

CONTACTS_PER_PAGE = 20
INTERACTIONS_PER_PAGE = 20
MAX_COUNTED = 1000
MAX_TERMS = 8
MAX_TERM_LENGTH = 60
_WORD = re.compile(r"[^\W_]+")


def search_terms(query: str) -> list[str]:
    """The words of a query, lower case, as the index holds them."""
    words = _WORD.findall(clean_text(query).lower())
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: Sequence[str]
    contacts: Page[Contact]
    interactions: Page[Interaction]

    @property
    def number(self) -> int:
        return max(self.contacts.number, self.interactions.number)

    @property
    def page_count(self) -> int:
        return max(self.contacts.page_count, self.interactions.page_count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def total(self) -> int:
        return self.contacts.total + self.interactions.total

    @property
    def interactions_uncounted(self) -> bool:
        """True when more interactions match than were counted (see MAX_COUNTED)."""
        return self.interactions.total > MAX_COUNTED

    @property
    def max_counted(self) -> int:
        return MAX_COUNTED


def search(session: Session, query: str, *, viewer: Officer, page: int = 1) -> SearchResults:
    """Contacts (best match first) and interactions (newest first) the viewer may see that
    contain every word of the query, or a word starting with it."""
    terms = search_terms(query)
    if not terms:
        return SearchResults(
            query=query,
            terms=terms,
            contacts=Page(items=[], number=1, per_page=CONTACTS_PER_PAGE, total=0),
            interactions=Page(items=[], number=1, per_page=INTERACTIONS_PER_PAGE, total=0),
        )
    return SearchResults(
        query=query,
        terms=terms,
        contacts=_contacts(session, terms, viewer=viewer, page=page),
        interactions=_interactions(session, terms, viewer=viewer, page=page),
    )


def contacts_matching(session: Session, query: str) -> ColumnElement[bool] | None:
    """A condition on Contact for "matches these words", or None when there are no words, so
    lists can filter by text the way search does."""
    terms = search_terms(query)
    if not terms:
        return None
    if is_sqlite(session):
        fts = table(index.CONTACTS_FTS, column("rowid"))
        return Contact.id.in_(select(fts.c.rowid).where(_sqlite_match(index.CONTACTS_FTS, terms)))
    return _postgresql_match(index.contact_document(), terms)


def _contacts(session: Session, terms: list[str], *, viewer: Officer, page: int) -> Page[Contact]:
    statement: Select[tuple[Contact]]
    if is_sqlite(session):
        fts = table(index.CONTACTS_FTS, column("rowid"))
        rank = func.bm25(literal_column(index.CONTACTS_FTS), *index.CONTACT_WEIGHTS)
        statement = (
            select(Contact)
            .join(fts, fts.c.rowid == Contact.id)
            .where(_sqlite_match(index.CONTACTS_FTS, terms))
            .order_by(rank)
        )
    else:
        document = index.contact_document()
        rank = func.ts_rank(literal_column(document), _postgresql_query(terms))
        statement = select(Contact).where(_postgresql_match(document, terms)).order_by(rank.desc())
    statement = (
        statement.where(visible_contacts(viewer))
        .options(selectinload(Contact.locality))
        .order_by(func.lower(Contact.name), Contact.id)
    )
    return paginate(session, statement, page=page, per_page=CONTACTS_PER_PAGE)


def _interactions(
    session: Session, terms: list[str], *, viewer: Officer, page: int
) -> Page[Interaction]:
    # Only what is on someone's timeline: a post from a member of the public that nobody
    # linked to a contact (or that was dismissed) is not officers' record of anything.
    on_a_timeline = exists().where(interaction_contacts.c.interaction_id == Interaction.id)
    shown = and_(on_a_timeline, visible_interactions(viewer))
    # A common word can match a hundred thousand notes; counting (and paging) stops at a
    # thousand, which is more than anyone reads, so the answer stays quick.
    matching = select(Interaction.id).where(_interaction_matches(session, terms), shown)
    total = session.scalar(
        select(func.count()).select_from(matching.limit(MAX_COUNTED + 1).subquery())
    )
    number = min(max(1, page), max(1, -(-total // INTERACTIONS_PER_PAGE)))
    newest_first = is_sqlite(session) and _newest_first_is_quicker(session, terms, number)
    statement = (
        select(Interaction)
        .where(_interaction_matches(session, terms, newest_first=newest_first), shown)
        .options(selectinload(Interaction.contacts), selectinload(Interaction.logged_by))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(INTERACTIONS_PER_PAGE)
        .offset((number - 1) * INTERACTIONS_PER_PAGE)
    )
    items = session.scalars(statement).all()
    return Page(items=items, number=number, per_page=INTERACTIONS_PER_PAGE, total=total)


def _interaction_matches(
    session: Session, terms: list[str], *, newest_first: bool = False
) -> ColumnElement[bool]:
    if not is_sqlite(session):
        return _postgresql_match(index.interaction_document(), terms)
    fts = table(index.INTERACTIONS_FTS, column("rowid"))
    # SQLite's unary + keeps it from starting at the matches, so it reads interactions
    # newest first by their time index instead and stops when the page is full.
    interaction_id = literal_column("+interactions.id") if newest_first else Interaction.id
    return interaction_id.in_(
        select(fts.c.rowid).where(_sqlite_match(index.INTERACTIONS_FTS, terms))
    )


def _newest_first_is_quicker(session: Session, terms: list[str], number: int) -> bool:
    """SQLite sorts every match by time unless told otherwise. When matches are many, reading
    interactions newest first and keeping the matching ones reaches a page sooner; this
    compares how many rows each way reads. (PostgreSQL's planner weighs this itself.)"""
    fts = table(index.INTERACTIONS_FTS, column("rowid"))
    matches = session.scalar(
        select(func.count()).select_from(fts).where(_sqlite_match(index.INTERACTIONS_FTS, terms))
    )
    if not matches:
        return False
    interactions = session.scalar(select(func.max(Interaction.id))) or 0
    rows_read_newest_first = number * INTERACTIONS_PER_PAGE * interactions / matches
    return rows_read_newest_first < matches


def _sqlite_match(fts_table: str, terms: list[str]) -> ColumnElement[bool]:
    # Each word quoted (so FTS5 reads it as text, never as an operator) and marked as a prefix.
    expression = " ".join(f'"{term}"*' for term in terms)
    return literal_column(fts_table).op("MATCH", is_comparison=True)(expression)


def _postgresql_query(terms: list[str]) -> ColumnElement[object]:
    # Terms hold only letters and digits, so none of to_tsquery's operators can be in them.
    expression = " & ".join(f"{term}:*" for term in terms)
    return func.to_tsquery(literal_column(index.POSTGRESQL_CONFIG), expression)


def _postgresql_match(document: str, terms: list[str]) -> ColumnElement[bool]:
    return literal_column(document).op("@@", is_comparison=True)(_postgresql_query(terms))
