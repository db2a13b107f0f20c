"""Counting the SQL of one update: every statement the database driver is given
(SQLAlchemy's `before_cursor_execute`) and every transaction begun, while the bot
handles updates. Transaction control (BEGIN) is counted as a transaction, not as a
statement."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

_in_update: ContextVar[bool] = ContextVar("counting_update", default=False)


class _Marker(BaseMiddleware):
    """Outermost on the dispatcher: marks everything run for an update."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        token = _in_update.set(True)
        try:
            return await handler(event, data)
        finally:
            _in_update.reset(token)


@dataclass
class SqlCount:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0

    def reset(self) -> None:
        self.statements.clear()
        self.transactions = 0

    def __str__(self) -> str:
        return f"{self.transactions} transactions, {len(self.statements)} statements:\n" + "\n".join(
            " ".join(s.split())[:160] for s in self.statements)


def install_marker(dispatcher: Any) -> None:
    """Put the marker in front of every other outer middleware of `dispatcher.update`."""
    manager = dispatcher.update.outer_middleware
    if not any(isinstance(m, _Marker) for m in manager):
        manager._middlewares.insert(0, _Marker())  # noqa: SLF001 - test instrumentation only


@contextmanager
def count_sql(engine: AsyncEngine) -> Iterator[SqlCount]:
    """Count what updates run on `engine` (see install_marker) inside the block."""
    count = SqlCount()

    def statement(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        if not _in_update.get():
            return
        if sql.strip().upper().startswith("BEGIN"):
            return  # counted by `begin` below
        count.statements.append(sql)

    def begin(_conn: object) -> None:
        if _in_update.get():
            count.transactions += 1

    sync_engine = engine.sync_engine
    event.listen(sync_engine, "before_cursor_execute", statement)
    event.listen(sync_engine, "begin", begin)
    try:
        yield count
    finally:
        event.remove(sync_engine, "before_cursor_execute", statement)
        event.remove(sync_engine, "begin", begin)
