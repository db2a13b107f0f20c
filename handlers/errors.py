"""Last line of defence: an unexpected error is logged and the person gets a polite answer."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)


def build_errors_router() -> Router:
    router = Router(name="errors")

    @router.errors()
    async def on_error(event: ErrorEvent) -> bool:
        log.exception("error while handling update %s", event.update.update_id, exc_info=event.exception)
        text = _("Sorry, something went wrong on our side. Please try again in a minute.")
        update = event.update
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif update.message is not None:
                await update.message.answer(text)
        except Exception:  # the apology itself failed (Telegram down?); already logged
            log.warning("could not tell the user about the error", exc_info=True)
        return True

    return router
