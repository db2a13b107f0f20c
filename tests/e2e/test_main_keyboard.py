"""The persistent main keyboard (per role, in the person's language, its presses doing
what the commands do, also in the middle of a dialog) and the first greeting."""

from __future__ import annotations

import pytest

from emulator import FakeTelegram
from tests.support.e2e import ADMIN_ID, RunningBot
from tests.support.menus import (
    admin_keyboard,
    coordinator_keyboard,
    keyboard,
    press_keyboard,
    register,
    t,
    volunteer_keyboard,
)
from tests.support.registration import HELLO, LANGUAGE_BUTTON, MENU

NO_SIGNUPS = "You have no upcoming sign-ups. See /tasks for tasks that match you."
NO_TASKS = "No open tasks match you right now. New ones will come to you as soon as they appear."
ASK_FULL_NAME = "What is your full name? Please type your first and last name."


def text_is(expected: str):  # noqa: ANN201
    return lambda m: m.text == expected


async def test_each_volunteer_button_does_what_its_command_does(bot: RunningBot, fake: FakeTelegram) -> None:
    dialog = await register(bot, fake, 8101, "kk", language_code="ru")
    user = dialog.user
    shown = user.reply_keyboard
    assert shown is not None and shown.reply_markup["is_persistent"] is True
    assert shown.reply_markup["resize_keyboard"] is True
    assert keyboard(user) == volunteer_keyboard(bot, "kk")
    tasks, mine, profile, menu = volunteer_keyboard(bot, "kk")

    await press_keyboard(user, tasks)
    await user.wait_for_message(text_is(t(bot, NO_TASKS, "kk")))
    await press_keyboard(user, mine)
    await user.wait_for_message(text_is(t(bot, NO_SIGNUPS, "kk")))
    await press_keyboard(user, profile)
    card = await user.wait_for_message(lambda m: (m.text or "").startswith(profile))
    assert "Aigerim Nurlanovna" in card.text
    await press_keyboard(user, menu)
    await user.wait_for_message(text_is(t(bot, MENU, "kk")))
    assert keyboard(user) == volunteer_keyboard(bot, "kk")  # nothing took it away


async def test_coordinator_and_admin_buttons(bot: RunningBot, fake: FakeTelegram) -> None:
    await bot.services.access.grant(8201, "coordinator", region="KZ-75")
    coordinator = (await register(bot, fake, 8201, "ru")).user
    assert keyboard(coordinator) == coordinator_keyboard(bot, "ru")
    new_task, my_tasks, _, _ = coordinator_keyboard(bot, "ru")
    await press_keyboard(coordinator, my_tasks)
    await coordinator.wait_for_message(text_is(t(bot, "You have no tasks yet. Create one with /newtask.", "ru")))
    await press_keyboard(coordinator, new_task)
    title = t(bot, "What is the task? Type a short title ({min} to {max} characters).", "ru").format(min=3, max=200)
    await coordinator.wait_for_message(lambda m: title in (m.text or ""))

    admin = (await register(bot, fake, ADMIN_ID, "en", phone="+7 701 900 00 01")).user
    assert keyboard(admin) == admin_keyboard(bot, "en")
    # Some apps send the shield with its emoji variation selector.
    await admin.send_text("🛡\ufe0f Administration")
    await admin.wait_for_message(lambda m: "Invite a coordinator" in "".join(m.button_texts()))
    assert all(call.ok for call in fake.calls)


async def test_a_button_pressed_in_the_middle_of_a_dialog_leaves_it_and_acts(bot: RunningBot, fake: FakeTelegram) -> None:
    dialog = await register(bot, fake, 8301, "ru")
    user = dialog.user
    _, mine, _, _ = volunteer_keyboard(bot, "ru")
    await user.send_text("/profile")
    await user.wait_for_message(lambda m: "✏️ " + t(bot, "Full name", "ru") in m.button_texts())
    await user.press("✏️ " + t(bot, "Full name", "ru"))
    await user.wait_for_message(lambda m: t(bot, ASK_FULL_NAME, "ru") in (m.text or ""))

    await press_keyboard(user, mine)
    cancelled = await user.wait_for_message(text_is(t(bot, "Cancelled.", "ru")))
    answer = await user.wait_for_message(text_is(t(bot, NO_SIGNUPS, "ru")))
    assert answer.message_id > cancelled.message_id
    # The edit is over: a name typed now is not taken as one.
    await user.send_text("Иван Петров")
    await user.wait_for_message(text_is(t(bot, "I did not understand that. Use the menu below or send /help.", "ru")))
    assert (await bot.services.volunteers.get(8301)).full_name == "Aigerim Nurlanovna"

    # Inside a dialog a label typed without its icon is an answer like any other...
    await user.send_text("/profile")
    await user.wait_for_message(lambda m: "✏️ " + t(bot, "Full name", "ru") in m.button_texts())
    await user.press("✏️ " + t(bot, "Full name", "ru"))
    await user.wait_for_message(lambda m: t(bot, ASK_FULL_NAME, "ru") in (m.text or ""))
    await user.send_text("Мои записи")
    await user.wait_for_message(lambda m: (m.text or "").startswith("✅ " + t(bot, "Saved.", "ru")))
    assert (await bot.services.volunteers.get(8301)).full_name == "Мои записи"
    # ...and outside one it works as the button does, typed loosely.
    await user.send_text("  мои   ЗАПИСИ ")
    await user.wait_for_message(text_is(t(bot, NO_SIGNUPS, "ru")))


async def test_the_keyboard_follows_the_language_and_old_buttons_still_work(bot: RunningBot, fake: FakeTelegram) -> None:
    user = (await register(bot, fake, 8401, "en")).user
    old_tasks = volunteer_keyboard(bot, "en")[0]
    await user.send_text("/language")
    await user.wait_for_message(lambda m: "Русский" in m.button_texts())
    await user.press("Русский")
    changed = await user.wait_for_message(lambda m: (m.text or "").startswith("Язык интерфейса изменён"))
    assert changed.button_texts() == volunteer_keyboard(bot, "ru")  # sent with the news
    await user.send_text(old_tasks)  # an English button from before, e.g. on another device
    await user.wait_for_message(text_is(t(bot, NO_TASKS, "ru")))


async def test_the_contact_keyboard_gives_way_to_the_main_one(bot: RunningBot, fake: FakeTelegram) -> None:
    user = (await register(bot, fake, 8501, "ru")).user
    await user.send_text("/profile")
    await user.wait_for_message(lambda m: "✏️ " + t(bot, "Phone", "ru") in m.button_texts())
    await user.press("✏️ " + t(bot, "Phone", "ru"))
    await user.wait_for_message(lambda m: "📱 " + t(bot, "Share my contact", "ru") in m.button_texts())
    assert keyboard(user)[0] == "📱 " + t(bot, "Share my contact", "ru")
    await user.send_text("/cancel")
    await user.wait_for_message(text_is(t(bot, MENU, "ru")))
    assert keyboard(user) == volunteer_keyboard(bot, "ru")
    # Saving a shared contact brings it back too.
    await user.send_text("/profile")
    await user.wait_for_message(lambda m: "✏️ " + t(bot, "Phone", "ru") in m.button_texts())
    await user.press("✏️ " + t(bot, "Phone", "ru"))
    await user.wait_for_message(lambda m: "📱 " + t(bot, "Share my contact", "ru") in m.button_texts())
    await user.press("📱 " + t(bot, "Share my contact", "ru"))
    await user.wait_for_message(text_is("✅ " + t(bot, "Saved.", "ru")))
    assert keyboard(user) == volunteer_keyboard(bot, "ru")


@pytest.mark.parametrize("language_code", ["de", None])
async def test_someone_whose_app_speaks_none_of_the_three_is_greeted_in_all_three(
    bot: RunningBot, fake: FakeTelegram, language_code: str | None
) -> None:
    user = fake.user(8601, language_code=language_code)
    greeting = await user.ask("/start", lambda m: LANGUAGE_BUTTON["kk"] in m.button_texts())
    assert greeting.text.splitlines() == [t(bot, HELLO, "kk"), t(bot, HELLO, "ru"), t(bot, HELLO, "en")]
    assert greeting.text.splitlines()[1] == "👋 Здравствуйте! Я Birge, бот для волонтёров. Выберите язык:"
    assert greeting.button_texts()[:3] == [LANGUAGE_BUTTON["kk"], LANGUAGE_BUTTON["ru"], LANGUAGE_BUTTON["en"]]
    # /start again on the same step asks it the same way.
    again = await user.ask("/start", lambda m: LANGUAGE_BUTTON["kk"] in m.button_texts())
    assert again.text == greeting.text
    await user.press(LANGUAGE_BUTTON["ru"])
    consent = await user.wait_for_message(lambda m: "✅ " + t(bot, "I agree", "ru") in m.button_texts())
    assert consent.text.startswith("Birge")


async def test_someone_whose_app_speaks_russian_is_greeted_in_russian(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(8602, language_code="ru")
    greeting = await user.ask("/start", lambda m: LANGUAGE_BUTTON["kk"] in m.button_texts())
    assert greeting.text == t(bot, HELLO, "ru")
