"""Engine, sessions and units of work. What differs between SQLite and PostgreSQL
(pragmas, BEGIN IMMEDIATE, connection options) is in storage/backends.py.

A unit of work (`Database.unit_of_work()`) is one session for one piece of work (an
update: opened by the dispatcher's middleware, `bot/infra/units.py`). While one is
active in the running asyncio task, `read()` and `session()` join it instead of opening
sessions of their own:

- `read()` runs in a read transaction (SQLite: a deferred BEGIN, no write lock);
  everything read in it sees one snapshot, and `uow.cache` shares what it loaded.
- `session()` (a write) ends that read transaction and starts a write transaction
  (SQLite: BEGIN IMMEDIATE, so concurrent writers queue on the busy timeout instead of
  failing); it stays open, later writes join it, until `commit()` (the end of the
  update, or before the next reply is sent) or a rollback (an error). What was read
  before the write is re-read in it when it matters (conditional UPDATEs, fresh SELECTs):
  every transaction starts with an empty identity map and an empty cache.

Outside a unit of work (the sender, scheduler jobs, the CLI, tests) `read()` and
`session()` open a session of their own for the block, exactly as before: `session()`
commits at the end of its block, and on SQLite both begin IMMEDIATE."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.backends import READ_ONLY, create_engine, is_sqlite

_READ_CACHE = "birge_read_cache"


_current: ContextVar[UnitOfWork | None] = ContextVar("birge_unit_of_work", default=None)


class UnitOfWork:
    """One session for one update: read transactions until something is written, then
    one write transaction until `commit()`. Use it through `Database.read()` and
    `Database.session()`; services need not know whether one is active."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.session: AsyncSession = db.sessionmaker()
        self.writing = False
        # What the current transaction has loaded, for others in the same update
        # (e.g. the person pressing, read once by the middlewares): emptied when a
        # transaction ends or a write begins.
        self.cache: dict[object, Any] = {}
        self._owner = asyncio.current_task()

    @property
    def belongs_here(self) -> bool:
        """Only the task that opened it uses it (a task spawned meanwhile inherits the
        context variable, not the session)."""
        return asyncio.current_task() is self._owner

    async def _for_reading(self) -> AsyncSession:
        if not self.session.in_transaction():
            await self.session.connection(execution_options={READ_ONLY: True})
            self.session.info[_READ_CACHE] = self.cache
        return self.session

    async def _for_writing(self) -> AsyncSession:
        if not self.writing:
            if self.session.in_transaction():
                await self._end(commit=True)  # a read transaction: nothing to commit
            await self.session.connection()
            self.writing = True
            self.session.info.pop(_READ_CACHE, None)  # writes read afresh
        return self.session

    async def commit(self) -> None:
        """Commit what was written (after-commit hooks run now); reads go on in a new
        transaction."""
        await self._end(commit=True)

    async def rollback(self) -> None:
        await self._end(commit=False)

    async def _end(self, *, commit: bool) -> None:
        try:
            if self.session.in_transaction():
                if commit:
                    await self.session.commit()
                else:
                    await self.session.rollback()
        finally:
            self.writing = False
            self.session.info.pop(_READ_CACHE, None)
            self.cache.clear()
            self.session.expunge_all()


def read_cache(session: AsyncSession) -> dict[object, Any] | None:
    """Where a repository may keep what it read for the rest of this read transaction
    (one snapshot, so it cannot go stale); None outside a unit of work's reads."""
    cache: dict[object, Any] | None = session.info.get(_READ_CACHE)
    return cache


def current_unit_of_work() -> UnitOfWork | None:
    """The unit of work of the running update, if any."""
    uow = _current.get()
    return uow if uow is not None and uow.belongs_here else None


class Database:
    """Owns the engine; `session()` writes, `read()` reads, `unit_of_work()` groups them."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = is_sqlite(url)
        self.engine: AsyncEngine = create_engine(url, echo=echo)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        """One unit of work for the block (and `read()`/`session()` inside it): committed
        at the end, rolled back on an error."""
        uow = UnitOfWork(self)
        token = _current.set(uow)
        try:
            try:
                yield uow
            except BaseException:
                await uow.rollback()
                raise
            await uow.commit()
        finally:
            _current.reset(token)
            await uow.session.close()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A write: in the current unit of work's write transaction (committed with it),
        else in a transaction of its own committed at the end of the block."""
        uow = current_unit_of_work()
        if uow is not None:
            session = await uow._for_writing()  # noqa: SLF001 - the unit of work's own helper
            try:
                yield session
                await session.flush()  # errors (a unique key) surface here, as at a commit
            except BaseException:
                await uow.rollback()  # the session cannot go on after a failed flush
                raise
            return
        async with self.sessionmaker() as session:
            async with session.begin():
                yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """Reads: in the current unit of work (a read transaction, no write lock), else in
        a session of their own, as before units of work (on SQLite that one still begins
        IMMEDIATE: the delivery sender relies on a read waiting for a write in progress,
        e.g. an emergency being enqueued). Write with `session()`, never here."""
        uow = current_unit_of_work()
        if uow is not None:
            yield await uow._for_reading()  # noqa: SLF001
            return
        async with self.sessionmaker() as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
