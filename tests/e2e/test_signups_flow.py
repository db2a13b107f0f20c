"""The whole flow over the fake Bot API, as people would do it: a coordinator creates a
task with /newtask and sends it; the matching volunteers get the card and accept until
it is full; the next one joins the waitlist; someone cancels in /my; the waitlisted one
is offered the place and confirms. The coordinator's progress message counts who
accepted. Every request the bot made would have been accepted, every press answered."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.domain.tasks import TaskStatus
from emulator import FakeTelegram
from storage.models import Signup, Task
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer, answer_of, everything_accepted, register, wait_text
from tests.support.e2e import RunningBot

COORDINATOR = 880_001
TITLE = "Субботник в парке"


async def test_create_send_accept_until_full_waitlist_cancel_promote_confirm(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    t = Texts(bot, "ru")
    volunteers = [fake.user(880_100 + n, language_code="ru") for n in range(4)]
    for person in volunteers:
        await register(bot, person.id)
    outsider = fake.user(880_200, language_code="ru")
    await register(bot, outsider.id, region="KZ-71")  # another region: never gets the card
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75", organisation="Жасыл Ел")
    coordinator = fake.user(COORDINATOR, language_code="ru")

    # The coordinator creates the task through the dialog (Saturday 7 March, 2 places).
    await coordinator.send_text("/newtask")
    await wait_text(coordinator, t("What is the task? Type a short title ({min} to {max} characters).",
                                   min=3, max=200))
    await answer(coordinator, TITLE, t("Describe the task: what volunteers will do, what to bring, whom to ask for "
                                       "(up to {max} characters). Or press Skip.", max=2000))
    await coordinator.press(t("Skip ➡️"))
    await wait_text(coordinator, t("Which direction does the task belong to?"))
    await coordinator.press(t("Ecology"))
    await wait_text(coordinator, "📎")
    await answer(coordinator, "Парк Горького", "Asia/Almaty")
    end_question = t("When does it end? Type the time, for example {example}, or the date and time if it ends "
                     "on another day.", example="XX").split("XX")[0]
    await answer(coordinator, "07.03 10:00", end_question)
    await answer(coordinator, "13:00", t("How many volunteers are needed? Type a number from {min} to {max}.",
                                         min=1, max=500))
    await answer(coordinator, "2", t("Which skills must volunteers have? Tick any (or none), then press Done."))
    await coordinator.press(t("Done ➡️"))
    await coordinator.wait_for_message(lambda m: "✅ " + t("Confirm") in m.button_texts())
    await coordinator.press("✅ " + t("Confirm"))
    done = await wait_text(coordinator, t.n("{count} volunteer matches this task.",
                                            "{count} volunteers match this task.", 4))
    await coordinator.press("📣 " + t("Send"), message_id=done.message_id)
    progress = await wait_text(coordinator, TITLE)
    async with bot.services.db.sessionmaker() as session:
        task = await session.scalar(select(Task))
    assert task is not None and task.slots == 2

    # Everyone matching gets the card, in Russian; the outsider gets nothing.
    go = "✅ " + t("I'll go")
    cards = await asyncio.gather(*(person.wait_for_message(lambda m: go in m.button_texts())
                                   for person in volunteers))
    assert all(TITLE in card.text for card in cards)
    # Two accept at once (the places), then the third finds it full and joins the waitlist.
    first, second, third, fourth = volunteers
    presses = await asyncio.gather(first.press(go), second.press(go))
    assert [(await answer_of(fake, p))["text"] for p in presses] == [t("✅ You are signed up! See you there.")] * 2
    full = await answer_of(fake, await third.press(go))
    assert full["text"] == t("Sorry, all places are taken. You can join the waitlist.")
    wait_button = "🕒 " + t("Join the waitlist")
    await third.wait_for_message(lambda m: wait_button in m.button_texts())
    await answer_of(fake, await third.press(wait_button))
    assert (await answer_of(fake, await fourth.press("🙅 " + t("Can't"))))["text"] == t("OK, maybe next time.")
    async with bot.services.db.sessionmaker() as session:
        statuses = dict((await session.execute(select(Signup.volunteer_id, Signup.status))).all())
        task = await session.get(Task, task.id)
    assert sorted(statuses.values()) == ["going", "going", "waitlisted"]
    assert (task.taken, task.status) == (2, TaskStatus.FULL)

    # The progress message counts the accepted (edited at most every few seconds).
    clock.advance(seconds=30)
    accepted = t("Accepted so far: {accepted}", accepted=2)
    await coordinator.wait_for_message(lambda m: m.message_id == progress.message_id and accepted in (m.text or ""), after=progress.message_id - 1)

    # The first cancels in /my; the waitlisted one is offered the place and confirms.
    await first.send_text("/my")
    await first.wait_for_message(lambda m: TITLE in (m.text or "") and m.button_texts())
    await first.press("1. ❌ " + t("Cancel my sign-up"))
    await first.wait_for_message(lambda m: "✅ " + t("Yes, cancel it") in m.button_texts())
    await first.press("✅ " + t("Yes, cancel it"))
    await wait_text(first, t("Your sign-up is cancelled. Thank you for letting us know!"))
    confirm = "✅ " + t("Confirm my place")
    offer = await third.wait_for_message(lambda m: confirm in m.button_texts())
    assert TITLE in offer.text
    confirmed = await answer_of(fake, await third.press(confirm, message_id=offer.message_id))
    assert confirmed["text"] == t("✅ Confirmed: the place is yours. See you there!")
    async with bot.services.db.sessionmaker() as session:
        statuses = dict((await session.execute(select(Signup.volunteer_id, Signup.status))).all())
        task = await session.get(Task, task.id)
    assert sorted(statuses.values()) == ["cancelled", "going", "going"]
    assert (task.taken, task.status) == (2, TaskStatus.FULL)
    assert outsider.messages == []
    await everything_accepted(fake)
