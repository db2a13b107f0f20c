"""What coordinators see of family reconnection: the "needs help" alert, /reconnection
(counts, the cases that need help, the last check-in round per region), never a phone;
and the one-tap "are you safe?" check-in."""

from __future__ import annotations

from bot.reconnection.requests import NewRequest
from emulator import FakeTelegram
from tests.support.coordinator import Texts, everything_accepted, register, wait_text
from tests.support.e2e import RunningBot
from tests.support.reconnection import caller, chats_showing

COORDINATOR = 690_001
PHONE = "+77015558888"


async def test_needs_help_alerts_the_region_and_the_overview_shows_counts_and_check_ins(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    coordinator = fake.user(COORDINATOR, language_code="ru")
    await bot.services.users.set_locale(COORDINATOR, "ru")
    elsewhere = 690_002
    await bot.services.access.grant(elsewhere, "coordinator", region="KZ-71")
    requester = fake.user(690_500, language_code="en")
    await bot.services.requests.create(requester.id, "en", NewRequest(
        full_name="Бауыржан Момышұлы", phone=PHONE, region="KZ-75", city="Медеу", language="ru", elderly=True))

    t = Texts(bot, "ru")
    volunteer = await caller(bot, fake, 690_100)
    await volunteer.send_text("/calls")
    card = await wait_text(volunteer, "Бауыржан Момышұлы")
    assert "👵" in (card.text or "")
    await volunteer.press("🆘 " + t("Needs help"))
    await wait_text(volunteer, t("Did they ask to pass anything on? Type a short message (up to {max} characters), "
                                 "or press Skip.", max=300))
    await volunteer.send_text("Нужны лекарства от давления")
    await wait_text(volunteer, t("Thank you! Recorded: {outcome}. The family is told.",
                                 outcome=t("reached, needs help")))
    alert = await wait_text(coordinator, "Бауыржан Момышұлы")
    assert "Медеу" in (alert.text or "") and "Нужны лекарства от давления" in (alert.text or "")

    # Check-in: both volunteers of Almaty are asked once; one is safe, one needs help.
    other = fake.user(690_101, language_code="kk")
    await register(bot, other.id, locale="kk", region="KZ-75")
    round_id = await bot.services.safety_checkins.ask_regions(["KZ-75"])
    assert await bot.services.safety_checkins.ask_regions(["KZ-75"], round_id) == round_id  # asked once
    await wait_text(volunteer, t("🛟 <b>Are you safe?</b> There is an emergency in your region. Please answer with "
                                 "one tap, so the coordinators know who is safe.").split("</b> ")[1])
    await volunteer.press(t("✅ I am safe"))
    await wait_text(volunteer, t("✅ Thank you: you are marked safe."))
    k = Texts(bot, "kk")
    await other.wait_for_message(lambda m: k("🆘 I need help") in m.button_texts())
    await other.press(k("🆘 I need help"))
    await wait_text(other, k("🆘 Recorded: the coordinators of your region see that you need help."))
    questions = [m for m in volunteer.messages if t("✅ I am safe") in m.button_texts()]
    assert len(questions) <= 1

    overview = await coordinator.ask("/reconnection")
    text = overview.text or ""
    assert t("reached, needs help") + ": 1" in text and "Нужны лекарства от давления" in text
    assert t("{region}: safe {safe}, need help {help}, no answer {no_answer}", region=t("Almaty"), safe=1, help=1,
             no_answer=0) in text
    await wait_text(requester, "Бауыржан Момышұлы")  # told: reached, needs help
    assert chats_showing(fake, PHONE) == {volunteer.id}
    assert elsewhere not in {call.params.get("chat_id") for call in fake.calls_of("sendMessage")}
    await everything_accepted(fake)


async def test_reconnection_overview_is_for_coordinators_only(bot: RunningBot, fake: FakeTelegram) -> None:
    stranger = fake.user(690_300, language_code="en")
    answer = await stranger.ask("/reconnection")
    assert answer.text == Texts(bot, "en")("Sorry, only coordinators can do this.")
    await everything_accepted(fake)
