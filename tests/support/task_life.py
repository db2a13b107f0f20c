"""Helpers for the task's-life tests: local times in Almaty, one lifecycle pass as the
scheduler runs it, and the messages a person got that contain a text."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from emulator import FakeTelegram, FakeUser
from emulator.state import FakeMessage
from storage.models import Reminder
from tests.support.e2e import RunningBot

ALMATY = ZoneInfo("Asia/Almaty")


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local Almaty time, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY).astimezone(timezone.utc)


async def at(bot: RunningBot, fake: FakeTelegram, moment: datetime) -> None:
    """Move the clock to `moment`, run one lifecycle pass, let the sender drain."""
    bot.clock.set(moment)
    await bot.services.lifecycle.run()
    bot.services.delivery.wake()
    await fake.wait_idle()


def got(user: FakeUser, needle: str) -> list[FakeMessage]:
    return [m for m in user.messages if needle in (m.text or "")]


async def reminder_states(bot: RunningBot) -> list[tuple[int, str, str]]:
    async with bot.services.db.sessionmaker() as session:
        rows = await session.execute(select(Reminder.signup_id, Reminder.kind, Reminder.state)
                                     .order_by(Reminder.signup_id, Reminder.kind))
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]  # rows of known columns
