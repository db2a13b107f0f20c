"""/profile end to end over the fake Bot API: the card, editing, pausing, deleting.

Volunteers are registered through the service (not the dialog) so these tests depend
only on the profile. Texts are compared through the catalogs (`t`), plus a few words
whose translations are known, so the language is really checked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import func, select

from bot.domain.volunteers import VolunteerStatus
from bot.volunteers.service import Registration
from emulator import FakeTelegram
from emulator.state import FakeMessage
from handlers.callbacks import NavCb
from storage.models import TelegramUser, Volunteer
from tests.support.clock import ManualClock
from tests.support.e2e import RunningBot
from tests.support.registration import ASK_NAME, ASK_PHONE, ASK_REGION, ASK_YEAR, CONSENT, Dialog

USER = 7_001
OTHER = 7_002
YEAR_QUESTION = "What year were you born? For example 1995. You can also type your age."
GUARDIAN_NAME_QUESTION = (
    "What is the name of your parent or guardian who agrees? Please type their first name and surname."
)
GUARDIAN_PHONE_QUESTION = (
    "What is their phone number? For example +7 701 234 56 78. The coordinators of the tasks you sign up for "
    "will see it, to reach them if needed."
)
LANGUAGES_QUESTION = (
    "Which languages do you speak? Tick them, type the names of any others (for example: Uzbek, German), "
    "then press Done."
)


def PHONE_QUESTION(bot: RunningBot) -> str:  # noqa: N802 - reads as the constant it stands for
    return t(bot, "What is your phone number? Press “Share my contact” below, or type it, for example +7 701 234 56 78.")


# --- helpers -----------------------------------------------------------------------------


def t(bot: RunningBot, msgid: str, locale: str = "ru") -> str:
    return bot.services.i18n.gettext(msgid, locale=locale)


def txt(message: FakeMessage) -> str:
    """The visible text, with Babel's narrow/no-break spaces ("2 марта 2026\u202fг.") made plain."""
    return (message.text or "").replace("\u202f", " ").replace("\xa0", " ")


def shown(text: str) -> str:
    """A translated HTML text as the person sees it (tags parsed away)."""
    for tag in ("<b>", "</b>"):
        text = text.replace(tag, "")
    return text


def main_keyboard_shown(bot: RunningBot, user, locale: str = "ru") -> bool:  # noqa: ANN001 - FakeUser
    """The reply keyboard now shown is the volunteer's main one (in `locale`)."""
    keyboard = user.reply_keyboard
    return keyboard is not None and "🗂 " + t(bot, "Tasks for me", locale) in keyboard.button_texts()


async def register(
    bot: RunningBot,
    user_id: int = USER,
    *,
    locale: str = "ru",
    name: str = "Айгерім Нұрланқызы",
    phone: str = "+77011234567",
    birth_year: int = 1990,
) -> None:
    await bot.services.volunteers.register(
        user_id,
        Registration(
            full_name=name,
            phone=phone,
            birth_year=birth_year,
            region="KZ-75",
            locale=locale,
            city="Медеу",
            directions=["health", "ecology"],
            skills=["it"],
            availability=["weekends"],
            languages=["kk", "ru"],
        ),
    )
    await bot.services.users.set_locale(user_id, locale)


def is_card(bot: RunningBot, locale: str = "ru", *, saved: bool = False) -> Callable[[FakeMessage], bool]:
    """The profile card (`saved`: with "✅ Saved." on top, as after an edit)."""
    title = "👤 " + t(bot, "My profile", locale)
    top = "✅ " + t(bot, "Saved.", locale) + "\n\n" if saved else ""
    return lambda m: (m.text or "").startswith(top + title) and bool(m.buttons())


def has(text: str) -> Callable[[FakeMessage], bool]:
    return lambda m: text in txt(m)


async def open_profile(bot: RunningBot, fake: FakeTelegram, user_id: int = USER, locale: str = "ru") -> FakeMessage:
    user = fake.user(user_id)
    await user.send_text("/profile")
    return await user.wait_for_message(is_card(bot, locale))


async def row(bot: RunningBot, user_id: int = USER) -> Volunteer | None:
    async with bot.services.db.sessionmaker() as session:
        return await session.scalar(select(Volunteer).where(Volunteer.telegram_id == user_id))


async def row_by_id(bot: RunningBot, volunteer_id: int) -> Volunteer:
    async with bot.services.db.sessionmaker() as session:
        volunteer = await session.get(Volunteer, volunteer_id)
        assert volunteer is not None
        return volunteer


async def answer_of(fake: FakeTelegram, callback_id: str) -> dict:
    record = fake.callback_queries[callback_id]
    found = await fake.notifier.wait_until(lambda: record.answer, 5.0)
    assert found is not None, "the callback query was not answered"
    return found


async def assert_clean(fake: FakeTelegram) -> None:
    """Every request would have been accepted by Telegram, and every press was answered."""
    await fake.wait_idle()
    rejected = [(c.method, c.error_code, c.description) for c in fake.calls if not c.ok]
    assert rejected == [], rejected
    assert [r.data for r in fake.unanswered_callbacks()] == []


# --- the card ----------------------------------------------------------------------------


async def test_profile_in_russian_shows_every_field_html_escaped(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot, name="<b>& Co", locale="ru")
    card = await open_profile(bot, fake)
    text = txt(card)
    assert text.startswith("👤 Мой профиль")
    assert "<b>& Co" in text  # shown as typed, not parsed as HTML
    assert "+7 701 123 45 67" in text and "1990" in text and "Медеу" in text
    assert "Алматы" in text  # KZ-75, translated
    assert "Здравоохранение, Экология" in text  # catalog order, translated
    assert t(bot, "IT") in text and t(bot, "Weekends") in text
    assert f"{t(bot, 'Kazakh')}, {t(bot, 'Russian')}" in text
    assert "Русский" in text  # interface language
    assert f"{t(bot, 'Status')}: ✅ {t(bot, 'active')}" in text
    assert f"{t(bot, 'Registered since')}: 2 марта 2026 г." in text
    buttons = card.button_texts()
    for label in ("Full name", "Phone", "Year of birth", "Region", "City or district", "Directions", "Skills",
                  "Availability", "Languages", "Interface language"):
        assert "✏️ " + t(bot, label) in buttons
    assert "⏸ " + t(bot, "Pause notifications") in buttons
    assert "🗑 Удалить мои данные" in buttons
    assert "⬅️ Назад" in buttons
    # The entity really is bold text around the label, and the name is plain text.
    assert card.source is not None and "&lt;b&gt;&amp; Co" in card.source
    await assert_clean(fake)


async def test_profile_in_kazakh_from_the_menu_button(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot, name="Ержан <i>", locale="kk")
    user = fake.user(USER, language_code="ru")  # the stored choice (kk) wins over the phone's language
    await user.send_text("/start")
    await user.wait_for_message(lambda m: "👤 Менің профилім" in m.button_texts())
    await user.press("👤 Менің профилім")
    card = await user.wait_for_message(is_card(bot, "kk"))
    text = txt(card)
    assert text.startswith("👤 Менің профилім")
    assert "Ержан <i>" in text
    assert "Денсаулық сақтау" in text and "Алматы" in text
    assert "Қазақша" in text
    assert f"{t(bot, 'Registered since', 'kk')}: 2026 ж. 2 наурыз" in text
    assert "🗑 Деректерімді жою" in card.button_texts()
    await user.press("⬅️ Артқа")
    menu = await user.wait_for_message(lambda m: "👤 Менің профилім" in m.button_texts())
    assert menu.message_id > card.message_id
    await assert_clean(fake)


async def test_someone_not_registered_is_asked_to_register_first(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(USER, language_code="ru")
    await user.send_text("/profile")
    reply = await user.wait_for_message()
    assert reply.text == "Вы ещё не зарегистрированы. Отправьте /start, чтобы зарегистрироваться волонтёром." or (
        reply.text == t(bot, "You are not registered yet. Send /start to register as a volunteer.")
    )
    assert "/start" in (reply.text or "")
    assert not reply.buttons()
    await assert_clean(fake)


# --- editing -----------------------------------------------------------------------------


async def test_edit_the_name_rejects_bad_input_and_saves_a_good_one(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Full name"))
    question = t(bot, "What is your full name? Please type your first and last name.")
    await user.wait_for_message(has(question))
    await user.send_text("7")
    await user.wait_for_message(has(question))  # a hint, and the question again
    assert (await row(bot)).full_name == "Айгерім Нұрланқызы"
    await user.send_sticker()
    await user.wait_for_message(has(t(bot, "I can only read text here. Please type your answer.")))
    await user.send_text("Нұрсұлтан")  # one word: a surname is needed too
    await user.wait_for_message(has(t(bot, "Please type your first name and your surname, for example “Aigerim "
                                           "Nurlanova”: the coordinators need both to tell volunteers apart.")))
    await user.send_text("  Нұрсұлтан   <Әбішұлы> & Co ")
    card = await user.wait_for_message(is_card(bot, saved=True))  # one message: "Saved." and the card
    assert "Нұрсұлтан <Әбішұлы> & Co" in txt(card)
    assert (await row(bot)).full_name == "Нұрсұлтан <Әбішұлы> & Co"
    # The dialog is over: more text is not taken as a name.
    await user.send_text("Someone Else")
    await user.wait_for_message()
    assert (await row(bot)).full_name == "Нұрсұлтан <Әбішұлы> & Co"
    await assert_clean(fake)


async def test_edit_the_phone_typed_invalid_taken_and_valid(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    await register(bot, OTHER, phone="+77017654321", name="Other Person")
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Phone"))
    question = await user.wait_for_message(has(PHONE_QUESTION(bot)))
    # One message: the question, with Share my contact, Back and Cancel on its reply keyboard.
    assert user.reply_keyboard is question
    assert question.button_texts() == ["📱 " + t(bot, "Share my contact"), "⬅️ Назад", "✖️ " + t(bot, "Cancel")]

    await user.send_text("12345")
    await user.wait_for_message(has(PHONE_QUESTION(bot)))
    assert (await row(bot)).phone == "+77011234567"

    await user.send_text("8 701 765 43 21")  # the other volunteer's number
    taken = await user.wait_for_message(has(t(bot, "This phone number is already registered to another Telegram account. "
                                                 "Please enter a different number, or ask a coordinator for help.")))
    assert taken is not None
    assert (await row(bot)).phone == "+77011234567"
    assert (await row(bot, OTHER)).phone == "+77017654321"

    await user.send_text("8 (701) 555-44-33")
    await user.wait_for_message(has("✅ " + t(bot, "Saved.")))
    card = await user.wait_for_message(is_card(bot))
    assert "+7 701 555 44 33" in txt(card)
    assert (await row(bot)).phone == "+77015554433"
    assert main_keyboard_shown(bot, user)  # the contact keyboard gave way to the main one
    await assert_clean(fake)


async def test_edit_the_phone_with_a_shared_contact(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Phone"))
    await user.wait_for_message(has(PHONE_QUESTION(bot)))
    await user.send_contact("+7 702 111 22 33", user_id=OTHER)  # someone else's card: refused
    await user.wait_for_message(has(PHONE_QUESTION(bot)))
    assert (await row(bot)).phone == "+77011234567"
    await user.send_contact("77021112233")
    await user.wait_for_message(is_card(bot))
    assert (await row(bot)).phone == "+77021112233"
    await assert_clean(fake)


async def test_edit_the_region_typed_or_tapped(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    card = await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Region"))
    question = await user.wait_for_message(has(t(bot, "Which region do you live in?")))
    assert question.message_id == card.message_id  # the card became the question
    await user.send_text("Шымкент")  # typed: understood
    card = await user.wait_for_message(is_card(bot, saved=True))
    assert "Шымкент" in txt(card)
    assert (await row(bot)).region == "KZ-79"

    # "Алматы" is the city or the region around it: asked with buttons.
    await user.press("✏️ " + t(bot, "Region"))
    await user.wait_for_message(has(t(bot, "Which region do you live in?")))
    await user.send_text("алматы")
    confirm = await user.wait_for_message(has(t(bot, "{typed} can mean more than one region. Which one?").format(
        typed="«алматы»")))
    assert confirm.button_texts()[:3] == ["Алматы", "Алматинская область", "🗺 " + t(bot, "All regions")]
    assert (await row(bot)).region == "KZ-79"  # nothing saved before the choice
    await user.press("Алматинская область")
    card = await user.wait_for_message(is_card(bot, saved=True))
    assert card.message_id == confirm.message_id and "Алматинская область" in txt(card)
    assert (await row(bot)).region == "KZ-19"

    # A place that is no region: said so, nothing changes; then a tap still works.
    await user.press("✏️ " + t(bot, "Region"))
    await user.wait_for_message(has(t(bot, "Which region do you live in?")))
    await user.send_text("Москва <b>")
    refusal = await user.wait_for_message(has(t(bot, "Which region do you live in?")))
    assert "«Москва <b>»" in txt(refusal) and "«Москва &lt;b&gt;»" in refusal.source
    await user.press("Астана")
    await user.wait_for_message(is_card(bot, saved=True))
    assert (await row(bot)).region == "KZ-71"
    await assert_clean(fake)


async def test_edit_directions_multi_select(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Directions"))
    question = await user.wait_for_message(has(t(bot, "Which directions interest you? Tick one or more, then press Done.")))
    buttons = question.button_texts()
    assert "✅ Экология" in buttons and "✅ Здравоохранение" in buttons and "Образование" in buttons

    await user.press("✅ Экология")
    await user.wait_for_message(lambda m: "Экология" in m.button_texts())
    await user.press("✅ Здравоохранение")
    await user.wait_for_message(lambda m: "Здравоохранение" in m.button_texts())
    pressed = await user.press(t(bot, "Done ➡️"))  # nothing ticked: refused with a hint
    answer = await answer_of(fake, pressed)
    assert answer.get("show_alert") and answer["text"] == t(bot, "Please choose at least one option, then press Done.")
    assert sorted((await row(bot)).directions) == ["ecology", "health"]

    await user.press("Образование")
    await user.wait_for_message(lambda m: "✅ Образование" in m.button_texts())
    await user.press("Уход за пожилыми" if "Уход за пожилыми" in user.button_texts() else t(bot, "Elderly care"))
    await user.wait_for_message(lambda m: "✅ " + t(bot, "Elderly care") in m.button_texts())
    await user.press(t(bot, "Done ➡️"))
    card = await user.wait_for_message(is_card(bot, saved=True))
    assert card.message_id == question.message_id  # the question became the card again
    assert f"{t(bot, 'Elderly care')}, Образование" in txt(card)
    assert sorted((await row(bot)).directions) == ["education", "elderly"]

    # Typed names tick; "готово" finishes.
    await user.press("✏️ " + t(bot, "Directions"))
    await user.wait_for_message(has(t(bot, "Which directions interest you? Tick one or more, then press Done.")))
    await user.send_text("здоровье, ЧС")
    ticked = await user.wait_for_message(has("✅ " + t(bot, "Ticked: {names}.").format(names="Здравоохранение, ЧС и поиск людей")))
    assert {"✅ Здравоохранение", "✅ ЧС и поиск людей", "✅ Образование"} <= set(ticked.button_texts())
    assert sorted((await row(bot)).directions) == ["education", "elderly"]  # not saved yet
    await user.send_text("Готово")
    await user.wait_for_message(is_card(bot, saved=True))
    assert sorted((await row(bot)).directions) == ["education", "elderly", "emergency", "health"]
    await assert_clean(fake)


async def test_back_from_an_edit_returns_to_the_profile_unchanged(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Phone"))
    question = await user.wait_for_message(has(PHONE_QUESTION(bot)))
    await user.send_text("⬅️ Назад")  # the reply keyboard's Back
    await user.wait_for_message(is_card(bot))
    assert main_keyboard_shown(bot, user)  # not "Share my contact" any more
    assert (await row(bot)).phone == "+77011234567"
    # No edit is open any more: a number typed now changes nothing.
    await user.send_text("+7 701 999 88 77")
    await user.wait_for_message()
    assert (await row(bot)).phone == "+77011234567"

    # A Back button on the closed question, pressed anyway: answered as stale, nothing changes.
    pressed = await user.press_data(NavCb(action="back").pack(), question.message_id)
    assert (await answer_of(fake, pressed))["show_alert"]
    assert (await row(bot)).phone == "+77011234567"

    await user.press("✏️ " + t(bot, "City or district"))
    await user.wait_for_message(has(t(bot, "Which city, town or district? Type it, or press Skip.")))
    await user.press(t(bot, "Skip ➡️"))
    card = await user.wait_for_message(is_card(bot, saved=True))
    assert (await row(bot)).city is None
    assert f"{t(bot, 'City or district')}: —" in txt(card)
    await assert_clean(fake)


async def test_interface_language_points_to_the_language_command(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await open_profile(bot, fake)
    pressed = await user.press("✏️ " + t(bot, "Interface language"))
    answer = await answer_of(fake, pressed)
    assert "/language" in answer["text"]
    await assert_clean(fake)


async def test_a_birth_year_under_18_needs_a_guardian(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    card = await open_profile(bot, fake)
    assert "✏️ " + t(bot, "Parent or guardian") not in card.button_texts()  # an adult has none
    await user.press("✏️ " + t(bot, "Year of birth"))
    await user.wait_for_message(has(t(bot, YEAR_QUESTION)))
    await user.send_text("2011")  # 15 in 2026
    await user.wait_for_message(lambda m: "✅ " + t(bot, "My parent/guardian agrees") in m.button_texts())
    await user.press(t(bot, "No"))
    refused = t(bot, "Without a guardian's consent I cannot record this year of birth, so nothing was changed. "
                     "Talk to your parent or guardian and try again.")
    await user.wait_for_message(lambda m: txt(m).startswith(refused) and "👤 Мой профиль" in txt(m))
    volunteer = await row(bot)
    assert volunteer.birth_year == 1990 and volunteer.guardian_consent_at is None

    await user.press("✏️ " + t(bot, "Year of birth"))
    await user.wait_for_message(has(t(bot, YEAR_QUESTION)))
    await user.send_text("15 лет")  # an age: confirmed as a year
    await user.wait_for_message(has(t(bot, "You are {age}, so you were born in {year}. Is that right?").format(
        age=15, year=2011)))
    await user.press("✅ " + t(bot, "Yes, {year}").format(year=2011))
    await user.wait_for_message(lambda m: "✅ " + t(bot, "My parent/guardian agrees") in m.button_texts())
    await user.press("✅ " + t(bot, "My parent/guardian agrees"))
    await user.wait_for_message(has(t(bot, GUARDIAN_NAME_QUESTION)))
    assert (await row(bot)).birth_year == 1990  # nothing stored before the guardian is complete
    await user.send_text("Гүлнар Сәрсенова")
    await user.wait_for_message(has(t(bot, GUARDIAN_PHONE_QUESTION)))
    await user.send_text("+7 701 123 45 67")  # the volunteer's own number: refused
    await user.wait_for_message(has(t(bot, GUARDIAN_PHONE_QUESTION)))
    await user.send_text("8 777 000 11 22")
    card = await user.wait_for_message(is_card(bot, saved=True))
    assert f"{t(bot, 'Parent or guardian')}: Гүлнар Сәрсенова, +7 777 000 11 22" in txt(card)
    volunteer = await row(bot)
    assert volunteer.birth_year == 2011 and volunteer.guardian_consent_at is not None
    assert (volunteer.guardian_name, volunteer.guardian_phone) == ("Гүлнар Сәрсенова", "+77770001122")

    # The guardian is editable from the card.
    await user.press("✏️ " + t(bot, "Parent or guardian"))
    await user.wait_for_message(has(t(bot, GUARDIAN_NAME_QUESTION)))
    await user.send_text("Ерлан Сәрсенов")
    await user.wait_for_message(has(t(bot, GUARDIAN_PHONE_QUESTION)))
    await user.send_text("+7 777 000 11 33")
    await user.wait_for_message(is_card(bot, saved=True))
    volunteer = await row(bot)
    assert (volunteer.guardian_name, volunteer.guardian_phone) == ("Ерлан Сәрсенов", "+77770001133")
    await assert_clean(fake)


async def test_spoken_languages_are_edited_apart_from_the_interface_language(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)  # speaks kk and ru, the interface is ru
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("✏️ " + t(bot, "Languages"))
    question = await user.wait_for_message(has(t(bot, LANGUAGES_QUESTION)))
    assert {"✅ " + t(bot, "Kazakh"), "✅ " + t(bot, "Russian"), t(bot, "English")} <= set(question.button_texts())
    await user.press("✅ " + t(bot, "Russian"))  # untick Russian
    await user.wait_for_message(lambda m: t(bot, "Russian") in m.button_texts())
    await user.send_text("узбекский, немецкий")  # other languages by name
    ticked = await user.wait_for_message(has(t(bot, "Ticked: {names}.").format(names="Узбекский, Немецкий")))  # as typed
    assert {"✅ Узбекский", "✅ Немецкий"} <= set(ticked.button_texts())
    await user.press("✅ Немецкий")  # a typed language can be unticked like the others (its button goes)
    await user.wait_for_message(lambda m: "✅ Немецкий" not in m.button_texts() and "✅ Узбекский" in m.button_texts())
    await user.press(t(bot, "Done ➡️"))
    card = await user.wait_for_message(is_card(bot, saved=True))
    assert f"{t(bot, 'Languages')}: {t(bot, 'Kazakh')}, Узбекский" in txt(card)
    assert f"{t(bot, 'Interface language')}: Русский" in txt(card)
    volunteer = await row(bot)
    assert volunteer.languages == ["kk", "uz"] and volunteer.locale == "ru"
    await assert_clean(fake)


# --- pausing -----------------------------------------------------------------------------


async def pause_menu(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("⏸ " + t(bot, "Pause notifications"))
    await user.wait_for_message(lambda m: t(bot, "1 week") in m.button_texts())


async def test_pause_for_a_week(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await pause_menu(bot, fake)
    await user.press(t(bot, "1 week"))
    card = await user.wait_for_message(is_card(bot))
    volunteer = await row(bot)
    assert volunteer.status == VolunteerStatus.PAUSED
    # Monday 2 March + 1 week: offers start again at local midnight of 9 March (UTC+5).
    assert volunteer.paused_until == datetime(2026, 3, 8, 19, 0, tzinfo=timezone.utc)
    assert "9 марта 2026 г." in txt(card)
    assert "▶️ " + t(bot, "Resume notifications") in card.button_texts()
    await assert_clean(fake)


async def test_pause_until_resumed_then_resume(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await pause_menu(bot, fake)
    await user.press(t(bot, "Until I resume"))
    card = await user.wait_for_message(is_card(bot))
    assert t(bot, "paused until you resume") in txt(card)
    volunteer = await row(bot)
    assert volunteer.status == VolunteerStatus.PAUSED and volunteer.paused_until is None

    resume_data = next(b["callback_data"] for b in card.buttons() if b["text"].startswith("▶️"))
    await user.press("▶️ " + t(bot, "Resume notifications"))
    card2 = await user.wait_for_message(is_card(bot))
    assert f"✅ {t(bot, 'active')}" in txt(card2)
    volunteer = await row(bot)
    assert volunteer.status == VolunteerStatus.ACTIVE and volunteer.paused_until is None

    # The resume button of the old card, pressed again: answered, nothing changes.
    pressed = await user.press_data(resume_data, card.message_id)
    answer = await answer_of(fake, pressed)
    assert answer["text"] == t(bot, "Task offers are already on.")
    assert (await row(bot)).status == VolunteerStatus.ACTIVE
    await assert_clean(fake)


async def test_a_typed_date_in_the_past_or_a_sticker_is_asked_again(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await pause_menu(bot, fake)
    await user.press("📅 " + t(bot, "Type a date"))
    await user.wait_for_message(has("16.03.2026"))  # the example in the question: two weeks from today

    await user.send_text("01.03.2026")
    await user.wait_for_message(has(t(bot, "That date has already passed. Please type a later one.")))
    await user.send_text("02.03.2026")  # today is not in the future either
    await user.wait_for_message(has(t(bot, "That date has already passed. Please type a later one.")))
    await user.send_sticker()
    await user.wait_for_message(has(t(bot, "I can only read text here. Please type your answer.")))
    await user.send_text("someday")
    await user.wait_for_message(has(t(bot, "I could not read that date.")))
    await user.send_text("03.03.2027")
    await user.wait_for_message(has("02.03.2027"))  # at most a year ahead
    assert (await row(bot)).status == VolunteerStatus.ACTIVE

    await user.send_text("15.04.2026")
    card = await user.wait_for_message(is_card(bot))
    volunteer = await row(bot)
    assert volunteer.status == VolunteerStatus.PAUSED
    assert volunteer.paused_until == datetime(2026, 4, 14, 19, 0, tzinfo=timezone.utc)
    assert "15 апреля 2026 г." in txt(card)
    await assert_clean(fake)


async def test_a_lapsed_pause_is_lifted(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    await register(bot)
    user = fake.user(USER)
    await pause_menu(bot, fake)
    await user.press(t(bot, "2 weeks"))
    await user.wait_for_message(is_card(bot))
    assert (await row(bot)).status == VolunteerStatus.PAUSED

    clock.advance(days=13, hours=12)  # 15 March, 23:00 in Almaty: still paused
    card = await open_profile(bot, fake)
    assert "16 марта 2026 г." in txt(card)
    clock.advance(hours=1)  # local midnight of 16 March has passed
    card = await open_profile(bot, fake)
    assert f"✅ {t(bot, 'active')}" in txt(card)
    volunteer = await row(bot)
    assert volunteer.status == VolunteerStatus.ACTIVE and volunteer.paused_until is None
    await assert_clean(fake)


# --- deleting ----------------------------------------------------------------------------


async def test_delete_me_with_confirmation_erases_personal_data(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    volunteer_id = (await row(bot)).id
    user = fake.user(USER)
    await user.send_text("/delete_me")
    question = await user.wait_for_message(lambda m: "🗑 " + t(bot, "Yes, delete") in m.button_texts())
    assert txt(question).startswith("Удалить ваши данные?") or txt(question).startswith(
        shown(t(bot, "<b>Delete your data?</b>"))
    )
    confirm = next(b["callback_data"] for b in question.buttons() if b["text"].startswith("🗑"))
    await user.press("🗑 " + t(bot, "Yes, delete"))
    goodbye = await user.wait_for_message(has("/start"))
    assert goodbye.text == t(
        bot,
        "Your personal data has been deleted. Thank you for everything you have done as a volunteer!\n\n"
        "You can register again at any time with /start.",
    )

    erased = await row_by_id(bot, volunteer_id)
    assert erased.status == VolunteerStatus.DELETED and erased.deleted_at is not None
    assert (erased.telegram_id, erased.full_name, erased.phone, erased.city, erased.birth_year) == (None,) * 5
    assert erased.region == "KZ-75" and sorted(erased.directions) == ["ecology", "health"]
    async with bot.services.db.sessionmaker() as session:
        kept = await session.get(TelegramUser, USER)
        assert kept is not None and kept.locale == "ru"  # only the chat's language choice stays
    assert await bot.services.volunteers.get(USER) is None

    # The confirm button once more (a double tap, a redelivery): answered, nothing changes.
    pressed = await user.press_data(confirm, question.message_id)
    answer = await answer_of(fake, pressed)
    assert answer["text"] == t(bot, "There is nothing to delete: your data is already erased.")
    assert (await row_by_id(bot, volunteer_id)).deleted_at == erased.deleted_at
    async with bot.services.db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Volunteer)) == 1

    # /profile and /delete_me now say there is nothing here.
    await user.send_text("/profile")
    assert "/start" in ((await user.wait_for_message()).text or "")
    await assert_clean(fake)


async def test_no_keep_keeps_everything(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    user = fake.user(USER)
    await open_profile(bot, fake)
    await user.press("🗑 " + t(bot, "Delete my data"))
    await user.wait_for_message(lambda m: t(bot, "No, keep") in m.button_texts())
    await user.press(t(bot, "No, keep"))
    await user.wait_for_message(has(t(bot, "Good, nothing was deleted.")))
    await user.wait_for_message(is_card(bot))
    volunteer = await row(bot)
    assert volunteer is not None and volunteer.status == VolunteerStatus.ACTIVE
    assert volunteer.full_name == "Айгерім Нұрланқызы" and volunteer.phone == "+77011234567"
    assert await bot.services.users.locale_of(USER) == "ru"
    await assert_clean(fake)


async def test_after_deletion_the_person_registers_again_as_a_new_record(bot: RunningBot, fake: FakeTelegram) -> None:
    await register(bot)
    old_id = (await row(bot)).id
    user = fake.user(USER, language_code="ru")
    await user.send_text("/delete_me")
    await user.wait_for_message(lambda m: "🗑 " + t(bot, "Yes, delete") in m.button_texts())
    await user.press("🗑 " + t(bot, "Yes, delete"))
    await user.wait_for_message(has("/start"))

    # /start begins the registration in the language chosen before, which the chat keeps
    # (even though the phone is now in English); the whole dialog creates a new record.
    user.language_code = "en"
    dialog = Dialog(bot, fake, USER, locale="ru", language_code="en")
    await dialog.say("/start", CONSENT)
    await dialog.tap("✅ " + dialog.t("I agree"), ASK_NAME)
    await dialog.say("Aigerim Nurlanovna", ASK_PHONE)
    await dialog.say("+7 701 234 56 78", ASK_YEAR)
    await dialog.say("1990", ASK_REGION)
    await dialog.finish_from_region()
    await dialog.confirm()
    assert (await row(bot)).locale == "ru"
    new = await row(bot)
    assert new is not None and new.id != old_id
    assert new.status == VolunteerStatus.ACTIVE and new.full_name == "Aigerim Nurlanovna"
    old = await row_by_id(bot, old_id)
    assert (old.telegram_id, old.full_name, old.phone) == (None, None, None)
    assert old.status == VolunteerStatus.DELETED and old.region == "KZ-75"
    card = await open_profile(bot, fake)
    assert "Aigerim Nurlanovna" in txt(card)
    await assert_clean(fake)
