"""Only one scheduler per database: two would run every job twice.

PostgreSQL: a session-level advisory lock, held on a connection kept for the purpose; it
vanishes with the process, however the process ends. SQLite: an exclusive lock on a file
beside the database, which the operating system likewise releases when the process dies.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from crm.database import Database

# Any fixed 64-bit number will do; this one spells "weaver" in ASCII.
ADVISORY_LOCK_KEY = 0x776561766572


class SchedulerLock:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: Connection | None = None
        self._file: int | None = None

    def try_acquire(self) -> bool:
        if self._database.is_sqlite:
            return self._try_file_lock()
        return self._try_advisory_lock()

    def release(self) -> None:
        if self._connection is not None:
            self._connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
            )
            self._connection.close()
            self._connection = None
        if self._file is not None:
            os.close(self._file)  # closing the descriptor releases the lock
            self._file = None

    def _try_advisory_lock(self) -> bool:
        connection = self._database.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        acquired = connection.scalar(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
        )
        if acquired:
            self._connection = connection
        else:
            connection.close()
        return bool(acquired)

    def _try_file_lock(self) -> bool:
        descriptor = os.open(lock_file_for(self._database), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._file = descriptor
        return True

    def __enter__(self) -> SchedulerLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def lock_file_for(database: Database) -> Path:
    database_path = make_url(str(database.engine.url)).database
    if not database_path or database_path == ":memory:":
        raise ValueError("An in-memory database has no scheduler to share with")
    return Path(f"{database_path}.scheduler-lock")
