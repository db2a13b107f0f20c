"""Call-out hours in levels and certificates, over the fake Bot API: approving a
call-out's hours (the board's button) that raises a volunteer's level congratulates them
once; /profile and a certificate count approved task and call-out hours together, and a
certificate already issued keeps its figures."""

from __future__ import annotations

from sqlalchemy import select

from bot.attendance.format import format_hours
from emulator import FakeTelegram, FakeUser
from storage.models import Volunteer
from tests.support.callouts import board_shows, card, coming, coordinator, declare, send_callout, volunteer
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.levels import certificates, level_messages, seed_hours

COORD = 950_001


async def volunteer_id(bot: RunningBot, telegram_id: int) -> int:
    async with bot.services.db.sessionmaker() as session:
        found = await session.scalar(select(Volunteer.id).where(Volunteer.telegram_id == telegram_id))
        assert found is not None
        return int(found)


async def arrive(fake: FakeTelegram, user: FakeUser, t: Texts) -> None:
    """Answer the call-out card "coming", then "I've arrived"."""
    callout_card = await card(user, t)
    await answer_of(fake, await user.press(coming(t, 15), message_id=callout_card.message_id))
    await user.wait_for_message(lambda m: "📍 " + t("I've arrived") in m.button_texts(),
                                after=callout_card.message_id - 1)
    await answer_of(fake, await user.press("📍 " + t("I've arrived"), message_id=callout_card.message_id))


async def test_approved_callout_hours_raise_the_level_once(bot: RunningBot, fake: FakeTelegram,
                                                           clock: ManualClock) -> None:
    t, tk = Texts(bot, "en"), Texts(bot, "kk")
    boss = await coordinator(bot, fake, COORD)
    user = await volunteer(bot, fake, 950_101, locale="kk")
    person = await volunteer_id(bot, 950_101)
    await seed_hours(bot, COORD, [person], tasks=2, hours=4.0)  # 8 hours, 2 tasks: a Newcomer
    await declare(bot, COORD)
    await boss.send_text("/callout 1 Sandbags at the Esentai bridge")
    await wait_text(boss, t("Preview: this is what volunteers get"))
    await boss.press("📣 " + t("Send"))
    board = await wait_text(boss, "Esentai")
    await arrive(fake, user, tk)
    clock.advance(minutes=135)  # 2.25 hours on site
    await boss.press("🏁 " + t("Close"), message_id=board.message_id)
    await boss.wait_for_message(lambda m: "🏁 " + t("Yes, close it") in m.button_texts())
    await boss.press("🏁 " + t("Yes, close it"))
    await board_shows(clock, boss, board.message_id, t("Closed"), "Volunteer 950101: 2.25 ")
    # Recorded, not approved yet: nothing counts.
    await user.send_text("/profile")
    profile = await wait_text(user, tk("Level"))
    assert f"{tk('Level')}: {tk('Newcomer')}" in profile.text and f"{tk('Tasks and call-outs')}: 2" in profile.text
    approved = await answer_of(fake, await boss.press("✅ " + t("Approve hours"), message_id=board.message_id))
    assert approved["text"] == t.n("Hours approved for {count} person.", "Hours approved for {count} people.", 1)
    # 10.25 hours, 2 tasks and a call-out: Active.
    note = await wait_text(user, tk("Congratulations! You have reached the level “{level}”.", level=tk("Active")))
    assert tk("Approved hours: {hours} · tasks and call-outs: {tasks}", hours=format_hours(10.25, "kk"),
              tasks=3) in note.text
    assert len(await level_messages(bot, person)) == 1
    # A second tap approves nothing and congratulates nobody.
    again = await answer_of(fake, await boss.press("✅ " + t("Approve hours"), message_id=board.message_id))
    assert again["text"] == t.n("Hours approved for {count} person.", "Hours approved for {count} people.", 0)
    await user.send_text("/profile")
    profile = await wait_text(user, f"{tk('Level')}: {tk('Active')}")
    assert f"{tk('Tasks and call-outs')}: 3" in profile.text
    assert f"{tk('Hours this year')}: {format_hours(10.25, 'kk')}" in profile.text
    await everything_accepted(fake)
    assert len(await level_messages(bot, person)) == 1
    assert len([m for m in user.messages if "🎉" in (m.text or "")]) == 1


async def ask_certificate(user: FakeUser, t: Texts, button: str) -> str:
    """The caption of the certificate sent for the period `button`."""
    await user.send_text("/certificate")
    await wait_text(user, t("A certificate of your volunteer hours. For which period?"))
    await user.press(button)
    sent = await user.wait_for_message(lambda m: "document" in m.content)
    return sent.caption or ""


async def test_certificate_counts_task_and_callout_hours(bot: RunningBot, fake: FakeTelegram,
                                                          clock: ManualClock) -> None:
    ru = Texts(bot, "ru")
    this_year, all_time = "📅 " + ru("This year"), "♾ " + ru("All time")
    await coordinator(bot, fake, COORD)
    user = await volunteer(bot, fake, 950_201, locale="ru")
    person = await volunteer_id(bot, 950_201)
    await seed_hours(bot, COORD, [person], tasks=2, hours=4.5)  # this year (March 2026)
    await seed_hours(bot, COORD, [person], tasks=1, hours=2.5, starts_in=clock.now().replace(year=2025) - clock.now(),
                     title="Old")  # last year
    await declare(bot, COORD)
    callout_id = await send_callout(bot, COORD, needed=1)
    await arrive(fake, user, ru)
    clock.advance(minutes=135)
    assert await bot.services.callout_life.close(callout_id, COORD) is not None
    # Closed, hours not approved: this year is the tasks' 9 hours.
    await ask_certificate(user, ru, this_year)
    [before] = await certificates(bot, person)
    assert (before.period, before.hours, before.tasks) == ("2026", 9.0, 2)
    assert await bot.services.callout_life.approve_hours(callout_id, COORD) == 1
    # Approved: a new certificate with 9 + 2.25 hours, 2 tasks and a call-out; the first keeps its figures.
    caption = await ask_certificate(user, ru, this_year)
    rows = {row.code: row for row in await certificates(bot, person)}
    assert len(rows) == 2 and (rows[before.code].hours, rows[before.code].tasks) == (9.0, 2)
    [new] = [row for code, row in rows.items() if code != before.code]
    assert (new.period, new.hours, new.tasks, new.level) == ("2026", 11.25, 3, "active")
    assert f"{ru('Hours')}: {format_hours(11.25, 'ru')}" in caption and f"{ru('Tasks and call-outs')}: 3" in caption
    await ask_certificate(user, ru, all_time)
    [everything] = [row for row in await certificates(bot, person) if row.period == "all"]
    assert (everything.hours, everything.tasks) == (13.75, 4)
    await everything_accepted(fake)
