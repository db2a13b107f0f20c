"""The emergency and a call-out from start to close, over the fake Bot API, as people
would do it: a coordinator declares an emergency and sends a call-out through the
dialog; volunteers in kk, ru and en get it (with the safety notes; a minor never does),
answer until it is filled; a later "coming" gets "already filled" and stands by; a
cancel lets the coordinator reopen, and the next wave (by the injected clock) reaches
the neighbouring region; someone arrives; the close stands everyone down and records
hours; closing the emergency tells everyone who took part."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from emulator import FakeMessage, FakeTelegram, FakeUser
from storage.models import Callout, Volunteer
from tests.support.callouts import answers, board_shows, callout_row, card, coming, coordinator, hours_rows, volunteer
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, wait_text
from tests.support.e2e import RunningBot

COORD = 910_001


async def test_declare_callout_waves_fill_standby_reopen_arrive_close(bot: RunningBot, fake: FakeTelegram,
                                                                     clock: ManualClock) -> None:
    t = Texts(bot, "en")
    tk, tr = Texts(bot, "kk"), Texts(bot, "ru")
    boss = await coordinator(bot, fake, COORD)
    first = await volunteer(bot, fake, 910_101, locale="kk")
    second = await volunteer(bot, fake, 910_102, locale="ru")
    third = await volunteer(bot, fake, 910_103, locale="en")
    minor = await volunteer(bot, fake, 910_104, locale="en", birth_year=2011)
    other = await volunteer(bot, fake, 910_105, locale="en", directions=("ecology",))  # wave 2
    neighbour = await volunteer(bot, fake, 910_106, locale="ru", region="KZ-19")  # wave 3
    far = await volunteer(bot, fake, 910_107, locale="en", region="KZ-71")  # never

    # The coordinator declares the emergency from /emergency.
    await boss.send_text("/emergency")
    await wait_text(boss, t("No emergency is active in your region."))
    await boss.press("🆘 " + t("Declare an emergency"))
    await wait_text(boss, t("Name it in a few words, for example “Flood in Kyzylorda”."))
    await boss.send_text("Flood in Almaty")
    await wait_text(boss, t("Safety notes for volunteers: curfew hours, places to avoid, what to bring. Type them, "
                            "or press Skip."))
    await boss.send_text("Keep away from the riverbank <b>now</b>")
    await boss.wait_for_message(lambda m: "🆘 " + t("Declare") in m.button_texts())
    await boss.press("🆘 " + t("Declare"))
    await wait_text(boss, t("🆘 Emergency declared: {name}.", name="Flood in Almaty"))
    await boss.wait_for_message(lambda m: "🚨 " + t("Call-out") in str(m.reply_markup))
    # Declaring asks the region's volunteers once, with one tap, whether they are safe
    # (family reconnection's check-in), in their language; other regions are not asked.
    await first.wait_for_message(lambda m: tk("✅ I am safe") in m.button_texts())
    await second.wait_for_message(lambda m: tr("✅ I am safe") in m.button_texts())
    await fake.wait_idle()
    assert not any(tr("✅ I am safe") in m.button_texts() or t("✅ I am safe") in m.button_texts()
                   for m in far.messages)

    # A volunteer of the region sees the banner on /start and the emergency action.
    await first.send_text("/start")
    banner = await wait_text(first, "Flood in Almaty")
    assert "⚠️ Keep away from the riverbank <b>now</b>" in (banner.text or "")  # escaped: shown as typed
    assert first.reply_keyboard is not None and "🆘 " + tk("Emergency") in first.reply_keyboard.button_texts()
    assert "🙋 " + tk("I'm safe") in first.reply_keyboard.button_texts()  # /safe, one tap away

    # The call-out through the dialog: template, place, how many, skills, preview, Send.
    await boss.send_text("/callout")
    await wait_text(boss, t("<b>1/4</b> What is needed? Type it, or choose:").replace("<b>", "").replace("</b>", ""))
    await boss.press(t("Filling and carrying sandbags"))
    await wait_text(boss, t("<b>2/4</b> Where? Type the address or send a location pin, or press Skip.")
                    .replace("<b>", "").replace("</b>", ""))
    await boss.send_text("Sairan dam, north gate")
    await wait_text(boss, "3/4")
    await boss.send_text("3")
    await wait_text(boss, "4/4")
    await boss.press(t("Done ➡️"))
    preview = await wait_text(boss, t("Wave 1, volunteers for emergencies in the region: {count}", count=3))
    assert t("Wave 2, the rest of the region: {count}", count=1) in (preview.text or "")
    assert t("Wave 3, neighbouring regions: {count}", count=1) in (preview.text or "")
    await boss.press("📣 " + t("Send"))
    board = await wait_text(boss, t("Invited: {invited} · delivered: {delivered}", invited=3, delivered=0)[:8])
    board_id = board.message_id

    # Wave 1 reaches the three adults with emergencies among their directions, each in
    # their language, with the safety notes; not the minor, not the others.
    cards = await asyncio.gather(card(first, tk), card(second, tr), card(third, t))
    assert "Sairan dam" in (cards[0].text or "") and "riverbank" in (cards[0].text or "")
    # The template is worded in each reader's language.
    assert [tk("Filling and carrying sandbags") in (cards[0].text or ""),
            tr("Filling and carrying sandbags") in (cards[1].text or ""),
            t("Filling and carrying sandbags") in (cards[2].text or "")] == [True] * 3
    await board_shows(clock, boss, board_id, t("Invited: {invited} · delivered: {delivered}", invited=3, delivered=3))
    # Nobody else got the call-out (the region's minor and the others had only the
    # declaration's "are you safe?" question, with its callback data ck:...).
    def callout_cards(user: FakeUser) -> list[FakeMessage]:
        return [m for m in user.messages if "'ck:" not in str(m.reply_markup)]

    assert [callout_cards(user) for user in (minor, other, neighbour, far)] == [[], [], [], []]

    # Answers: coming in 15, can't, no answer yet.
    went = await answer_of(fake, await first.press(coming(tk, 15), message_id=cards[0].message_id))
    assert went["text"] == tk("✅ Thank you! The coordinator sees that you are coming.")
    await answer_of(fake, await second.press("🙅 " + tr("Can't"), message_id=cards[1].message_id))
    await board_shows(clock, boss, board_id, t("Coming: {coming}", coming=1), t("Can't: {declined}", declined=1),
                      "Volunteer 910101")

    # Five minutes later too few are coming: wave 2 (the rest of the region) goes out.
    clock.advance(minutes=5)
    assert await bot.services.callouts.advance_due() == 1
    other_card = await card(other, t)
    await board_shows(clock, boss, board_id, t("Wave {wave} of {last}", wave=2, last=3))
    await answer_of(fake, await other.press(coming(t, 30), message_id=other_card.message_id))
    filled = await answer_of(fake, await third.press(coming(t, 60), message_id=cards[2].message_id))
    assert filled["text"] == t("✅ Thank you! The coordinator sees that you are coming.")
    await board_shows(clock, boss, board_id, t("Filled"), t("Coming: {coming}", coming=3))
    assert str((await callout_row(bot, board_callout := (await _only_callout(bot)))).status) == "filled"

    # Filled: a later "coming" is told so and may stand by; no wave goes out.
    late = await answer_of(fake, await second.press(coming(tr, 15), message_id=cards[1].message_id))
    assert late == {**late, "text": tr("Already filled — thank you. Stay on standby?"), "show_alert": True}
    await second.wait_for_message(lambda m: "🕒 " + tr("Stay on standby") in m.button_texts())
    await answer_of(fake, await second.press("🕒 " + tr("Stay on standby"), message_id=cards[1].message_id))
    await board_shows(clock, boss, board_id, t("On standby: {standby}", standby=1))
    clock.advance(minutes=30)
    assert await bot.services.callouts.advance_due() == 0
    assert callout_cards(neighbour) == []

    # Someone coming cancels: the board says so; the coordinator reopens with one tap.
    await other.wait_for_message(lambda m: "🙅 " + t("Can't come after all") in m.button_texts())
    await answer_of(fake, await other.press("🙅 " + t("Can't come after all"), message_id=other_card.message_id))
    gap = t("Someone coming cancelled: {counted} of {needed} now. Reopen to find more.", counted=2, needed=3)
    await board_shows(clock, boss, board_id, gap)
    await boss.press("🔄 " + t("Reopen"), message_id=board_id)
    await board_shows(clock, boss, board_id, t("next wave at {time} if too few are coming", time="")[:10])
    clock.advance(minutes=5)
    assert await bot.services.callouts.advance_due() == 1
    neighbour_card = await card(neighbour, tr)
    await answer_of(fake, await neighbour.press(coming(tr, 60), message_id=neighbour_card.message_id))
    await board_shows(clock, boss, board_id, t("Filled"), "Volunteer 910106")
    assert (await callout_row(bot, board_callout)).wave == 3

    # Arrival, then the close two hours later: stand-down and hours.
    await first.wait_for_message(lambda m: "📍 " + tk("I've arrived") in m.button_texts())
    arrived = await answer_of(fake, await first.press("📍 " + tk("I've arrived"), message_id=cards[0].message_id))
    assert arrived["text"] == tk("📍 Thank you! The coordinator sees that you are on site.")
    await board_shows(clock, boss, board_id, t("arrived: {arrived}", arrived=1))
    clock.advance(hours=2)
    await boss.press("🏁 " + t("Close"), message_id=board_id)
    await boss.wait_for_message(lambda m: "🏁 " + t("Yes, close it") in m.button_texts())
    await boss.press("🏁 " + t("Yes, close it"))
    await wait_text(boss, t("Call-out #{id} closed. Stand-down sent to {people}; hours recorded for {hours}.",
                            id=board_callout, people=4, hours=1))
    await wait_text(first, tk("Stand down: the call-out “{what}” is closed. Thank you for answering so quickly!",
                              what=tk("Filling and carrying sandbags")))
    await wait_text(second, tr("Stand down: the call-out “{what}” is closed. Thank you for answering so quickly!",
                               what=tr("Filling and carrying sandbags")))
    [hours] = await hours_rows(bot, board_callout)
    assert hours.hours == 2.0
    await board_shows(clock, boss, board_id, t("Closed"), "Volunteer 910101: 2 ")
    assert (await answers(bot, board_callout))[910_101] == "arrived"

    # A press after the close changes nothing.
    after = await answer_of(fake, await third.press_data(f"co:go:{board_callout}:15", cards[2].message_id))
    assert after["text"] == t("This call-out is closed. Thank you!")

    # Approving adds the hours to the volunteer's total.
    await boss.press("✅ " + t("Approve hours"), message_id=board_id)
    await board_shows(clock, boss, board_id, "2 " + t("h") + " ✅")
    async with bot.services.db.sessionmaker() as session:
        total = await session.scalar(select(Volunteer.hours).where(Volunteer.telegram_id == 910_101))
    assert total == 2.0

    # Closing the emergency tells everyone who took part.
    await boss.send_text("/emergency")
    await boss.wait_for_message(lambda m: any(text.startswith("🏁 ") for text in m.button_texts()))
    await boss.press("🏁 " + t("Close: {name}", name="Flood in Almaty"))
    await boss.wait_for_message(lambda m: "🏁 " + t("Yes, close it") in m.button_texts())
    await boss.press("🏁 " + t("Yes, close it"))
    await wait_text(boss, t("The emergency “{name}” is closed. Call-outs closed: {calls}. People told: {people}.",
                            name="Flood in Almaty", calls=0, people=4))
    await wait_text(third, t("The emergency “{name}” is over. Thank you for coming when you were needed!",
                             name="Flood in Almaty"))
    assert callout_cards(minor) == [] and callout_cards(far) == []
    assert [entry.action for entry in await audit(bot, "emergency.")] == ["emergency.declare", "emergency.close"]
    assert {entry.action for entry in await audit(bot, "callout.")} >= {
        "callout.create", "callout.wave", "callout.answer", "callout.reopen", "callout.close", "callout.hours.approve"}
    await everything_accepted(fake)


async def _only_callout(bot: RunningBot) -> int:
    async with bot.services.db.sessionmaker() as session:
        return int(await session.scalar(select(Callout.id)))

