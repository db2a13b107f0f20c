"""Registration against bad input, stale and forged buttons, and minors."""

from __future__ import annotations

from bot.clock import ManualClock
from bot.domain.people import MAX_NAME_LENGTH
from bot.fakeapi import FakeTelegram
from handlers.callbacks import PickCb
from tests.e2e_support import RunningBot
from tests.registration_support import (
    ASK_CITY,
    ASK_DIRECTIONS,
    ASK_NAME,
    ASK_PHONE,
    ASK_REGION,
    ASK_YEAR,
    STALE,
    SUMMARY,
    Dialog,
    assert_fake_accepted_everything,
    volunteer_count,
)

TEXT_ONLY = "I can only read text here. Please type your answer."
USE_BUTTONS = "Please choose with the buttons below."
NAME_HINT = "Please type your full name: 2 to {max_length} characters, with letters."
YEAR_FORMAT = "Please type the year you were born as four digits, for example 1995."
YEAR_RANGE = "Volunteers must be {min_age} to {max_age} years old. Please check the year and type it again."
AT_LEAST_ONE = "Please choose at least one option, then press Done."
GUARDIAN_14_17 = (
    "You are under 18, so we ask for the consent of a parent or guardian. "
    "Do they agree that you volunteer with Birge?"
)
GUARDIAN_UNDER_14 = (
    "Volunteers under {age} can join only with the consent of a parent or guardian. "
    "Please show this to your parent or guardian: do they agree that you volunteer with Birge?"
)
NO_CONSENT = (
    "We understand. Without the consent of a parent or guardian we cannot register you "
    "yet, and nothing has been saved. You are welcome to come back together with them: "
    "just send /start."
)


async def test_bad_input_is_asked_again_and_html_in_a_name_is_escaped(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 2001, "ru")
    await d.to_name()
    for send in (d.user.send_sticker, d.user.send_photo, d.user.send_voice):
        await send()
        reask = await d.expect(ASK_NAME)
        assert reask.text.startswith(d.t(TEXT_ONLY))
    await d.user.send_text("Я" * 5000)
    reask = await d.expect(ASK_NAME)
    assert reask.text.startswith(d.t(NAME_HINT).format(max_length=MAX_NAME_LENGTH))
    await d.say("1234", ASK_NAME)  # no letters
    await d.say("<b>&", ASK_PHONE)  # it has a letter: accepted as typed
    await d.expect("Or go back, or cancel:")

    reask = await d.say("12345", ASK_PHONE)
    assert "+7 701 234 56 78" in reask.text.split("\n\n")[0]
    await d.user.send_sticker()
    assert (await d.expect(ASK_PHONE)).text.startswith(d.t(TEXT_ONLY))
    await d.say("8 (701) 234-56-78", ASK_YEAR)

    assert (await d.say("abc", ASK_YEAR)).text.startswith(d.t(YEAR_FORMAT))
    range_hint = d.t(YEAR_RANGE).format(min_age=7, max_age=100)
    assert (await d.say("1900", ASK_YEAR)).text.startswith(range_hint)
    assert (await d.say("2020", ASK_YEAR)).text.startswith(range_hint)  # 6 years old in 2026
    await d.say("2001", ASK_REGION)

    # Typed text where buttons are expected: the buttons again, with a hint.
    reask = await d.say("Алматы", ASK_REGION)
    assert reask.text.startswith(d.t(USE_BUTTONS)) and d.t("Almaty") in reask.button_texts()
    await d.tap(d.t("Almaty"), ASK_CITY)
    await d.tap(d.t("Skip ➡️"), ASK_DIRECTIONS)

    # Done with nothing ticked: a polite alert, still on the same step.
    callback = await d.user.press_data(PickCb(field="directions", code="done").pack(), d.user.last_message.message_id)
    answer = await d.answer_of(callback)
    assert answer.get("text") == d.t(AT_LEAST_ONE) and answer.get("show_alert")
    await d.tick("Education")
    await d.tap(d.t("Done ➡️"), "What skills do you have? Tick any that apply (or none), then press Done.")
    await d.tap(d.t("Done ➡️"), "When can you help? Tick one or more, then press Done.")
    await d.tick("Weekday evenings")
    summary = await d.tap(d.t("Done ➡️"), SUMMARY)
    assert "<b>&" in summary.text  # shown as typed...
    assert "&lt;b&gt;&amp;" in summary.source  # ...because it was escaped
    await d.confirm()
    volunteer = await bot.services.volunteers.get(2001)
    assert volunteer.full_name == "<b>&" and volunteer.phone == "+77012345678" and volunteer.birth_year == 2001
    assert_fake_accepted_everything(fake)


async def test_stale_and_forged_buttons_change_nothing(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 2002, "en")
    await d.to_region()
    region_message = d.user.last_message
    await d.tap(d.t("Almaty"), ASK_CITY)
    await d.tap(d.t("Skip ➡️"), ASK_DIRECTIONS)
    directions_message = d.user.last_message

    async def refused(data: str, message_id: int) -> None:
        answer = await d.answer_of(await d.user.press_data(data, message_id))
        assert answer.get("text") == d.t(STALE), data

    await refused("junk", directions_message.message_id)  # not even a PickCb
    await refused("pick:region:KZ-79", directions_message.message_id)  # another field in this state
    await refused("pick:directions:no-such-direction", directions_message.message_id)  # forged code
    await refused("pick:directions:ecology", region_message.message_id)  # the right field on an old message
    pressed = await d.user.press(d.t("Shymkent"), message_id=region_message.message_id)  # an earlier step
    assert (await d.answer_of(pressed)).get("text") == d.t(STALE)
    await d.tick("Ecology")  # the live keyboard still works
    await d.tap(d.t("Done ➡️"), "What skills do you have? Tick any that apply (or none), then press Done.")
    await d.tap(d.t("Done ➡️"), "When can you help? Tick one or more, then press Done.")
    await d.tick("Weekends")
    summary = await d.tap(d.t("Done ➡️"), SUMMARY)
    assert d.t("Almaty") in summary.text and d.t("Shymkent") not in summary.text
    await d.confirm()

    # After registration: an old region button is answered politely and changes nothing.
    callback = await d.user.press_data(
        region_message.buttons()[2]["callback_data"], region_message.message_id
    )  # Shymkent
    answer = await d.answer_of(callback)
    assert answer.get("text") == d.t(STALE)
    volunteer = await bot.services.volunteers.get(2002)
    assert volunteer.region == "KZ-75" and volunteer.directions == ["ecology"]
    assert await volunteer_count(bot) == 1
    assert_fake_accepted_everything(fake)


async def test_minor_with_guardian_consent_is_saved_with_it(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    d = Dialog(bot, fake, 2003, "kk")
    await d.to_year()
    guardian = await d.say("2012", GUARDIAN_14_17)
    assert "✅ " + d.t("My parent/guardian agrees") in guardian.button_texts()
    # Back from the guardian question: the year again; an adult year skips the question.
    await d.tap("⬅️ " + d.t("Back"), ASK_YEAR)
    await d.say("2012", GUARDIAN_14_17)
    await d.tap("✅ " + d.t("My parent/guardian agrees"), ASK_REGION)
    # Back from the region goes to the guardian question (the person is a minor).
    await d.tap("⬅️ " + d.t("Back"), GUARDIAN_14_17)
    await d.tap("✅ " + d.t("My parent/guardian agrees"), ASK_REGION)
    await d.finish_from_region()
    assert d.t("A parent or guardian agrees.") in d.user.last_message.text
    await d.confirm()
    volunteer = await bot.services.volunteers.get(2003)
    assert volunteer.birth_year == 2012 and volunteer.guardian_consent_at == clock.now()
    assert_fake_accepted_everything(fake)


async def test_under_14_needs_consent_and_editing_the_year_asks_for_it(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    d = Dialog(bot, fake, 2004, "en")
    await d.to_summary()
    await d.tap("✏️ " + d.t("Edit"), "What would you like to change?")
    await d.tap(d.t("Year of birth"), ASK_YEAR)
    await d.user.send_text("2016")
    wanted = d.t(GUARDIAN_UNDER_14).format(age=14)
    await d.user.wait_for_message(lambda m: m.text == wanted)
    await d.tap("✅ " + d.t("My parent/guardian agrees"), SUMMARY)
    await d.confirm()
    volunteer = await bot.services.volunteers.get(2004)
    assert volunteer.birth_year == 2016 and volunteer.guardian_consent_at == clock.now()
    assert_fake_accepted_everything(fake)


async def test_minor_without_guardian_consent_is_not_saved(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 2005, "ru")
    await d.to_year()
    await d.user.send_text("2015")
    wanted = d.t(GUARDIAN_UNDER_14).format(age=14)
    await d.user.wait_for_message(lambda m: m.text == wanted)
    await d.tap(d.t("No"), NO_CONSENT)
    assert await volunteer_count(bot) == 0
    # The dialog has ended: a typed text is no longer taken by a registration step.
    reply = await d.user.ask("Aigerim")
    assert reply.text == d.t("Send /start to register as a volunteer, or /help to learn more.")
    assert await volunteer_count(bot) == 0
    assert_fake_accepted_everything(fake)
