"""Reachable again: a volunteer the sender marked unreachable (they had blocked the bot,
or Telegram said "chat not found") becomes active again as soon as they write to the bot,
press a button, or unblock it. Blocking the bot (my_chat_member "kicked") marks them
unreachable at once, before any broadcast has to find out the hard way."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User

from bot.volunteers.service import VolunteerService

log = logging.getLogger(__name__)


class ReachabilityMiddleware(BaseMiddleware):
    """Outer middleware on `dispatcher.update` (after aiogram's user context)."""

    def __init__(self, volunteers: VolunteerService) -> None:
        self.volunteers = volunteers

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if isinstance(event, Update) and user is not None and not user.is_bot:
            try:
                await self._update_reachability(event, user.id)
            except Exception:  # noqa: BLE001 - never lose an update over this
                log.exception("reachability of %s not updated", user.id)
        return await handler(event, data)

    async def _update_reachability(self, update: Update, telegram_id: int) -> None:
        member = update.my_chat_member
        if member is not None:
            if member.chat.type != "private":
                return
            status = member.new_chat_member.status
            if status == "kicked":
                await self.volunteers.mark_unreachable(telegram_id=telegram_id)
            elif status == "member":
                await self.volunteers.mark_reachable(telegram_id)
            return
        if update.message is not None or update.callback_query is not None:
            chat = update.message.chat if update.message is not None else None
            if chat is None or chat.type == "private":
                await self.volunteers.mark_reachable(telegram_id)
