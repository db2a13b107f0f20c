"""Engine and sessions. SQLite gets WAL, foreign keys and a busy timeout on every
connection; any other backend (PostgreSQL) is used as SQLAlchemy configures it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]  # the DB-API connection of sqlite3
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy's "begin" hook (below) open transactions itself.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]  # the DB-API connection of sqlite3


def _sqlite_begin_immediate(connection: object) -> None:
    # Take the write lock at BEGIN: a deferred transaction that later upgrades to a
    # writer can fail at once with "database is locked" despite the busy timeout.
    connection.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]  # the DB-API connection of sqlite3


class Database:
    """Owns the engine; `session()` is one unit of work (commit on success)."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, object] = {"echo": echo}
        if self.is_sqlite:
            database = parsed.database
            if database and database != ":memory:":
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin_immediate)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            async with session.begin():
                yield session

    async def close(self) -> None:
        await self.engine.dispose()
