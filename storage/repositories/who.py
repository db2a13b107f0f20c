"""Who sent an update: their chosen language and, if they have one, their volunteer
record's id and status, in one query. The middlewares (reachability, language, menu) and
the services of one update share it through the unit of work's read cache, so the
person is read once per update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
        row = (await self.session.execute(
            select(TelegramUser.locale, Volunteer.id, Volunteer.status, Volunteer.consent_at)
            .select_from(TelegramUser)
            .outerjoin(Volunteer, Volunteer.telegram_id == TelegramUser.telegram_id)
            .where(TelegramUser.telegram_id == telegram_id)
            .limit(1)
        )).first()
        if row is not None:
            who = Who(telegram_id, row[0], row[1], row[2], row[3])
        else:  # never chose a language (or an imported record): the volunteer alone
            volunteer = (await self.session.execute(
                select(Volunteer.id, Volunteer.status, Volunteer.consent_at)
                .where(Volunteer.telegram_id == telegram_id).limit(1)
            )).first()
            who = Who(telegram_id, None, *volunteer) if volunteer is not None else Who(telegram_id, None, None, None, None)
        if cache is not None:
            cache[key] = who
        return who
