"""The persistent reply keyboard's buttons: a press arrives as a plain text message with
the button's text, which this outer middleware turns into the button's command
("🗂 Tasks for me" -> /tasks), so a press does exactly what the command does, with the
same rights checks and audit.

Texts are recognised in any of the three languages (bot.access.commands.action_for_text). Inside
a dialog only the exact button text counts (a typed "My tasks" may be a task's title),
and it leaves the dialog as /cancel does — nothing half-entered is kept, the person is
told so — and then acts. Outside a dialog the label typed without its icon works too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, MessageEntity, TelegramObject
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.access.commands import action_for_text


class MainMenuButtons(BaseMiddleware):
    """Outer middleware on messages; needs the FSM context and the locale set before it."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Message) or not event.text or event.text.startswith("/") or event.chat.type != "private":
            return await handler(event, data)
        in_dialog = data.get("raw_state") is not None
        action = action_for_text(self.i18n, event.text, bare_allowed=not in_dialog)
        if action is None:
            return await handler(event, data)
        if in_dialog:
            state: FSMContext = data["state"]
            await state.clear()
            data["raw_state"] = None
            await event.answer(_("Cancelled."))
        command = "/" + action.command
        as_command = event.model_copy(
            update={
                "text": command,
                "entities": [MessageEntity(type="bot_command", offset=0, length=len(command))],
            }
        )
        return await handler(as_command, data)
