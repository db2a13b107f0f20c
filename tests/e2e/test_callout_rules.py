"""The rules of call-outs over the fake Bot API: the quick form (in Russian, with its
hints for bad input, and the region asked of someone with several), the night rule
(only "any time for emergencies" people are woken unless the coordinator widens it, and
sees how many that adds), priority over a routine broadcast already being sent, and the
refusals: a volunteer, a minor, a coordinator of another region, stale buttons; the
nearest volunteers first in the neighbouring-region wave."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot.domain.delivery import DeliveryLane
from bot.infra.delivery import OutgoingMessage
from emulator import FakeTelegram
from storage.models import Callout
from tests.support.callouts import (
    answers,
    callout_row,
    card,
    coming,
    coordinator,
    declare,
    invited_in_order,
    send_callout,
    volunteer,
)
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, wait_text
from tests.support.e2e import RunningBot

COORD = 920_001


async def test_quick_form_in_russian_with_hints_and_a_region_asked(bot: RunningBot, fake: FakeTelegram) -> None:
    tr = Texts(bot, "ru")
    boss = await coordinator(bot, fake, COORD, locale="ru")
    await bot.services.access.grant(COORD, "coordinator", region="KZ-19")  # two regions now
    helper = await volunteer(bot, fake, 920_101, locale="ru", region="KZ-19")
    await declare(bot, COORD, regions=("KZ-19",), notes="Не подходите к реке")

    for bad, hint in (("/callout 0 Мешки с песком", tr("The number of people must be from 1 to {max}.", max=1000)),
                      ("/callout 100000 Мешки с песком", tr("The number of people must be from 1 to {max}.",
                                                            max=1000)),
                      ("/callout 20", tr("Say what is needed in 3 to 500 characters.")),
                      ("/callout мешки", tr("Start with the number of people."))):
        await boss.send_text(bad)
        await wait_text(boss, hint)
    async with bot.services.db.sessionmaker() as session:
        assert (await session.scalars(select(Callout))).all() == []

    await boss.send_text("/callout 2 Мешки с песком у плотины Сайран")
    await wait_text(boss, tr("Which region?"))
    await boss.press(tr("Almaty Region"))
    preview = await wait_text(boss, tr("Preview: this is what volunteers get"))
    assert "Не подходите к реке" in (preview.text or "")
    assert tr("Wave 1, volunteers for emergencies in the region: {count}", count=1) in (preview.text or "")
    await boss.press("⏱ " + tr("Next wave after: {minutes} min", minutes=5))
    await boss.wait_for_message(
        lambda m: "⏱ " + tr("Next wave after: {minutes} min", minutes=10) in m.button_texts(), after=0)
    await boss.press("📣 " + tr("Send"))
    got = await card(helper, tr)
    assert "Мешки с песком у плотины Сайран" in (got.text or "") and "Не подходите к реке" in (got.text or "")
    async with bot.services.db.sessionmaker() as session:
        callout = await session.scalar(select(Callout))
    assert callout is not None and (callout.region, callout.needed, callout.wave_wait_minutes) == ("KZ-19", 2, 10)
    await everything_accepted(fake)


async def test_night_only_wakes_any_time_people_unless_widened(bot: RunningBot, fake: FakeTelegram,
                                                               clock: ManualClock) -> None:
    t = Texts(bot, "en")
    clock.set(datetime(2026, 3, 2, 20, 30, tzinfo=timezone.utc))  # 01:30 in Almaty
    boss = await coordinator(bot, fake, COORD)
    awake = await volunteer(bot, fake, 920_201, any_time=True)
    asleep = await volunteer(bot, fake, 920_202)

    await boss.send_text("/callout 2 Search for a missing child near Medeu")
    preview = await wait_text(boss, t("Preview: this is what volunteers get"))
    assert t("Night: only volunteers who chose “any time for emergencies” are woken. Waking everyone would add "
             "{count}.", count=1) in (preview.text or "")
    assert t("Wave 1, volunteers for emergencies in the region: {count}", count=1) in (preview.text or "")
    await boss.press("🌙 " + t("Wake everyone (+{count})", count=1))
    await boss.wait_for_message(lambda m: "🌙 " + t("Wake only “any time” people") in m.button_texts(), after=0)
    await boss.press("✖️ " + t("Cancel"))
    await wait_text(boss, t("Cancelled."))

    # Not widened: only the "any time" volunteer; widened: everyone.
    first = await send_callout(bot, COORD, needed=2)
    await card(awake, t)
    assert set(await answers(bot, first)) == {920_201}
    second = await send_callout(bot, COORD, text="Search near Medeu", needed=2, wake_at_night=True)
    await card(asleep, t)
    assert set(await answers(bot, second)) == {920_201, 920_202}
    # Sent at night, with sound: nothing held, no notification muted.
    await awake.wait_for_message(lambda m: "Search near Medeu" in (m.text or ""))
    sends = [call for call in fake.calls_of("sendMessage") if call.params["chat_id"] in (920_201, 920_202)]
    assert len(sends) == 3 and not any(call.params.get("disable_notification") for call in sends)
    await everything_accepted(fake)


async def test_callout_goes_ahead_of_a_routine_broadcast_in_progress(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "en")
    await coordinator(bot, fake, COORD)
    people = [await volunteer(bot, fake, 920_301 + n) for n in range(3)]
    routine = [OutgoingMessage(921_000 + n, f"Routine news {n}") for n in range(120)]
    for n in range(120):
        fake.user(921_000 + n)
    await bot.services.delivery.enqueue_broadcast("news", DeliveryLane.ROUTINE, COORD, routine)
    await fake.notifier.wait_until(lambda: True if len(fake.calls_of("sendMessage")) >= 10 else None, 30)
    callout_id = await send_callout(bot, COORD, needed=3)
    for person in people:
        await card(person, t)
    await fake.notifier.wait_until(
        lambda: True if sum(1 for c in fake.calls_of("sendMessage") if str(c.params["text"]).startswith("Routine"))
        == 120 else None, 60)
    texts = [str(call.params["text"]) for call in fake.calls_of("sendMessage")]
    last_card = max(i for i, text in enumerate(texts) if "Sandbags at Sairan dam" in text)
    routine_before = [text for text in texts[:last_card] if text.startswith("Routine news")]
    # The cards went out within a few messages of Send, with most of the routine ones still waiting.
    assert len(routine_before) < 60, routine_before[-1]
    assert set(await answers(bot, callout_id)) == {920_301, 920_302, 920_303}
    await everything_accepted(fake)


async def test_refusals_volunteer_minor_other_region_and_stale_buttons(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "en")
    tk = Texts(bot, "kk")
    await coordinator(bot, fake, COORD)
    adult = await volunteer(bot, fake, 920_401, locale="kk")
    minor = await volunteer(bot, fake, 920_402, birth_year=2010)
    stranger = await coordinator(bot, fake, 920_403, region="KZ-71")
    callout_id = await send_callout(bot, COORD, needed=1)
    got = await card(adult, tk)
    assert await answers(bot, callout_id) == {920_401: "invited"}

    # A volunteer cannot call out.
    await adult.send_text("/callout 5 Sandbags")
    await wait_text(adult, tk("Sorry, only coordinators can do this."))
    # A minor never receives one, and a forged answer changes nothing.
    refused = await answer_of(fake, await minor.press_data(f"co:go:{callout_id}:15", 1))
    assert refused["text"] == t("This call-out was not sent to you. Thank you for wanting to help!")
    assert minor.messages == [] or all("Sandbags" not in (m.text or "") for m in minor.messages)
    # A coordinator of another region cannot close it or send a wave.
    for action in ("close_yes", "wave", "filled"):
        denied = await answer_of(fake, await stranger.press_data(f"cob:{action}:{callout_id}:0", 1))
        assert denied["text"] == t("Sorry, only coordinators of the call-out's region can do this.")
    assert str((await callout_row(bot, callout_id)).status) == "open"
    assert len(await audit(bot, "callout.close_yes")) == 1
    # ... nor close the emergency of a region that is not theirs.
    emergency = await declare(bot, COORD)
    denied = await answer_of(fake, await stranger.press_data(f"em:close_yes:{emergency.id}", 1))
    assert denied["text"] == t("Sorry, you do not have permission to do this.")
    assert str((await bot.services.emergencies.get(emergency.id)).status) == "active"  # type: ignore[union-attr]  # the emergency exists
    # The adult answers; a second "coming" changes nothing; unknown call-outs are stale.
    await answer_of(fake, await adult.press(coming(tk, 30), message_id=got.message_id))
    assert str((await callout_row(bot, callout_id)).status) == "filled"
    ghost = await answer_of(fake, await adult.press_data("co:go:9999:15", got.message_id))
    assert ghost["text"] == tk("This call-out was not sent to you. Thank you for wanting to help!")
    forged_eta = await answer_of(fake, await adult.press_data(f"co:go:{callout_id}:7", got.message_id))
    assert forged_eta["show_alert"] is True
    assert await answers(bot, callout_id) == {920_401: "coming"}
    await everything_accepted(fake)


async def test_the_nearest_hear_first_in_the_neighbouring_regions_wave(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "en")
    await coordinator(bot, fake, COORD)
    # Nobody in Almaty itself: the call-out goes straight to wave 3, Almaty Region's people.
    # Registered farthest first, so the id (the last tie-break) would put them first.
    cities = {920_504: None, 920_503: "Текели", 920_502: "Qonaev", 920_501: "г. Каскелен"}
    people = {}
    for telegram_id, city in cities.items():
        people[telegram_id] = await volunteer(bot, fake, telegram_id, region="KZ-19")
        if city:
            await bot.services.volunteers.update(telegram_id, city=city)
    first = await send_callout(bot, COORD, needed=4, place="Алматы, ул. Сатпаева 30")
    for person in people.values():
        await card(person, t)
    # Kaskelen (~28 km) before Konaev (~70 km) before Tekeli (~170 km); no known city last.
    assert await invited_in_order(bot, first) == [920_501, 920_502, 920_503, 920_504]
    assert (await callout_row(bot, first)).wave == 3
    # A pin near Konaev turns the order round: Konaev's volunteer first.
    second = await send_callout(bot, COORD, text="Flood near Konaev", needed=4, pin=(43.85, 77.08))
    assert (await invited_in_order(bot, second))[:2] == [920_502, 920_501]
    await everything_accepted(fake)
