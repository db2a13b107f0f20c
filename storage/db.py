"""Engine and sessions. What differs between SQLite and PostgreSQL (pragmas, BEGIN
IMMEDIATE, connection options) is in storage/backends.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.backends import create_engine, is_sqlite


class Database:
    """Owns the engine; `session()` is one unit of work (commit on success)."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = is_sqlite(url)
        self.engine: AsyncEngine = create_engine(url, echo=echo)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            async with session.begin():
                yield session

    async def close(self) -> None:
        await self.engine.dispose()
