"""Volunteer levels over the fake Bot API: /profile shows the level and what is left to
the next one; approving hours that raise the level sends one congratulation in the
person's language (kk, ru, en); hours corrected down lower it silently, and back up
again never congratulate twice."""

from __future__ import annotations

from datetime import timedelta

from emulator import FakeTelegram
from tests.support.attendance import COORDINATOR, task_with_people
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.levels import level_messages, seed_hours

LOCALES = ["kk", "ru", "en"]


def level_line(t: Texts, level: str) -> str:
    return f"{t('Level')}: {t(level)}"


async def test_level_in_profile_and_one_congratulation_per_level(bot: RunningBot, fake: FakeTelegram,
                                                                 clock: ManualClock) -> None:
    _coordinator, task, people = await task_with_people(bot, fake, LOCALES, starts_in=timedelta(hours=1))
    await seed_hours(bot, COORDINATOR, [volunteer_id for _user, volunteer_id in people], tasks=2, hours=4.0)
    kk = Texts(bot, "kk")
    first, first_id = people[0]
    # 8 hours and 2 tasks: a Newcomer, 2 hours and 1 task short of Active.
    await first.send_text("/profile")
    card = await wait_text(first, kk("Level"))
    assert level_line(kk, "Newcomer") in card.text
    left = kk("{hours} h more", hours="2") + ", " + kk.n("{count} more task", "{count} more tasks", 1)
    assert kk("Next level “{level}”: {left}", level=kk("Active"), left=left) in card.text
    # Everyone checks in; at the end 3 hours each, approved in one tap: 11 hours, 3 tasks.
    clock.set(task.starts_at)
    code = await bot.services.checkins.code_for(task.id)
    for user, _volunteer_id in people:
        assert (await bot.services.checkins.open_code(code, user.id)).outcome == "checked_in"
    clock.set(task.ends_at + timedelta(seconds=1))
    assert await bot.services.hours.close_due() == 1
    assert await bot.services.hours.approve_all(task, COORDINATOR) == 3
    for (user, volunteer_id), locale in zip(people, LOCALES, strict=True):
        t = Texts(bot, locale)
        note = await wait_text(user, t("Congratulations! You have reached the level “{level}”.", level=t("Active")))
        assert t("Approved hours: {hours} · tasks and call-outs: {tasks}", hours="11", tasks=3) in note.text
        assert "/certificate" in note.text
        assert len(await level_messages(bot, volunteer_id)) == 1
    # Corrected down to 1 hour (9 in all): back to Newcomer, without a message.
    assert await bot.services.hours.correct(task, first_id, 1.0, COORDINATOR) == "done"
    await first.send_text("/profile")
    card = await wait_text(first, level_line(kk, "Newcomer"))
    # Up again: Active, and no second congratulation.
    assert await bot.services.hours.correct(task, first_id, 3.0, COORDINATOR) == "done"
    await first.send_text("/profile")
    card = await wait_text(first, level_line(kk, "Active"))
    left = kk("{hours} h more", hours="39") + ", " + kk.n("{count} more task", "{count} more tasks", 7)
    assert kk("Next level “{level}”: {left}", level=kk("Experienced"), left=left) in card.text
    assert len(await level_messages(bot, first_id)) == 1
    await everything_accepted(fake)
    congratulations = [m for m in first.messages if "🎉" in (m.text or "")]
    assert len(congratulations) == 1


async def test_the_top_level_and_a_volunteer_without_hours(bot: RunningBot, fake: FakeTelegram) -> None:
    _coordinator, _task, people = await task_with_people(bot, fake, ["en", "ru"], starts_in=timedelta(days=2))
    (mentor, mentor_id), (newcomer, _newcomer_id) = people
    await seed_hours(bot, COORDINATOR, [mentor_id], tasks=30, hours=5.0)
    en, ru = Texts(bot, "en"), Texts(bot, "ru")
    await mentor.send_text("/profile")
    card = await wait_text(mentor, level_line(en, "Mentor"))
    assert en("This is the highest level.") in card.text and f"{en('Tasks and call-outs')}: 30" in card.text
    await newcomer.send_text("/profile")
    card = await wait_text(newcomer, level_line(ru, "Newcomer"))
    left = ru("{hours} h more", hours="10") + ", " + ru.n("{count} more task", "{count} more tasks", 3)
    assert ru("Next level “{level}”: {left}", level=ru("Active"), left=left) in card.text
    assert await level_messages(bot, mentor_id) == []  # seeded, not approved here: nothing sent
    await everything_accepted(fake)
