"""Sessions for long reads (the statistics) that must not hold up the bot's writes.

On SQLite every transaction of `Database` starts with BEGIN IMMEDIATE (it takes the
write lock at once), so a report that reads for a second would make every sign-up wait
for it. A read-only engine of its own reads from a WAL snapshot beside the writer
instead: a plain BEGIN, `PRAGMA query_only`. Other backends read through the
application's own sessions (their readers never block writers)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.backends import SQLITE_BUSY_TIMEOUT_MS
from storage.db import Database


def _read_only_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]  # the DB-API connection of sqlite3
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


class ReadSessions:
    """`ReadSessions(db).sessionmaker()`: a session for reading only; `close()` when done."""

    def __init__(self, db: Database) -> None:
        self._engine: AsyncEngine | None = None
        if db.is_sqlite and make_url(db.url).database not in (None, "", ":memory:"):
            self._engine = create_async_engine(db.url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(self._engine.sync_engine, "connect", _read_only_pragmas)
            self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(self._engine,
                                                                                     expire_on_commit=False)
        else:
            self.sessionmaker = db.sessionmaker

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
