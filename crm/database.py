"""Engines and sessions: the one place that knows how we talk to SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(database_url: str, **kwargs: object) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite_connection(dbapi_connection, _connection_record) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked, on every connection.
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL lets the web server read while the scheduler writes.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    # In WAL mode NORMAL syncs at checkpoints, not every commit: a crash of the app loses
    # nothing, and a power cut can lose only the last commits, never consistency. A full sync
    # per commit made each collection page cost more in fsync than in work.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_sqlite(engine_or_session: Engine | Session) -> bool:
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return bind.dialect.name == "sqlite"


class Database:
    """An engine and the session factory bound to it: what an entry point opens once."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        self.session_factory = make_session_factory(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()
