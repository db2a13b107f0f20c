"""Telegram users: the interface language chosen by anyone who talked to the bot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TelegramUser


class TelegramUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, telegram_id: int) -> TelegramUser | None:
        return await self.session.get(TelegramUser, telegram_id)

    async def get_locale(self, telegram_id: int) -> str | None:
        return await self.session.scalar(
            select(TelegramUser.locale).where(TelegramUser.telegram_id == telegram_id)
        )

    async def set_locale(self, telegram_id: int, locale: str, now: datetime) -> None:
        user = await self.get(telegram_id)
        if user is None:
            self.session.add(TelegramUser(telegram_id=telegram_id, locale=locale, created_at=now, last_seen_at=now))
        else:
            user.locale = locale
            user.last_seen_at = now
