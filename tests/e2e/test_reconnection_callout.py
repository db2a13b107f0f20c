"""A "needs help" case turned into a call-out: the alert's button opens the /callout
dialog with the region and a short text from the case (never the phone number), the
usual steps lead to the preview, Send reaches the region's volunteers. Coordinators of
another region, forged ids and cases no longer needing help are refused politely."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.domain.reconnection import Outcome
from bot.reconnection.buttons import HelpCalloutCb
from bot.reconnection.requests import NewRequest
from emulator import FakeTelegram
from storage.models import Callout
from tests.support.callouts import card, volunteer
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.reconnection import caller, chats_showing, digits

COORDINATOR = 697_001
OTHER_REGION = 697_002
PHONE = "+77015559999"
NOTE = "Нужны лекарства, звоните сыну 8 701 444 55 66"


async def _needs_help(bot: RunningBot, fake: FakeTelegram, caller_id: int) -> int:
    fake.user(697_500, language_code="en")  # the requester (told in their language)
    created = await bot.services.requests.create(697_500, "en", NewRequest(
        full_name="Бауыржан Момышұлы", phone=PHONE, region="KZ-75", city="Медеу", language="ru"))
    assert created.request_id is not None
    await caller(bot, fake, caller_id)
    taken = await bot.services.calls.next_call(caller_id)
    assert taken.request is not None and taken.request.id == created.request_id
    assert await bot.services.calls.report(created.request_id, caller_id, Outcome.NEEDS_HELP, NOTE) is not None
    return created.request_id


async def _callouts(bot: RunningBot) -> int:
    async with bot.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Callout)) or 0)


async def test_the_help_alert_becomes_a_callout_through_the_usual_preview(bot: RunningBot,
                                                                            fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    await bot.services.users.set_locale(COORDINATOR, "ru")
    coordinator = fake.user(COORDINATOR, language_code="ru")
    helper = await volunteer(bot, fake, 697_200, locale="kk")  # emergencies, Almaty: wave 1
    await _needs_help(bot, fake, 697_100)

    alert = await wait_text(coordinator, "Бауыржан Момышұлы")
    assert t("📣 Call out volunteers") in alert.button_texts()
    await coordinator.press(t("📣 Call out volunteers"))
    lead = await wait_text(coordinator, t("Call-out for a family reconnection case"))
    text = lead.text or ""
    assert "Бауыржан Момышұлы (Медеу, " + t("Almaty") + ")" in text and "Нужны лекарства" in text
    assert "4445566" not in digits(text) and "5559999" not in digits(text)
    await wait_text(coordinator, "2/4")
    await coordinator.press(t("Skip ➡️"))
    await wait_text(coordinator, "3/4")
    await coordinator.send_text("2")
    await wait_text(coordinator, "4/4")
    await coordinator.press(t("Done ➡️"))
    preview = await wait_text(coordinator, t("Wave 1, volunteers for emergencies in the region: {count}", count=1))
    assert "Бауыржан Момышұлы" in (preview.text or "") and "4445566" not in digits(preview.text or "")
    assert await _callouts(bot) == 0  # nothing sent before Send
    await coordinator.press("📣 " + t("Send"))
    got = await card(helper, Texts(bot, "kk"))
    assert "Бауыржан Момышұлы" in (got.text or "") and "4445566" not in digits(got.text or "")
    async with bot.services.db.sessionmaker() as session:
        callout = await session.scalar(select(Callout))
    assert callout is not None and callout.region == "KZ-75" and callout.needed == 2
    assert "Медеу" in callout.text and "4445566" not in digits(callout.text)
    assert chats_showing(fake, PHONE) == set()  # (the caller took the case through the service: no chat)
    await everything_accepted(fake)


async def test_other_regions_forged_and_stale_presses_are_refused(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "en")
    await bot.services.access.grant(OTHER_REGION, "coordinator", region="KZ-71")
    elsewhere = fake.user(OTHER_REGION, language_code="en")
    request_id = await _needs_help(bot, fake, 697_101)
    sent = await elsewhere.ask("/start")

    # A coordinator of another region pressing the case's button (forged): refused, audited.
    press = await elsewhere.press_data(HelpCalloutCb(request_id=request_id).pack(), sent.message_id)
    answer = await answer_of(fake, press)
    assert answer.get("show_alert") and answer["text"] == t(
        "Sorry, you can only call out volunteers in the regions you coordinate.")
    # An unknown case, and a case that does not need help: stale.
    fake.user(697_600, language_code="en")
    for forged in (request_id + 1000, (await bot.services.requests.create(697_600, "en", NewRequest(
            full_name="Someone Else", phone="+77015550000", region="KZ-71", language="ru"))).request_id or 0):
        press = await elsewhere.press_data(HelpCalloutCb(request_id=forged).pack(), sent.message_id)
        answer = await answer_of(fake, press)
        assert answer.get("show_alert") and answer["text"] == t(
            "This button is no longer active. Send /start to see the menu.")
    # Not a coordinator at all: the guard refuses.
    stranger = fake.user(697_700, language_code="en")
    press = await stranger.press_data(HelpCalloutCb(request_id=request_id).pack(), sent.message_id)
    assert (await answer_of(fake, press))["text"] == t("Sorry, only coordinators can do this.")
    assert await _callouts(bot) == 0
    assert await bot.services.access.roles_of(OTHER_REGION)
    await everything_accepted(fake)
