"""The coordinator's board buttons and what coordinators and volunteers see around a
call-out: a second /callout lists the open one; "Next wave now", "Stop waves", "Message
everyone coming", "Mark filled", and after the close "Edit hours" and "Approve hours";
a volunteer's /emergency shows the safety notes and no coordinator buttons."""

from __future__ import annotations

from emulator import FakeTelegram
from tests.support.callouts import (
    answers,
    board_shows,
    callout_row,
    card,
    coming,
    coordinator,
    declare,
    hours_rows,
    volunteer,
)
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot

COORD = 940_001


async def test_board_buttons_next_wave_stop_message_filled_hours(bot: RunningBot, fake: FakeTelegram,
                                                                  clock: ManualClock) -> None:
    t = Texts(bot, "en")
    tk = Texts(bot, "kk")
    boss = await coordinator(bot, fake, COORD)
    colleague = await coordinator(bot, fake, 940_002, locale="kk")
    first = await volunteer(bot, fake, 940_101)
    second = await volunteer(bot, fake, 940_102, locale="kk", directions=("health",))  # wave 2
    await declare(bot, COORD, notes="Bring gloves")

    # A volunteer's /emergency: the emergency and its notes, nothing to declare or close.
    await first.send_text("/emergency")
    info = await wait_text(first, "Flood in Almaty")
    assert "Bring gloves" in (info.text or "") and info.button_texts() == []

    await boss.send_text("/callout 3 Sandbags at the Esentai bridge")
    await wait_text(boss, t("Preview: this is what volunteers get"))
    await boss.press("📣 " + t("Send"))
    board = await wait_text(boss, "Esentai")
    callout_id = int((board.text or "").split("#")[1].split(":")[0])
    first_card = await card(first, t)

    # A colleague of the same region sees it before writing another one.
    await colleague.send_text("/callout")
    listed = await wait_text(colleague, tk("Already active in your regions:"))
    assert f"#{callout_id} Sandbags at the Esentai bridge" in (listed.text or "")
    await colleague.send_text("/cancel")

    # Next wave now: the rest of the region gets it at once.
    await boss.press("➡️ " + t("Next wave now"), message_id=board.message_id)
    second_card = await card(second, tk)
    await board_shows(clock, boss, board.message_id, t("Wave {wave} of {last}", wave=2, last=3))
    # Stop waves: nothing more goes out by itself.
    await boss.press("⏹ " + t("Stop waves"), message_id=board.message_id)
    await board_shows(clock, boss, board.message_id, t("waves stopped"))
    clock.advance(minutes=30)
    assert await bot.services.callouts.advance_due() == 0
    assert (await callout_row(bot, callout_id)).wave == 2

    # Message everyone coming: only those coming get it.
    await answer_of(fake, await first.press(coming(t, 15), message_id=first_card.message_id))
    await answer_of(fake, await second.press("🙅 " + tk("Can't"), message_id=second_card.message_id))
    await board_shows(clock, boss, board.message_id, t("Coming: {coming}", coming=1))
    await boss.press("✉️ " + t("Message everyone coming"), message_id=board.message_id)
    await wait_text(boss, t("Type the message for everyone coming (up to {max} characters).", max=1000))
    await boss.send_text("Meet at gate 2 <now>")
    await wait_text(boss, t.n("Sent to {count} person.", "Sent to {count} people.", 1))
    note = await wait_text(first, "Meet at gate 2 <now>")
    assert t("Message from the coordinator of the call-out “{what}”:", what="Sandbags at the Esentai bridge") \
        in (note.text or "")
    assert all("gate 2" not in (m.text or "") for m in second.messages)

    # Mark filled: a later "coming" is told so.
    await boss.press("✅ " + t("Mark filled"), message_id=board.message_id)
    await board_shows(clock, boss, board.message_id, t("Filled"))
    late = await answer_of(fake, await second.press(coming(tk, 30), message_id=second_card.message_id))
    assert late["text"] == tk("Already filled — thank you. Stay on standby?")

    # Arrival, close, then the hours edited and approved.
    await first.wait_for_message(lambda m: "📍 " + t("I've arrived") in m.button_texts(),
                                 after=first_card.message_id - 1)
    await answer_of(fake, await first.press("📍 " + t("I've arrived"), message_id=first_card.message_id))
    clock.advance(minutes=50)
    await boss.press("🏁 " + t("Close"), message_id=board.message_id)
    await boss.wait_for_message(lambda m: "🏁 " + t("Yes, close it") in m.button_texts())
    await boss.press("🏁 " + t("Yes, close it"))
    await board_shows(clock, boss, board.message_id, t("Closed"), "Volunteer 940101: 0.75 ")
    await boss.press("✏️ " + t("Edit hours"), message_id=board.message_id)
    await boss.wait_for_message(lambda m: any(text.startswith("✏️ Volunteer 940101") for text in m.button_texts()))
    await boss.press("✏️ Volunteer 940101: 0.75")
    await wait_text(boss, t("Type the hours, for example 2.5."))
    await boss.send_text("99")
    await wait_text(boss, t("Please type a number of hours from 0 to {max}, for example 2.5.", max=24))
    await boss.send_text("1,5")
    await wait_text(boss, t("Hours changed to {hours}.", hours="1.5"))
    await board_shows(clock, boss, board.message_id, "Volunteer 940101: 1.5 ")
    approved = await answer_of(fake, await boss.press("✅ " + t("Approve hours"), message_id=board.message_id))
    assert approved["text"] == t.n("Hours approved for {count} person.", "Hours approved for {count} people.", 1)
    [row] = await hours_rows(bot, callout_id)
    assert row.hours == 1.5 and row.approved_at is not None
    assert await answers(bot, callout_id) == {940_101: "arrived", 940_102: "declined"}
    await everything_accepted(fake)
