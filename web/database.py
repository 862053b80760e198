"""One database session per request: opened on first use, closed when the request ends."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from crm.database import Database

EXTENSION_KEY = "weaver.database"


def init_database(app: Flask, database: Database) -> None:
    app.extensions[EXTENSION_KEY] = database
    app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions[EXTENSION_KEY]


def db_session() -> Session:
    """The request's session. Routes that change data call `commit()` before they answer."""
    if "db_session" not in g:
        g.db_session = database().session_factory()
    return g.db_session


def commit() -> None:
    db_session().commit()


def _close_session(_error: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        # Anything not committed by the route is abandoned, never half-saved.
        session.rollback()
        session.close()
