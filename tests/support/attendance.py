"""Helpers for the check-in and attendance tests: a coordinator with a task and people
signed up, the QR code's link as the coordinator gets it, and the attendance rows."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from emulator import FakeTelegram, FakeUser
from storage.models import Attendance, Task, Volunteer
from tests.support.coordinator import make_task, register, sign_up, wait_text
from tests.support.e2e import RunningBot

COORDINATOR = 860_001
LINK = re.compile(r"https://t\.me/(\w+)\?start=(ci_[\w-]+)")


async def task_with_people(bot: RunningBot, fake: FakeTelegram, locales: list[str], *,
                           starts_in: timedelta = timedelta(minutes=30), first_id: int = 861_000,
                           title: str = "Уборка парка") -> tuple[FakeUser, Task, list[tuple[FakeUser, int]]]:
    """A coordinator of Almaty, a 3-hour task, and one volunteer going per locale. Everyone
    has a chat with the bot first: the scheduler's jobs (the morning digest) may write to
    them at any moment."""
    coordinator = fake.user(COORDINATOR, language_code="ru")
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    await bot.services.users.set_locale(COORDINATOR, "ru")  # notices outside a chat go in the chosen language
    task = await make_task(bot, COORDINATOR, title=title, starts_in=starts_in, slots=10)
    people = []
    for offset, locale in enumerate(locales):
        telegram_id = first_id + offset
        user = fake.user(telegram_id, language_code=locale)
        volunteer_id = await register(bot, telegram_id, name=f"Ерікті {offset} Тестов", locale=locale)
        await sign_up(bot, task.id, volunteer_id, "going")
        people.append((user, volunteer_id))
    return coordinator, task, people


async def qr_link(coordinator: FakeUser, texts_ru, title: str) -> str:  # noqa: ANN001 - tests.support.coordinator.Texts
    """Open the task in /mytasks, press the QR button; the deep link from the photo's caption."""
    await coordinator.send_text("/mytasks")
    await wait_text(coordinator, texts_ru("My tasks"))
    await coordinator.press("1. " + title)
    await coordinator.wait_for_message(lambda m: "📷 " + texts_ru("Check-in QR") in m.button_texts())
    await coordinator.press("📷 " + texts_ru("Check-in QR"))
    photo = await coordinator.wait_for_message(lambda m: "photo" in m.content)
    found = LINK.search(photo.caption or "")
    assert found is not None, photo.caption
    assert found.group(1) == "birge_test_bot"
    return found.group(2)


async def rows(bot: RunningBot, task_id: int) -> dict[int, Attendance]:
    async with bot.services.db.sessionmaker() as session:
        found = await session.scalars(select(Attendance).where(Attendance.task_id == task_id))
        return {row.volunteer_id: row for row in found}


async def volunteer_row(bot: RunningBot, volunteer_id: int) -> Volunteer:
    async with bot.services.db.sessionmaker() as session:
        found = await session.get(Volunteer, volunteer_id)
        assert found is not None
        return found
