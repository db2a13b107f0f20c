"""Last line of defence: an unexpected error is logged and the person gets a polite answer.

A callback query is answered at most once: if the handler already answered it (the
OutgoingLimiter remembers every answer), the apology comes as a message in the chat
instead. The apology goes through the same limiter as every other reply."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent, Message
from aiogram.utils.i18n import gettext as _

from bot.infra.delivery import OutgoingLimiter

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent, outgoing: OutgoingLimiter | None = None) -> bool:
    log.exception("error while handling update %s", event.update.update_id, exc_info=event.exception)
    text = _("Sorry, something went wrong on our side. Please try again in a minute.")
    update = event.update
    query = update.callback_query
    try:
        if query is not None:
            if outgoing is None or not outgoing.answered(query.id):
                await query.answer(text, show_alert=True)
            elif isinstance(query.message, Message):
                await query.message.answer(text)
        elif update.message is not None:
            await update.message.answer(text)
    except Exception:  # the apology itself failed (Telegram down?); already logged
        log.warning("could not tell the user about the error", exc_info=True)
    return True


def build_errors_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
