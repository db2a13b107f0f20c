"""What the bot remembers of anyone who writes to it: their chosen interface language.

It belongs to the chat, not to a volunteer record: /delete_me keeps it, so registering
again continues in the language the person chose."""

from __future__ import annotations

from bot.config import SUPPORTED_LOCALES
from bot.infra.clock import Clock
from storage.db import Database
from storage.repositories.users import TelegramUserRepository
from storage.repositories.who import WhoRepository


class UserService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def locale_of(self, telegram_id: int) -> str | None:
        async with self.db.read() as session:
            return (await WhoRepository(session).who(telegram_id)).locale

    async def set_locale(self, telegram_id: int, locale: str) -> None:
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale {locale!r}")
        async with self.db.session() as session:
            await TelegramUserRepository(session).set_locale(telegram_id, locale, self.clock.now())
