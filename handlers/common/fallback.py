"""The safety nets, included last: whatever no other router took. A stale or forged
button, text the bot did not understand, a sticker or photo: a polite answer, nothing
changes."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.volunteers.service import VolunteerService
from handlers.ui import answer_stale, sender_id


async def stale_button(query: CallbackQuery) -> None:
    # A forged button, or one from a dialog that has ended: explain, change nothing.
    await answer_stale(query)


async def unknown_text(message: Message, volunteers: VolunteerService) -> None:
    if await volunteers.is_registered(sender_id(message)):
        await message.answer(_("I did not understand that. Use the menu below or send /help."))
    else:
        await message.answer(_("Send /start to register as a volunteer, or /help to learn more."))


async def unknown_media(message: Message) -> None:
    await message.answer(_("I can only read text and button presses here. Send /help to see what I can do."))


def build_fallback_router() -> Router:
    """Included last: whatever no feature router took."""
    router = Router(name="fallback")
    router.callback_query.register(stale_button)
    router.message.register(unknown_text, F.text)
    router.message.register(unknown_media)
    return router
