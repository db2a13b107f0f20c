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
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject

from storage.db import Database, current_unit_of_work


class UnitOfWorkMiddleware(BaseMiddleware):
    """Outer middleware on `dispatcher.update`, in front of the FSM middleware."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def __call__(
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
