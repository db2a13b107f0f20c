"""Registration against bad input, stale and forged buttons, and minors."""

from __future__ import annotations

from bot.domain.people import MAX_NAME_LENGTH
from emulator import FakeTelegram
from handlers.callbacks import PickCb
from tests.support.clock import ManualClock
from tests.support.e2e import RunningBot
from tests.support.registration import (
    ASK_CITY,
    ASK_DIRECTIONS,
    ASK_GUARDIAN_NAME,
    ASK_GUARDIAN_PHONE,
    ASK_LANGUAGES,
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
NAME_HINT = "Please type your full name in letters (2 to {max_length} characters)."
NOT_A_YEAR = "I could not find a year of birth in that."
TOO_OLD = "Born in {year}, you would be {age} this year: more than {max_age}. Please check the year."
TOO_YOUNG = "Born in {year}, you would be {age} this year, and volunteers must be at least {min_age}."
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
    await d.say("<b>& Co", ASK_PHONE)  # two words with letters: accepted as typed

    reask = await d.say("12345", ASK_PHONE)
    assert "+7 701 234 56 78" in reask.text.split("\n\n")[0]
    await d.user.send_sticker()
    assert (await d.expect(ASK_PHONE)).text.startswith(d.t(TEXT_ONLY))
    await d.say("8 (701) 234-56-78", ASK_YEAR)

    assert (await d.say("abc", ASK_YEAR)).text.startswith(d.t(NOT_A_YEAR))
    too_old = d.t(TOO_OLD).format(year=1900, age=126, max_age=100)
    assert (await d.say("1900", ASK_YEAR)).text.startswith(too_old)
    too_young = d.t(TOO_YOUNG).format(year=2020, age=6, min_age=7)
    assert (await d.say("2020", ASK_YEAR)).text.startswith(too_young)  # 6 years old in 2026
    await d.say("2001", ASK_REGION)

    # A sticker where a region is expected: the buttons again, with a hint.
    await d.user.send_sticker()
    reask = await d.expect(ASK_REGION)
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
    await d.tap(d.t("Done ➡️"), ASK_LANGUAGES)
    summary = await d.tap(d.t("Done ➡️"), SUMMARY)
    assert "<b>& Co" in summary.text  # shown as typed...
    assert "&lt;b&gt;&amp; Co" in summary.source  # ...because it was escaped
    await d.confirm()
    volunteer = await bot.services.volunteers.get(2001)
    assert volunteer.full_name == "<b>& Co" and volunteer.phone == "+77012345678" and volunteer.birth_year == 2001
    assert_fake_accepted_everything(fake)


async def test_stale_and_forged_buttons_change_nothing(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 2002, "en")
    await d.to_region()
    year_message = next(m for m in d.user.messages if d.t(ASK_YEAR) in (m.text or ""))
    region_message = d.user.last_message
    shymkent = next(b["callback_data"] for b in region_message.buttons() if b["text"] == d.t("Shymkent"))
    await d.tap(d.t("Almaty"), ASK_CITY)
    await d.tap(d.t("Skip ➡️"), ASK_DIRECTIONS)
    directions_message = d.user.last_message
    # Pressed buttons turned the region question into the city and then the directions question.
    assert directions_message.message_id == region_message.message_id

    async def refused(data: str, message_id: int) -> None:
        answer = await d.answer_of(await d.user.press_data(data, message_id))
        assert answer.get("text") == d.t(STALE), data

    await refused("junk", directions_message.message_id)  # not even a PickCb
    await refused("pick:region:KZ-79", directions_message.message_id)  # another field in this state
    await refused("pick:directions:no-such-direction", directions_message.message_id)  # forged code
    await refused("pick:directions:ecology", year_message.message_id)  # the right field on an old message
    await refused(shymkent, region_message.message_id)  # an earlier step's button
    await d.tick("Ecology")  # the live keyboard still works
    await d.tap(d.t("Done ➡️"), "What skills do you have? Tick any that apply (or none), then press Done.")
    await d.tap(d.t("Done ➡️"), "When can you help? Tick one or more, then press Done.")
    await d.tick("Weekends")
    await d.tap(d.t("Done ➡️"), ASK_LANGUAGES)
    summary = await d.tap(d.t("Done ➡️"), SUMMARY)
    assert d.t("Almaty") in summary.text and d.t("Shymkent") not in summary.text
    await d.confirm()

    # After registration: an old region button is answered politely and changes nothing.
    callback = await d.user.press_data(shymkent, region_message.message_id)
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
    await d.to_year()  # the volunteer's own phone: +7 701 234 56 78
    guardian = await d.say("2012", GUARDIAN_14_17)
    assert "✅ " + d.t("My parent/guardian agrees") in guardian.button_texts()
    # Back from the guardian question: the year again; an adult year skips the question.
    await d.tap("⬅️ " + d.t("Back"), ASK_YEAR)
    await d.say("2012", GUARDIAN_14_17)
    await d.tap("✅ " + d.t("My parent/guardian agrees"), ASK_GUARDIAN_NAME)
    refusal = await d.say("Сәуле", ASK_GUARDIAN_NAME)  # one word
    assert refusal.text.startswith(d.t("Please type both the first name and the surname of your parent or guardian."))
    await d.say("Сәуле <Серікова>", ASK_GUARDIAN_PHONE)
    refusal = await d.say("+7 701 234 56 78", ASK_GUARDIAN_PHONE)  # the minor's own number
    assert refusal.text.startswith(d.t(
        "This is your own number. Please type the phone number of your parent or guardian, so the "
        "coordinators can reach them."
    ))
    await d.say("8 701 777 00 11", ASK_REGION)
    # Back from the region goes to the guardian's phone (the person is a minor).
    await d.tap("⬅️ " + d.t("Back"), ASK_GUARDIAN_PHONE)
    await d.user.send_contact(phone_number="77017770012", user_id=555, first_name="Сәуле")  # their shared contact
    await d.expect(ASK_REGION)
    await d.finish_from_region()
    summary = d.user.last_message
    assert d.t("A parent or guardian agrees.") in summary.text
    assert f"{d.t('Parent or guardian')}: Сәуле <Серікова>, +7 701 777 00 12" in summary.text
    assert "Сәуле &lt;Серікова&gt;" in summary.source
    await d.confirm()
    volunteer = await bot.services.volunteers.get(2003)
    assert volunteer.birth_year == 2012 and volunteer.guardian_consent_at == clock.now()
    assert (volunteer.guardian_name, volunteer.guardian_phone) == ("Сәуле <Серікова>", "+77017770012")
    assert_fake_accepted_everything(fake)


async def test_under_14_needs_consent_and_editing_the_year_asks_for_it(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    d = Dialog(bot, fake, 2004, "en")
    await d.to_summary()
    assert d.t("Parent or guardian") not in d.user.last_message.text  # an adult has none
    await d.tap("✏️ " + d.t("Edit"), "What would you like to change?")
    assert d.t("Parent or guardian") not in d.user.last_message.button_texts()
    await d.tap(d.t("Year of birth"), ASK_YEAR)
    await d.user.send_text("2016")
    wanted = d.t(GUARDIAN_UNDER_14).format(age=14)
    await d.user.wait_for_message(lambda m: m.text == wanted)
    await d.tap("✅ " + d.t("My parent/guardian agrees"), ASK_GUARDIAN_NAME)
    await d.say("Marat Seitkali", ASK_GUARDIAN_PHONE)
    await d.say("+7 707 111 22 33", SUMMARY)
    # The guardian can be edited from the summary: name, then phone, then the summary.
    await d.tap("✏️ " + d.t("Edit"), "What would you like to change?")
    await d.tap(d.t("Parent or guardian"), ASK_GUARDIAN_NAME)
    await d.say("Aliya Seitkali", ASK_GUARDIAN_PHONE)
    summary = await d.say("+7 707 111 22 44", SUMMARY)
    assert "Aliya Seitkali, +7 707 111 22 44" in summary.text
    await d.confirm()
    volunteer = await bot.services.volunteers.get(2004)
    assert volunteer.birth_year == 2016 and volunteer.guardian_consent_at == clock.now()
    assert (volunteer.guardian_name, volunteer.guardian_phone) == ("Aliya Seitkali", "+77071112244")
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
