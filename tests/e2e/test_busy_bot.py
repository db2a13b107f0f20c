"""The bot under load, against a fake Bot API that enforces Telegram's flood limits (30
messages a second overall, about one a second per chat): 50 people pressing "I'll go" at
once on 10 places all see their card's true final state; people writing /start and
/help during a broadcast that takes the whole overall limit all get their replies.

Direct replies and the delivery queue share one limiter (bot/infra/delivery/outgoing.py);
these tests check that neither loses anything to the other."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.domain.delivery import DeliveryLane
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.infra.delivery import OutgoingMessage
from emulator import FakeTelegram, FakeUser
from emulator.state import FakeMessage
from tests.support.coordinator import answer_of, everything_accepted
from tests.support.e2e import RunningBot
from tests.support.volunteer_tasks import COORDINATOR, add_task, add_volunteer, signups_of, task_row

PATIENCE = 60.0
GO = "✅ I'll go"
WAIT = "🕒 Join the waitlist"
SIGNED_UP = "✅ You are signed up! See you there."
FULL = "Sorry, all places are taken. You can join the waitlist."


def assert_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    bad = [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], bad


async def test_fifty_presses_on_ten_places_leave_every_card_true(
    paced_bot: RunningBot, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    bot = paced_bot
    fake.user(COORDINATOR, language_code="en")
    task = await add_task(bot.services.db, bot.clock, slots=10)
    users: list[FakeUser] = []
    for n in range(50):
        await add_volunteer(bot.services.db, bot.clock, 710_000 + n, locale="en")
        users.append(fake.user(710_000 + n, language_code="en"))
    await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    cards: list[FakeMessage] = await asyncio.gather(*(
        user.wait_for_message(lambda m: GO in m.button_texts(), timeout=PATIENCE) for user in users))

    presses = await asyncio.gather(*(user.press(GO, message_id=card.message_id) for user, card in zip(users, cards, strict=True)))
    answers = await asyncio.gather(*(answer_of(fake, press, timeout=PATIENCE) for press in presses))
    texts = [answer.get("text") for answer in answers]
    assert texts.count(SIGNED_UP) == 10 and texts.count(FULL) == 40

    def signed_up(card_id: int):  # noqa: ANN202
        return lambda m: m.message_id == card_id and "You are signed up." in (m.text or "") \
            and m.button_texts() == ["ℹ️ Details"]

    def full(card_id: int):  # noqa: ANN202
        return lambda m: m.message_id == card_id and WAIT in m.button_texts() and GO not in m.button_texts()

    await asyncio.gather(*(
        user.wait_for_message(signed_up(card.message_id) if text == SIGNED_UP else full(card.message_id),
                              timeout=PATIENCE)
        for user, card, text in zip(users, cards, texts, strict=True)))
    await fake.wait_idle(timeout=PATIENCE)
    # Every card shows its true final state now (not just at some moment): 10 going, 40 full.
    final = [fake.chat_state(user.id).messages[card.message_id] for user, card in zip(users, cards, strict=True)]
    going = [m for m in final if "You are signed up." in (m.text or "") and m.button_texts() == ["ℹ️ Details"]]
    waitlist = [m for m in final if WAIT in m.button_texts() and "You are signed up." not in (m.text or "")]
    assert (len(going), len(waitlist)) == (10, 40)
    statuses = list((await signups_of(bot.services.db, task.id)).values())
    assert statuses.count(SignupStatus.GOING) == 10
    row = await task_row(bot.services.db, task.id)
    assert (row.taken, row.status) == (10, TaskStatus.FULL)
    # Each press answered exactly once (a second answer would have been refused).
    assert len(fake.calls_of("answerCallbackQuery")) == 50
    await everything_accepted(fake, tolerate_flood=True)
    assert_no_errors(caplog)


async def test_replies_during_a_broadcast_at_the_full_rate_all_arrive(
    paced_bot: RunningBot, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    bot = paced_bot
    cards = 400  # about 14 s at 30 a second: far longer than the replies take
    recipients = [fake.user(720_000 + n, language_code="en").id for n in range(cards)]
    people = [fake.user(730_000 + n, language_code="en") for n in range(20)]
    broadcast = await bot.services.delivery.enqueue_broadcast(
        "bench", DeliveryLane.ROUTINE, None, [OutgoingMessage(chat, f"<b>Card</b> {chat}") for chat in recipients])
    # Let the broadcast take the whole overall limit first.
    started = await fake.notifier.wait_until(lambda: True if sum(fake.stats.sent.values()) >= 30 else None, PATIENCE)
    assert started

    async def talk(person: FakeUser) -> list[FakeMessage]:
        replies = []
        for command, arrived in (("/start", lambda m: "Қазақша" in m.button_texts()),
                                 ("/help", lambda m: "/start" in (m.text or "")),
                                 ("/start", lambda m: "Қазақша" in m.button_texts())):
            await asyncio.sleep(0.3)  # the person's pace
            await person.send_text(command)
            replies.append(await person.wait_for_message(arrived, timeout=PATIENCE))
        return replies

    conversations = await asyncio.gather(*(talk(person) for person in people))
    assert all(len(replies) == 3 for replies in conversations)
    # The replies did not wait for the broadcast to end: it was still taking the limit.
    assert (await bot.services.delivery.counts(broadcast)).remaining > 0
    assert bot.services.delivery.sender is not None
    await bot.services.delivery.sender.wait_drained(timeout=PATIENCE)
    assert all(fake.stats.sent[chat] == 1 for chat in recipients)  # every card, once
    assert all(fake.stats.sent[person.id] == 3 for person in people)  # every reply, once
    await fake.wait_idle(timeout=PATIENCE)
    assert_no_errors(caplog)
