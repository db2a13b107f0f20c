"""One unit of work per update (storage/db.py): the dispatcher's middleware opens it
before anything reads (even the dialog state), hands it to the handler as `uow`, commits
it when the update is handled and rolls it back on an error. `CommitBeforeSending` (a
middleware of the bot's requests) commits what the update has written before any request
goes out, so a reply never announces what could still roll back ("You are signed up" is
sent after the sign-up is committed) and the delivery queue's after-commit hooks (waking
the sender) run before the person sees the answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject

from storage.db import Database, current_unit_of_work


class UnitOfWorkMiddleware(BaseMiddleware):
    """Outer middleware on `dispatcher.update`, in front of the FSM middleware.

    It also holds the per-chat lock (`isolation`, keyed by `key_of`: the chat's FSM key)
    around the whole unit of work, commit included: the next update of the same chat
    starts only once this one's writes are committed, so it never reads the dialog state
    as it was before them. (The FSM middleware's own lock would be released before the
    commit; give the dispatcher none.)"""

    def __init__(self, db: Database, isolation: BaseEventIsolation | None = None,
                 key_of: Callable[[dict[str, Any]], StorageKey | None] | None = None) -> None:
        self.db = db
        self.isolation = isolation
        self.key_of = key_of

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        key = self.key_of(data) if self.key_of is not None else None
        if key is None or self.isolation is None:
            return await self._in_unit_of_work(handler, event, data)
        async with self.isolation.lock(key):
            return await self._in_unit_of_work(handler, event, data)

    async def _in_unit_of_work(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self.db.unit_of_work() as uow:
            data["uow"] = uow
            return await handler(event, data)


class CommitBeforeSending(BaseRequestMiddleware):
    """Commits the running update's writes before any Bot API request is made."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        uow = current_unit_of_work()
        if uow is not None and uow.writing:
            await uow.commit()
        return await make_request(bot, method)
