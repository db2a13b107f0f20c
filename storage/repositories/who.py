"""Who sent an update: their chosen language and, if they have one, their volunteer
record's id and status, in one query. The middlewares (reachability, language, menu) and
the services of one update share it through the unit of work's read cache, so the
person is read once per update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.volunteers import VolunteerStatus
from storage.db import read_cache
from storage.models import TelegramUser, Volunteer


@dataclass(frozen=True, slots=True)
class Who:
    telegram_id: int
    locale: str | None  # the interface language the person chose, if any
    volunteer_id: int | None
    status: VolunteerStatus | None
    consent_at: datetime | None
    region: str | None = None  # where they volunteer

    @property
    def registered(self) -> bool:
        """Has given consent through the bot and not deleted their data (Volunteer.is_registered)."""
        return self.volunteer_id is not None and self.consent_at is not None and self.status != VolunteerStatus.DELETED


class WhoRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def who(self, telegram_id: int) -> Who:
        cache = read_cache(self.session)
        key = ("who", telegram_id)
        if cache is not None and key in cache:
            found: Who = cache[key]
            return found
        # One statement whether or not the person chose a language or has a volunteer record.
        def volunteer(column: Any) -> Any:
            return select(column).where(Volunteer.telegram_id == telegram_id).limit(1).scalar_subquery()

        row = (await self.session.execute(select(
            select(TelegramUser.locale).where(TelegramUser.telegram_id == telegram_id).scalar_subquery(),
            volunteer(Volunteer.id), volunteer(Volunteer.status), volunteer(Volunteer.consent_at),
            volunteer(Volunteer.region),
        ))).one()
        who = Who(telegram_id, row[0], row[1], VolunteerStatus(row[2]) if row[2] is not None else None, row[3],
                  row[4])
        if cache is not None:
            cache[key] = who
        return who
