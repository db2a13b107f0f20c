"""Volunteer registration end to end: the real application over the fake Bot API."""

from __future__ import annotations

import pytest

from emulator import FakeTelegram
from storage.models import Volunteer
from storage.repositories.volunteers import VolunteerRepository
from tests.support.clock import ManualClock
from tests.support.e2e import RunningBot
from tests.support.registration import (
    ASK_AVAILABILITY,
    ASK_DIRECTIONS,
    ASK_LANGUAGES,
    ASK_NAME,
    ASK_PHONE,
    ASK_REGION,
    ASK_SKILLS,
    ASK_YEAR,
    CONSENT,
    HELLO,
    LANGUAGE_BUTTON,
    MENU,
    SUMMARY,
    Dialog,
    assert_fake_accepted_everything,
    volunteer_count,
)


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
async def test_first_start_registers_in_the_chosen_language(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock, locale: str
) -> None:
    d = Dialog(bot, fake, 1001, locale, language_code="en")
    await d.user.send_text("/start")
    hello = await d.user.wait_for_message()
    assert hello.text == d.visible(HELLO, "en")  # before the choice: Telegram's language
    assert hello.button_texts()[:3] == ["Қазақша", "Русский", "English"]

    await d.tap(LANGUAGE_BUTTON[locale], CONSENT)
    consent = d.user.last_message
    assert consent.text == d.visible(CONSENT)
    assert "✅ " + d.t("I agree") in consent.button_texts()
    assert "✖️ " + d.t("Cancel") in consent.button_texts()
    await d.tap("✅ " + d.t("I agree"), ASK_NAME)
    before = len(d.user.messages)
    phone_question = await d.say("Aigerim Nurlanovna", ASK_PHONE)
    # One message: the question with "Share my contact", Back and Cancel on its reply keyboard.
    assert len(d.user.messages) == before + 1 and d.user.reply_keyboard is phone_question
    assert phone_question.button_texts() == [
        "📱 " + d.t("Share my contact"), "⬅️ " + d.t("Back"), "✖️ " + d.t("Cancel")
    ]
    await d.user.press("📱 " + d.t("Share my contact"))  # the request_contact button: own contact
    year_question = await d.expect(ASK_YEAR)
    # The phone as understood, on top of the year question; Back and Cancel stay, the contact button goes.
    phone_shown = "+7 700 000 10 01"
    assert year_question.text.startswith(f"✅ {d.t('Phone')}: {phone_shown}")
    assert d.user.reply_keyboard.button_texts() == ["⬅️ " + d.t("Back"), "✖️ " + d.t("Cancel")]
    assert len(d.user.messages) == before + 2
    await d.say("1990", ASK_REGION)
    region_buttons = d.user.last_message.button_texts()
    assert len(region_buttons) == 20 + 2
    assert d.t("Almaty Region") in region_buttons
    await d.finish_from_region(region="Almaty Region", city="Qaskeleñ")
    summary = d.user.last_message
    assert d.t("Almaty Region") in summary.text and "Qaskeleñ" in summary.text
    assert d.t("Ecology") in summary.text and d.t("Elderly care") in summary.text
    assert f"{d.t('Phone')}: {phone_shown}" in summary.text
    assert f"{d.t('Languages')}: {d.t({'kk': 'Kazakh', 'ru': 'Russian', 'en': 'English'}[locale])}" in summary.text
    menu = await d.confirm()
    assert menu.text == d.t(MENU)
    assert "👤 " + d.t("My profile") in menu.button_texts()
    # The dialog's Back/Cancel keyboard ends with it: the main keyboard takes its place.
    assert "👤 " + d.t("My profile") in d.user.reply_keyboard.button_texts()
    assert "⬅️ " + d.t("Back") not in d.user.reply_keyboard.button_texts()
    # New messages for the whole dialog: the greeting, the phone, the year (after the phone),
    # the region (after the year), the directions (after the typed city), thanks and the
    # menu; every other question replaced the message whose button was pressed.
    sent = [c for c in fake.calls if c.method == "sendMessage" and str(c.params.get("chat_id")) == "1001"]
    assert len(sent) == 7, [c.params.get("text", "")[:30] for c in sent]

    if locale != "en":  # the catalogs really are in that language, not English fallbacks
        assert d.t(MENU) != MENU and d.t("Almaty Region") != "Almaty Region"
        assert d.t("Back") != "Back"

    volunteer = await bot.services.volunteers.get(1001)
    assert volunteer is not None
    assert volunteer.full_name == "Aigerim Nurlanovna"
    assert volunteer.phone == d.user.phone_number
    assert volunteer.birth_year == 1990
    assert volunteer.region == "KZ-19"
    assert volunteer.city == "Qaskeleñ"
    assert sorted(volunteer.directions) == ["ecology", "elderly"]
    assert volunteer.skills == ["it"]
    assert volunteer.availability == ["weekends"]
    assert volunteer.languages == [locale]
    assert volunteer.locale == locale
    assert volunteer.consent_at == clock.now()
    assert volunteer.guardian_consent_at is None
    assert volunteer.source == "bot"
    assert await bot.services.users.locale_of(1001) == locale
    assert_fake_accepted_everything(fake)


async def test_the_choice_wins_over_telegram_language_and_language_switches(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    d = Dialog(bot, fake, 1002, "kk", language_code="ru")
    await d.user.send_text("/start")
    hello = await d.user.wait_for_message()
    assert hello.text == d.visible(HELLO, "ru")
    await d.tap("Қазақша", CONSENT)
    assert d.user.last_message.text == d.visible(CONSENT, "kk")
    await d.tap("✅ " + d.t("I agree"), ASK_NAME)
    await d.say("Асқар Жұмабаев", ASK_PHONE)
    await d.say("87012345678", ASK_YEAR)
    await d.say("1985", ASK_REGION)
    assert d.t("Almaty") in d.user.last_message.button_texts()
    assert "⬅️ " + d.t("Back", "kk") in d.user.last_message.button_texts()

    # /language in the middle: confirmation, then the same step again in the new language.
    await d.user.send_text("/language")
    await d.user.wait_for_message(lambda m: "English" in m.button_texts())
    await d.user.press("English")
    changed = d.t("The language is now {language}.", "en").format(language="English")
    await d.user.wait_for_message(lambda m: m.text == changed)
    region = await d.expect(ASK_REGION, locale="en")
    assert "Almaty" in region.button_texts() and "⬅️ Back" in region.button_texts()
    d.locale = "en"
    await d.finish_from_region(region="Almaty")
    await d.confirm()
    volunteer = await bot.services.volunteers.get(1002)
    assert volunteer is not None and volunteer.locale == "en" and volunteer.phone == "+77012345678"
    assert await bot.services.users.locale_of(1002) == "en"

    # Registered: the main menu's Language button, then Russian: confirmation + menu in Russian.
    await d.user.press("🌐 " + d.t("Language"))
    await d.user.wait_for_message(lambda m: "Русский" in m.button_texts())
    await d.user.press("Русский")
    await d.expect(MENU, locale="ru")
    assert (await bot.services.volunteers.get(1002)).locale == "ru"
    assert_fake_accepted_everything(fake)


async def test_back_keeps_answers_and_edit_returns_to_the_summary(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 1003, "ru")
    await d.to_year()
    # Back from the year (its reply keyboard's Back): the phone step again, with its contact keyboard.
    await d.reply_button("⬅️ " + d.t("Back"), ASK_PHONE)
    assert "📱 " + d.t("Share my contact") in d.user.reply_keyboard.button_texts()
    # Back from the phone: the name step, and the contact button is gone.
    await d.reply_button("⬅️ " + d.t("Back"), ASK_NAME)
    assert "📱 " + d.t("Share my contact") not in d.user.reply_keyboard.button_texts()
    await d.say("Дана Серикова", ASK_PHONE)
    await d.say("+7 701 555 44 33", ASK_YEAR)
    await d.say("1999", ASK_REGION)
    await d.tap(d.t("Shymkent"), "Which city, town or district? Type it, or press Skip.")
    await d.tap(d.t("Skip ➡️"), ASK_DIRECTIONS)
    await d.tick("Ecology")
    await d.tap(d.t("Done ➡️"), ASK_SKILLS)
    # Back from skills: the directions again, with Ecology still ticked.
    await d.tap("⬅️ " + d.t("Back"), ASK_DIRECTIONS)
    assert "✅ " + d.t("Ecology") in d.user.last_message.button_texts()
    await d.tap(d.t("Done ➡️"), ASK_SKILLS)
    await d.tap(d.t("Done ➡️"), ASK_AVAILABILITY)
    await d.tick("Weekdays")
    await d.tap(d.t("Done ➡️"), ASK_LANGUAGES)
    await d.tap(d.t("Done ➡️"), SUMMARY)
    summary = d.user.last_message
    assert "Дана Серикова" in summary.text and "+7 701 555 44 33" in summary.text and d.t("Shymkent") in summary.text

    # Edit the region: the chooser, the region step, then straight back to the summary.
    await d.tap("✏️ " + d.t("Edit"), "What would you like to change?")
    await d.tap(d.t("Region"), ASK_REGION)
    assert "✅ " + d.t("Shymkent") in d.user.last_message.button_texts()
    await d.tap(d.t("Astana"), SUMMARY)
    assert d.t("Astana") in d.user.last_message.text
    # Edit the name, but change one's mind: Back goes to the chooser, Back again to the summary.
    await d.tap("✏️ " + d.t("Edit"), "What would you like to change?")
    await d.tap(d.t("Full name"), ASK_NAME)
    await d.tap("⬅️ " + d.t("Back"), "What would you like to change?")
    await d.tap("⬅️ " + d.t("Back"), SUMMARY)
    # Edit the phone: shared contact, then the summary (not the rest of the dialog).
    await d.tap("✏️ " + d.t("Edit"), "What would you like to change?")
    await d.tap(d.t("Phone"), ASK_PHONE)
    await d.user.press("📱 " + d.t("Share my contact"))
    summary = await d.expect(SUMMARY)
    assert "+7 700 000 10 03" in summary.text  # the shared number, grouped
    assert d.user.reply_keyboard is None
    await d.confirm()
    volunteer = await bot.services.volunteers.get(1003)
    assert volunteer.region == "KZ-71" and volunteer.city is None and volunteer.full_name == "Дана Серикова"
    assert volunteer.phone == d.user.phone_number
    assert volunteer.directions == ["ecology"] and volunteer.skills == [] and volunteer.availability == ["weekdays"]
    assert_fake_accepted_everything(fake)


async def test_cancel_mid_dialog_saves_nothing(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 1004, "en")
    await d.to_phone()
    # The phone question's own Cancel button (on its reply keyboard).
    await d.reply_button("✖️ " + d.t("Cancel"), "Cancelled.")
    assert d.user.reply_keyboard is None  # the contact keyboard does not outlive the dialog
    assert await volunteer_count(bot) == 0
    # The next /start is a fresh start (the language is remembered: straight to consent).
    await d.say("/start", CONSENT)
    await d.tap("⬅️ " + d.t("Back"), HELLO)  # Back from the consent: the language step
    await d.tap("English", CONSENT)
    consent_message = d.user.last_message
    agree = consent_message.buttons()[0]["callback_data"]
    await d.tap("✅ " + d.t("I agree"), ASK_NAME)
    assert d.user.last_message.message_id == consent_message.message_id  # the consent became the question
    await d.say("/cancel", "Cancelled.")
    assert await volunteer_count(bot) == 0
    # A button of the cancelled dialog changes nothing.
    callback = await d.user.press_data(agree, consent_message.message_id)
    answer = await d.answer_of(callback)
    assert answer.get("text") == d.t("This button is no longer active. Send /start to see the menu.")
    assert await volunteer_count(bot) == 0
    assert_fake_accepted_everything(fake)


async def test_restart_and_start_mid_registration_continue_where_it_stopped(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 1005, "kk")
    await d.to_year(phone="+7 777 123 45 67")
    await bot.restart()
    # After the restart: /start continues (the same step again), and so does a plain answer.
    await d.say("/start", ASK_YEAR)
    await d.say("1970", ASK_REGION)
    await d.finish_from_region(region="Karaganda Region", city=None)
    await d.confirm()
    volunteer = await bot.services.volunteers.get(1005)
    assert volunteer.phone == "+77771234567" and volunteer.birth_year == 1970 and volunteer.region == "KZ-35"
    assert volunteer.locale == "kk"
    assert_fake_accepted_everything(fake)


async def test_registered_start_shows_the_menu_and_unknown_payload_is_a_plain_start(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    stranger = Dialog(bot, fake, 1007, "en")
    await stranger.user.send_text("/start promo_2026")
    hello = await stranger.user.wait_for_message()
    assert hello.text == stranger.visible(HELLO)

    d = Dialog(bot, fake, 1008, "ru")
    await d.to_summary()
    await d.confirm()
    count = await volunteer_count(bot)
    await d.user.send_text("/start")
    menu = await d.user.wait_for_message()
    assert menu.text == d.t(MENU)
    await d.user.send_text("/start whatever_this_is")
    menu = await d.user.wait_for_message()
    assert menu.text == d.t(MENU)
    assert await volunteer_count(bot) == count
    assert_fake_accepted_everything(fake)


async def test_shared_contact_links_to_an_imported_record(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    d = Dialog(bot, fake, 1009, "kk")
    async with bot.services.db.session() as session:
        imported = VolunteerRepository(session).add(
            Volunteer(
                full_name="Ержан Ахметов", phone=d.user.phone_number, region="KZ-75", source="import",
                status="active", hours=12.5, created_at=clock.now(), updated_at=clock.now(),
            )
        )
        await session.flush()
        imported_id = imported.id
    await d.to_name()
    await d.say("Ержан Ахметов", ASK_PHONE)
    await d.user.press("📱 " + d.t("Share my contact"))
    await d.expect(ASK_YEAR)
    await d.say("1980", ASK_REGION)
    await d.finish_from_region(region="Almaty")
    await d.user.press("✅ " + d.t("Confirm"))
    thanks = await d.expect("I found your earlier record with this phone number and linked it to your Telegram account.")
    assert "Ержан Ахметов" in thanks.text
    await d.expect(MENU)
    assert await volunteer_count(bot) == 1
    volunteer = await bot.services.volunteers.get(1009)
    assert volunteer.id == imported_id and volunteer.hours == 12.5 and volunteer.source == "import"
    assert volunteer.telegram_id == 1009 and volunteer.consent_at == clock.now()
    assert_fake_accepted_everything(fake)


async def test_phone_of_another_account_and_someone_elses_contact_are_refused(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    taken = "already registered to another Telegram account"
    slow = Dialog(bot, fake, 1010, "en")
    await slow.to_summary()  # typed +7 701 234 56 78, not confirmed yet

    fast = Dialog(bot, fake, 1011, "en")
    await fast.to_phone()
    await fast.user.send_contact(phone_number="+77019998877", user_id=424242)
    refusal = await fast.expect(ASK_PHONE)
    assert "someone else's contact" in refusal.text
    assert fast.user.reply_keyboard is not None  # the contact button is offered again
    await fast.say("+7 701 234 56 78", ASK_YEAR)  # still free: nobody confirmed it
    await fast.say("1992", ASK_REGION)
    await fast.finish_from_region()
    await fast.confirm()

    # The slower person confirms the same number: refused politely, back to the phone step.
    await slow.user.press("✅ " + slow.t("Confirm"))
    refusal = await slow.expect(ASK_PHONE)
    assert taken in refusal.text
    await slow.user.send_text("87012345678")  # the same number, typed differently
    assert taken in (await slow.expect(ASK_PHONE)).text
    await slow.say("+7 702 111 22 33", SUMMARY)  # editing: straight back to the summary
    await slow.confirm()
    assert (await bot.services.volunteers.get(1010)).phone == "+77021112233"
    assert (await bot.services.volunteers.get(1011)).phone == "+77012345678"
    assert await volunteer_count(bot) == 2
    assert_fake_accepted_everything(fake)
