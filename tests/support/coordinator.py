"""Helpers for the coordinator-side task tests (/newtask, /mytasks): people, tasks,
sign-ups, and texts in the language a test user speaks (msgids not yet translated fall
back to English, so the tests hold before and after the translations are merged)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.tasks.drafts import TaskDraft
from bot.volunteers.service import Registration
from emulator import WAIT, FakeTelegram, FakeUser
from emulator.state import FakeMessage
from storage.models import AuditEntry, Signup, Task
from tests.support.e2e import RunningBot


class Texts:
    """gettext in one language, for building expected texts and pressing buttons."""

    def __init__(self, bot: RunningBot, locale: str) -> None:
        self.bot = bot
        self.locale = locale

    def __call__(self, msgid: str, **values: Any) -> str:
        text = self.bot.services.i18n.gettext(msgid, locale=self.locale)
        return text.format(**values) if values else text

    def n(self, singular: str, plural: str, count: int, **values: Any) -> str:
        text = self.bot.services.i18n.gettext(singular, plural, count, locale=self.locale)
        return text.format(count=count, **values)


async def register(bot: RunningBot, telegram_id: int, *, name: str = "Айгерим Сапарова", region: str = "KZ-75",
                   directions: tuple[str, ...] = ("ecology",), skills: tuple[str, ...] = (),
                   locale: str = "ru", birth_year: int = 1995, phone: str | None = None) -> int:
    """A registered volunteer (available any day); returns the volunteer id."""
    result = await bot.services.volunteers.register(telegram_id, Registration(
        full_name=name, phone=phone or f"+7701{telegram_id % 10_000_000:07d}", birth_year=birth_year,
        region=region, locale=locale, directions=list(directions), skills=list(skills),
        availability=["weekdays", "evenings", "weekends"], languages=[locale],
    ))
    return result.volunteer.id


async def make_task(bot: RunningBot, coordinator_id: int, *, region: str = "KZ-75", title: str = "Уборка парка",
                    slots: int = 5, starts_in: timedelta = timedelta(days=2), direction: str = "ecology") -> Task:
    now = bot.services.clock.now()
    draft = TaskDraft(region=region, title=title, description="", direction=direction, place="Парк 28 панфиловцев",
                      starts_at=now + starts_in, ends_at=now + starts_in + timedelta(hours=3), slots=slots)
    return await bot.services.tasks.create(draft, coordinator_id)


async def sign_up(bot: RunningBot, task_id: int, volunteer_id: int, status: str) -> None:
    """A sign-up row as the volunteer side writes it (a held slot counted in `taken`)."""
    now = bot.services.clock.now()
    async with bot.services.db.session() as session:
        session.add(Signup(task_id=task_id, volunteer_id=volunteer_id, status=status, created_at=now, updated_at=now,
                           offered_until=now + timedelta(hours=2) if status == "offered" else None))
        if status in ("going", "offered"):
            task = await session.get(Task, task_id)
            assert task is not None
            task.taken += 1


async def audit(bot: RunningBot, action_prefix: str) -> list[AuditEntry]:
    async with bot.services.db.sessionmaker() as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action.startswith(action_prefix))
                                     .order_by(AuditEntry.id))
        return list(rows)


async def tasks_in_db(bot: RunningBot) -> list[Task]:
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(select(Task).order_by(Task.id)))


async def answer_of(fake: FakeTelegram, query_id: str | None, timeout: float = WAIT) -> dict:
    """The bot's answerCallbackQuery params for this press."""
    assert query_id is not None
    record = fake.callback_queries[query_id]
    answer = await fake.notifier.wait_until(lambda: record.answer, timeout)
    assert answer is not None, f"callback query {query_id} ({record.data}) was not answered"
    return answer


async def everything_accepted(fake: FakeTelegram, *, tolerate_flood: bool = False) -> None:
    """No request refused and every press answered. `tolerate_flood`: a 429 is allowed
    (the bot waits it out and sends again; the caller checks that everything arrived).
    Many people at once keep the bot at the overall limit, where the few milliseconds a
    busy machine adds between the bot's limiter and the server can cost a rare 429; the
    delivery benchmark, not a test, measures how rare (README, Performance)."""
    await fake.wait_idle()
    rejected = [(call.method, call.description) for call in fake.calls
                if not call.ok and not (tolerate_flood and call.error_code == 429)]
    assert rejected == [], rejected
    assert fake.unanswered_callbacks() == []


async def wait_text(user: FakeUser, needle: str, timeout: float = WAIT) -> FakeMessage:
    """The next bot message (or edit) here containing `needle`."""
    return await user.wait_for_message(lambda m: needle in (m.text or ""), timeout=timeout)


async def answer(user: FakeUser, text: str, expect: str) -> FakeMessage:
    """Type `text`, then wait for the bot's message containing `expect`."""
    await user.send_text(text)
    return await wait_text(user, expect)
