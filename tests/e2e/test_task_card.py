"""The volunteer side over the fake Bot API: cards delivered by the outbox, I'll go /
waitlist / Can't / Details, 50 people pressing at once on 10 places, forged and stale
presses, /tasks pages, /my with cancelling and the waitlist moving up."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.tasks.cards import TaskCardCb
from emulator import FakeTelegram, FakeUser
from emulator.state import FakeMessage
from handlers.volunteer.tasks import MySignupCb
from storage.models import Signup, TaskOffer
from tests.support.clock import ManualClock
from tests.support.coordinator import answer_of, everything_accepted
from tests.support.e2e import RunningBot
from tests.support.volunteer_tasks import SATURDAY_10, add_task, add_volunteer, signups_of, task_row

COORDINATOR = 500_001
GO = "✅ I'll go"
WAIT = "🕒 Join the waitlist"
SIGNED_UP = "✅ You are signed up! See you there."
FULL = "Sorry, all places are taken. You can join the waitlist."


def has_button(text: str):  # noqa: ANN201
    return lambda m: text in m.button_texts()


async def people(bot: RunningBot, fake: FakeTelegram, count: int, first: int, **fields: object) -> list[FakeUser]:
    users = []
    for n in range(count):
        await add_volunteer(bot.services.db, bot.clock, first + n, locale="en", **fields)
        users.append(fake.user(first + n, language_code="en"))
    return users


async def card(user: FakeUser, title: str = "Blood donation day") -> FakeMessage:
    return await user.wait_for_message(lambda m: title in (m.text or "") and GO in m.button_texts())


async def test_fifty_people_press_at_once_on_ten_places(bot: RunningBot, fake: FakeTelegram) -> None:
    fake.user(COORDINATOR, language_code="en")
    task = await add_task(bot.services.db, bot.clock, slots=10)
    users = await people(bot, fake, 50, 610_000)
    plan = await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    assert plan.queued == 50
    cards = await asyncio.gather(*(card(user) for user in users))
    assert "Places left: 10 of 10" in cards[0].text and "Red Crescent" in cards[0].text
    assert cards[0].button_texts() == [GO, "🙅 Can't", "ℹ️ Details"]

    presses = await asyncio.gather(*(user.press(GO) for user in users))
    answers = await asyncio.gather(*(answer_of(fake, press) for press in presses))
    texts = [a.get("text") for a in answers]
    assert texts.count(SIGNED_UP) == 10 and texts.count(FULL) == 40
    row = await task_row(bot.services.db, task.id)
    assert (row.taken, row.status) == (10, TaskStatus.FULL)
    # The forty see the card redrawn with "Join the waitlist" and join it.
    losers = [user for user, text in zip(users, texts, strict=True) if text == FULL]
    await asyncio.gather(*(user.wait_for_message(has_button(WAIT)) for user in losers))
    waits = await asyncio.gather(*(user.press(WAIT) for user in losers))
    await asyncio.gather(*(answer_of(fake, press) for press in waits))
    statuses = list((await signups_of(bot.services.db, task.id)).values())
    assert statuses.count(SignupStatus.GOING) == 10 and statuses.count(SignupStatus.WAITLISTED) == 40
    await everything_accepted(fake)


async def test_forged_and_stale_presses_change_nothing(bot: RunningBot, fake: FakeTelegram) -> None:
    [user] = await people(bot, fake, 1, 620_000)
    elsewhere = await add_task(bot.services.db, bot.clock, region="KZ-71", title="Astana task")
    cancelled = await add_task(bot.services.db, bot.clock, status=TaskStatus.CANCELLED)
    full = await add_task(bot.services.db, bot.clock, slots=1, taken=1, status=TaskStatus.FULL,
                          starts_at=SATURDAY_10 + timedelta(days=7))
    reply = await user.ask("/my")
    assert reply.text == "You have no upcoming sign-ups. See /tasks for tasks that match you."

    async def press(action: str, task_id: int) -> dict:
        return await answer_of(fake, await user.press_data(TaskCardCb(action=action, task_id=task_id).pack(),
                                                           reply.message_id))

    not_offered = await press("go", elsewhere.id)
    assert (not_offered["text"], not_offered.get("show_alert")) == ("Sorry, this task was not offered to you.", True)
    assert (await press("info", elsewhere.id))["text"] == "Sorry, this task was not offered to you."
    assert (await press("wait", elsewhere.id))["text"] == "Sorry, this task was not offered to you."
    assert (await press("go", cancelled.id))["text"] == "Sorry, this task is no longer open for sign-ups."
    assert (await press("go", full.id))["text"] == FULL
    assert (await press("confirm", full.id))["text"] == "You are not signed up for this task."
    assert (await press("go", 987_654))["text"] == "This button is no longer active. Send /start to see the menu."
    assert (await answer_of(fake, await user.press_data("tcard:go:abc", reply.message_id))).get("show_alert")
    stranger = fake.user(620_999, language_code="en")
    answer = await answer_of(fake, await stranger.press_data(TaskCardCb(action="go", task_id=full.id).pack(), 1))
    assert answer["text"] == "Please register first: send /start."
    async with bot.services.db.sessionmaker() as session:
        assert list(await session.scalars(select(Signup))) == []
    assert reply.text == user.messages[0].text  # the /my message was not touched
    await everything_accepted(fake)


async def test_double_tap_and_details(bot: RunningBot, fake: FakeTelegram) -> None:
    fake.user(COORDINATOR, language_code="en")
    [user] = await people(bot, fake, 1, 630_000)
    task = await add_task(bot.services.db, bot.clock, slots=3, description="Bring <your> passport & a pen.")
    await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    shown = await card(user)
    assert "Bring &lt;your&gt; passport" not in shown.text and "Bring <your> passport & a pen." in shown.text
    first, second = await asyncio.gather(user.press(GO, message_id=shown.message_id),
                                         user.press(GO, message_id=shown.message_id))
    answers = sorted([(await answer_of(fake, first))["text"], (await answer_of(fake, second))["text"]])
    assert answers == sorted([SIGNED_UP, "You are already signed up for this task. To cancel, use /my."])
    assert (await task_row(bot.services.db, task.id)).taken == 1
    redrawn = await user.wait_for_message(lambda m: "You are signed up." in (m.text or ""))
    assert redrawn.message_id == shown.message_id and redrawn.button_texts() == ["ℹ️ Details"]
    assert "Places left: 2 of 3" in redrawn.text
    await user.press("ℹ️ Details")
    details = await user.wait_for_message(lambda m: m.message_id != shown.message_id)
    assert "Bring <your> passport & a pen." in details.text and "You are signed up." in details.text
    await everything_accepted(fake)


async def test_cant_is_noted_and_removes_the_buttons(bot: RunningBot, fake: FakeTelegram) -> None:
    fake.user(COORDINATOR, language_code="en")
    [user] = await people(bot, fake, 1, 640_000)
    task = await add_task(bot.services.db, bot.clock)
    await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    shown = await card(user)
    assert (await answer_of(fake, await user.press("🙅 Can't")))["text"] == "OK, maybe next time."
    await user.wait_for_message(lambda m: m.message_id == shown.message_id and not m.buttons())
    async with bot.services.db.sessionmaker() as session:
        assert await session.scalar(select(TaskOffer.response)) == "declined"
    await everything_accepted(fake)


async def test_tasks_pages_and_signing_up_from_the_list(bot: RunningBot, fake: FakeTelegram) -> None:
    [user] = await people(bot, fake, 1, 650_000)
    for week in range(7):
        await add_task(bot.services.db, bot.clock, title=f"Task number {week + 1}",
                       starts_at=SATURDAY_10 + timedelta(days=7 * week))
    await add_task(bot.services.db, bot.clock, title="Somewhere else", region="KZ-71")
    first = await user.ask("/tasks")
    assert "Tasks for you" in first.text and "(page 1 of 2)" in first.text
    assert first.button_texts() == [f"{n}. Task number {n}" for n in range(1, 6)] + ["Next ➡️"]
    assert "Somewhere else" not in first.text
    await user.press("Next ➡️")
    second = await user.wait_for_message(lambda m: "(page 2 of 2)" in (m.text or ""))
    assert second.message_id == first.message_id  # edited in place
    assert second.button_texts() == ["6. Task number 6", "7. Task number 7", "⬅️ Previous"]
    await user.press("7. Task number 7")
    shown = await card(user, "Task number 7")
    await user.press(GO, message_id=shown.message_id)
    await user.wait_for_message(lambda m: "You are signed up." in (m.text or ""))
    await user.press("⬅️ Previous", message_id=first.message_id)
    back = await user.wait_for_message(lambda m: "(page 1 of 2)" in (m.text or ""))
    assert back.message_id == first.message_id
    # Signed up for number 7: /tasks no longer lists it.
    again = await user.ask("/tasks")
    await user.press("Next ➡️", message_id=again.message_id)
    page2 = await user.wait_for_message(lambda m: "(page 2 of 2)" in (m.text or ""))
    assert page2.button_texts() == ["6. Task number 6", "⬅️ Previous"]
    # The menu buttons lead to the same screens.
    empty = fake.user(650_001, language_code="en")
    await add_volunteer(bot.services.db, bot.clock, 650_001, locale="en", region="KZ-79")
    await empty.send_text("/start")
    await empty.wait_for_message(has_button("🗂 Tasks for me"))
    await empty.press("🗂 Tasks for me")
    assert "No open tasks match you right now" in (await empty.wait_for_message()).text
    await everything_accepted(fake)


async def test_my_cancel_promotes_the_waitlist_who_confirms(bot: RunningBot, fake: FakeTelegram,
                                                           clock: ManualClock) -> None:
    going, waiting = await people(bot, fake, 2, 660_000)
    task = await add_task(bot.services.db, bot.clock, slots=1)
    assert (await bot.services.signups.go(task.id, going.id)).outcome == "going"
    assert (await bot.services.signups.join_waitlist(task.id, waiting.id)).outcome == "waitlisted"

    mine = await going.ask("/my")
    assert "My sign-ups" in mine.text and "Blood donation day" in mine.text and "signed up" in mine.text
    await going.press("1. ❌ Cancel my sign-up")
    question = await going.wait_for_message(has_button("✅ Yes, cancel it"))
    assert "Blood donation day" in question.text
    await going.press("✅ Yes, cancel it")
    await going.wait_for_message(lambda m: "Your sign-up is cancelled" in (m.text or ""))
    stale = await answer_of(fake, await going.press_data(MySignupCb(action="yes", task_id=task.id).pack(),
                                                         question.message_id))  # the same button again
    assert stale["text"] == "You are not signed up for this task."

    offer = await waiting.wait_for_message(has_button("✅ Confirm my place"))
    assert "A place has opened up for you!" in offer.text and "13:00" in offer.text  # 11:00 + 120 min
    assert "join the waitlist" not in offer.text
    waiting_my = await waiting.ask("/my")
    assert "a place is held for you until" in waiting_my.text
    assert (await answer_of(fake, await waiting.press("✅ Confirm my place", message_id=offer.message_id)))["text"] \
        == "✅ Confirmed: the place is yours. See you there!"
    assert await signups_of(bot.services.db, task.id) == {1: "cancelled", 2: "going"}
    row = await task_row(bot.services.db, task.id)
    assert (row.taken, row.status) == (1, TaskStatus.FULL)
    await everything_accepted(fake)


async def test_unconfirmed_promotion_passes_on_by_the_job(bot: RunningBot, fake: FakeTelegram,
                                                          clock: ManualClock) -> None:
    going, slow, next_one = await people(bot, fake, 3, 670_000)
    task = await add_task(bot.services.db, bot.clock, slots=1)
    await bot.services.signups.go(task.id, going.id)
    await bot.services.signups.join_waitlist(task.id, slow.id)
    clock.advance(seconds=1)
    await bot.services.signups.join_waitlist(task.id, next_one.id)
    await bot.services.signups.cancel(task.id, going.id)
    offer = await slow.wait_for_message(has_button("✅ Confirm my place"))
    clock.advance(minutes=121)
    assert await bot.services.signups.expire_due() == 1
    await next_one.wait_for_message(has_button("✅ Confirm my place"))
    late = await answer_of(fake, await slow.press("✅ Confirm my place", message_id=offer.message_id))
    assert late["text"] == "Sorry, the time to confirm has passed and the place went to the next person."
    assert await signups_of(bot.services.db, task.id) == {1: "cancelled", 2: "expired", 3: "offered"}
    assert bot.services.scheduler.running
    await everything_accepted(fake)


async def test_cards_broadcast_at_night_arrive_at_eight(bot: RunningBot, fake: FakeTelegram,
                                                        clock: ManualClock) -> None:
    fake.user(COORDINATOR, language_code="en")
    [user] = await people(bot, fake, 1, 680_000)
    clock.set(clock.now().replace(hour=18))  # 23:00 in Almaty
    task = await add_task(bot.services.db, bot.clock)
    plan = await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    assert plan.held and plan.queued == 1
    bot.services.delivery.wake()  # the sender looks at the queue now: nothing is due
    coordinator = fake.user(COORDINATOR)
    # The coordinator's progress says when the cards go out, and counts the time from then.
    progress = await coordinator.wait_for_message(lambda m: "Sending starts at" in (m.text or ""))
    assert "⏸ Sending starts at 03.03.2026, 08:00 and takes about 1 second." in progress.text
    assert "Time left" not in progress.text and "Remaining: 1" in progress.text
    await fake.wait_idle()
    assert user.messages == []
    clock.set(plan.send_at)  # 08:00 local
    shown = await card(user)
    assert "Places left: 5 of 5" in shown.text
    clock.advance(seconds=3)
    bot.services.delivery.wake()
    done = await coordinator.wait_for_message(lambda m: "Sending finished" in (m.text or ""))
    assert done.message_id == progress.message_id and "Sent: 1 of 1" in done.text
    await everything_accepted(fake)
