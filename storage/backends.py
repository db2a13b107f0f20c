"""What differs between database backends, in one place.

SQLite (the default, one file) gets, on every connection, WAL (readers do not wait for
the writer), foreign keys, a busy timeout and `BEGIN IMMEDIATE` (a writer takes the
lock when its transaction starts, so two writers queue instead of one failing with
"database is locked"). PostgreSQL (`postgresql+asyncpg://...`, `pip install
'.[postgres]'`) is used as SQLAlchemy configures it: READ COMMITTED, row locks
(`FOR UPDATE`, `SKIP LOCKED`) and conditional updates keep the guarantees there.
Outside this module only the migrations look at the backend (per-dialect SQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
# An execution option read by the SQLite "begin" hook: a read transaction (a unit of
# work's reads, storage/db.py) begins deferred and takes no write lock.
READ_ONLY = "birge_read_only"

# SQLite page cache for a bulk import's connection: the phone, Telegram id and code indexes
# of 100,000 volunteers do not fit the default 2 MB, and random inserts into them then cost
# a quarter of the run. Negative means KiB.
SQLITE_IMPORT_CACHE_KIB = 64 * 1024


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """The engine for `url`, with the backend's settings applied."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(parsed):
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(parsed):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # Let SQLAlchemy's "begin" hook (below) open transactions itself.
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock at BEGIN: a deferred transaction that later upgrades to a
    # writer can fail at once with "database is locked" despite the busy timeout.
    # Read transactions (READ_ONLY) begin deferred and never write.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def has_row_locks(session: AsyncSession) -> bool:
    """Can a transaction lock rows (SELECT ... FOR UPDATE)? Not on SQLite, where a writer
    holds the whole database from BEGIN IMMEDIATE on."""
    return session.get_bind().dialect.name != "sqlite"


async def prepare_for_bulk_writes(session: AsyncSession) -> None:
    """Before a bulk import on this session's connection: a larger page cache on SQLite
    (PostgreSQL's shared buffers are the server's business)."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}"))
