"""The aiogram Bot every request goes out through: HTML by default, no link previews,
an update's writes committed before its replies, and the one limiter in front."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import LinkPreviewOptions

from bot.config import Settings
from bot.infra.delivery import OutgoingLimiter
from bot.infra.units import CommitBeforeSending


def build_bot(settings: Settings, outgoing: OutgoingLimiter) -> Bot:
    """The Bot every request goes out through, paced by `outgoing` (share its gate with
    the delivery sender: `Services.outgoing`)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.bot_api_url))
    session.middleware(CommitBeforeSending())  # an update's writes commit before its replies
    session.middleware(outgoing)
    return Bot(
        token=settings.require_token(),
        session=session,
        # link_preview_options only: link_preview_is_disabled would make aiogram send the
        # deprecated disable_web_page_preview field as well.
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)),
    )
