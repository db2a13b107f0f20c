"""Many volunteers answering at once: exactly the needed number are "coming" (the rest
are told it is filled), no answer is lost, and the board, edited in place at most once
every few seconds, ends with the exact counts."""

from __future__ import annotations

import asyncio

from emulator import FakeTelegram
from tests.support.callouts import answers, board_shows, card, coming, coordinator, volunteer
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot

COORD = 930_001
PEOPLE = 30
NEEDED = 10


async def test_thirty_answers_at_once_fill_exactly_ten(bot: RunningBot, fake: FakeTelegram,
                                                      clock: ManualClock) -> None:
    t = Texts(bot, "en")
    boss = await coordinator(bot, fake, COORD)
    people = [await volunteer(bot, fake, 930_100 + n) for n in range(PEOPLE)]
    await boss.send_text(f"/callout {NEEDED} Carry sandbags to the Esentai embankment")
    await wait_text(boss, t("Preview: this is what volunteers get"))
    await boss.press("📣 " + t("Send"))
    board = await wait_text(boss, "Esentai")
    cards = await asyncio.gather(*(card(person, t) for person in people))
    presses = await asyncio.gather(*(person.press(coming(t, 30), message_id=got.message_id)
                                     for person, got in zip(people, cards, strict=True)))
    replies = [(await answer_of(fake, press))["text"] for press in presses]
    assert replies.count(t("✅ Thank you! The coordinator sees that you are coming.")) == NEEDED
    assert replies.count(t("Already filled — thank you. Stay on standby?")) == PEOPLE - NEEDED
    statuses = await answers(bot, int(board.text.split("#")[1].split(":")[0]))
    assert sorted(statuses.values()).count("coming") == NEEDED and len(statuses) == PEOPLE
    await board_shows(clock, boss, board.message_id, t("Filled"), t("Coming: {coming}", coming=NEEDED),
                      t("no answer: {waiting}", waiting=PEOPLE - NEEDED),
                      t("Invited: {invited} · delivered: {delivered}", invited=PEOPLE, delivered=PEOPLE))
    edits = [call for call in fake.calls_of("editMessageText") if call.params.get("message_id") == board.message_id]
    assert len(edits) < PEOPLE  # coalesced, not one per answer
    await everything_accepted(fake)
