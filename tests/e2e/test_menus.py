"""Each person's command menu and /help, by role and in the language they chose, kept in
step when they register, change language, get or lose a role (also from the command
line, while the bot runs), open an invite link or delete their data — with as few
Telegram calls as that takes."""

from __future__ import annotations

from pathlib import Path

from emulator import FakeTelegram
from tests.support.e2e import ADMIN_ID, RunningBot
from tests.support.menus import (
    ADMIN_COMMANDS,
    COORDINATOR_COMMANDS,
    VOLUNTEER_COMMANDS,
    admin_keyboard,
    chat_menu_calls,
    coordinator_keyboard,
    keyboard,
    names,
    register,
    run_cli,
    t,
    volunteer_keyboard,
)
from tests.support.registration import ASK_NAME, ASK_PHONE, ASK_REGION, ASK_YEAR, CONSENT, MENU, Dialog


async def test_a_volunteer_sees_their_commands_in_the_language_they_chose(bot: RunningBot, fake: FakeTelegram) -> None:
    dialog = await register(bot, fake, 7101, "kk", language_code="ru")
    user = dialog.user
    menu = fake.menu_seen_by(7101)  # the app is in Russian; the person chose Kazakh
    assert names(menu) == VOLUNTEER_COMMANDS  # no /newtask, /mytasks, /admin
    assert [c["description"] for c in menu][:2] == [t(bot, "Main menu or registration", "kk"), "Маған сай тапсырмалар"]
    # Set once, when the language was chosen; registering changed nothing in the menu.
    assert len(chat_menu_calls(fake, 7101)) == 1
    assert "language_code" not in chat_menu_calls(fake, 7101)[0].params  # a chat list for any app language

    await user.send_text("/language")
    await user.wait_for_message(lambda m: "English" in m.button_texts())
    await user.press("English")
    await user.wait_for_message(lambda m: m.text == "The language is now English.")
    assert fake.menu_seen_by(7101)[1]["description"] == "Tasks for me"
    assert fake.menu_seen_by(7101, "kk")[1]["description"] == "Tasks for me"
    assert len(chat_menu_calls(fake, 7101)) == 2
    assert keyboard(user) == volunteer_keyboard(bot, "en")

    # The same language again, and ordinary updates: no more calls.
    await user.send_text("/language")
    await user.wait_for_message(lambda m: "English" in m.button_texts())
    await user.press("English")
    await user.wait_for_message(lambda m: m.text == MENU)
    await user.ask("/help")
    await fake.wait_idle()
    assert len(chat_menu_calls(fake, 7101)) == 2
    assert all(call.ok for call in fake.calls)


async def test_strangers_get_the_default_menus_and_no_list_of_their_own(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(7102, language_code="ru")
    await user.ask("/help")
    await fake.wait_idle()
    assert chat_menu_calls(fake, 7102) == []
    assert names(fake.menu_seen_by(7102)) == VOLUNTEER_COMMANDS
    assert fake.menu_seen_by(7102)[0]["description"] == t(bot, "Main menu or registration", "ru")
    assert fake.menu_seen_by(7102, "de")[0]["description"] == t(bot, "Main menu or registration", "kk")  # DEFAULT_LOCALE


async def test_a_role_from_the_command_line_reaches_the_person_at_their_next_update(
    bot: RunningBot, fake: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    dialog = await register(bot, fake, 7201, "ru")
    user = dialog.user
    calls = len(chat_menu_calls(fake, 7201))
    status, output = await run_cli(database_url, tmp_path, "roles", "grant", "7201", "coordinator", "--region", "KZ-75")
    assert status == 0, output

    await user.send_text("/help")
    notice = await user.wait_for_message(
        lambda m: m.text == t(bot, "You now have coordinator rights. The menu below has been updated.", "ru")
    )
    assert notice.button_texts() == coordinator_keyboard(bot, "ru")
    help_text = await user.wait_for_message(lambda m: "/newtask" in (m.text or ""))
    assert help_text.message_id > notice.message_id  # told before the answer
    assert t(bot, "For coordinators:", "ru") in help_text.text and "/admin" not in help_text.text
    assert names(fake.menu_seen_by(7201)) == COORDINATOR_COMMANDS
    assert len(chat_menu_calls(fake, 7201)) == calls + 1

    # Taken away in the middle of a dialog: the commands change at once, the keyboard
    # waits until the dialog is over (it would hide the dialog's own buttons).
    await user.send_text("/profile")
    await user.wait_for_message(lambda m: "✏️ " + t(bot, "Full name", "ru") in m.button_texts())
    await user.press("✏️ " + t(bot, "Full name", "ru"))
    question = t(bot, "What is your full name? Please type your first and last name.", "ru")
    await user.wait_for_message(lambda m: question in (m.text or ""))
    status, output = await run_cli(database_url, tmp_path, "roles", "revoke", "7201", "coordinator")
    assert status == 0, output
    await user.send_text("Айгерим Сапарова")
    await user.wait_for_message(lambda m: (m.text or "").startswith("✅ " + t(bot, "Saved.", "ru")))
    assert names(fake.menu_seen_by(7201)) == VOLUNTEER_COMMANDS
    assert keyboard(user) == coordinator_keyboard(bot, "ru")
    await user.send_text("/help")
    notice = await user.wait_for_message(
        lambda m: m.text == t(bot, "You no longer have coordinator rights. The menu below has been updated.", "ru")
    )
    assert keyboard(user) == volunteer_keyboard(bot, "ru")
    help_text = await user.wait_for_message(lambda m: "/tasks" in (m.text or ""))
    assert "/newtask" not in help_text.text
    # Once in step, nothing more is sent.
    await user.ask("/help")
    await fake.wait_idle()
    assert len(chat_menu_calls(fake, 7201)) == calls + 2
    notices = [m for m in user.messages if "The menu below" in (m.text or "") or "Меню внизу" in (m.text or "")]
    assert len(notices) == 2


async def test_an_admin_sees_every_command_and_help_by_role(bot: RunningBot, fake: FakeTelegram) -> None:
    dialog = await register(bot, fake, ADMIN_ID, "en")
    assert names(fake.menu_seen_by(ADMIN_ID)) == ADMIN_COMMANDS
    assert keyboard(dialog.user) == admin_keyboard(bot, "en")
    help_text = await dialog.user.ask("/help")
    lines = help_text.text.splitlines()
    assert lines[0] == "Birge connects volunteers with tasks that fit them: your region, your directions, your skills and your time."
    assert lines[2:] == [
        "/start — Main menu or registration",
        "/tasks — Tasks for me",
        "/my — My sign-ups",
        "/profile — My profile",
        "/certificate — Certificate of my hours",
        "/find — Ask a volunteer to check on someone",
        "/myrequests — My requests to check on someone",
        "/safe — Tell families I am safe",
        "/calls — Relay calls: the next person to call",
        "/verify — Check a certificate of hours",
        "/language — Change language",
        "/help — What Birge can do",
        "/cancel — Cancel the current step",
        "/delete_me — Delete my data",
        "",
        "For coordinators:",
        "/newtask — New task",
        "/mytasks — My tasks",
        "/callout — Urgent call-out of volunteers",
        "/emergency — Emergencies: declare, see, close",
        "/stats — Statistics and reports",
        "/reconnection — Family reconnection: counts",
        "",
        "For administrators:",
        "/admin — Administration",
    ]


async def test_help_lists_what_each_person_can_use(bot: RunningBot, fake: FakeTelegram) -> None:
    stranger = fake.user(7301, language_code="kk")
    text = (await stranger.ask("/help")).text
    assert ["/" + name in text for name in VOLUNTEER_COMMANDS] == [True] * len(VOLUNTEER_COMMANDS)
    assert "/newtask" not in text and "/admin" not in text
    assert t(bot, "Tasks for me", "kk") in text
    # A coordinator who has not registered as a volunteer: their commands, not a volunteer's.
    await bot.services.access.grant(7302, "coordinator", region="KZ-71")
    coordinator = fake.user(7302, language_code="en")
    text = (await coordinator.ask("/help")).text
    assert "/newtask — New task" in text and "/mytasks — My tasks" in text
    assert "/tasks" not in text and "/profile" not in text and "/delete_me" not in text
    assert names(fake.menu_seen_by(7302)) == ["start", "find", "myrequests", "safe", "newtask", "mytasks", "callout",
                                              "emergency", "stats", "reconnection", "verify", "language", "help",
                                              "cancel"]
    assert keyboard(coordinator) == []  # the reply keyboard is for registered people


async def test_an_invite_link_makes_a_coordinators_menu_at_once(bot: RunningBot, fake: FakeTelegram) -> None:
    dialog = await register(bot, fake, 7401, "ru")
    invite = await bot.services.access.create_invite(ADMIN_ID, "KZ-75")
    welcome = await dialog.user.ask(f"/start inv_{invite.code}", lambda m: "🎉" in (m.text or ""))
    assert welcome.button_texts() == coordinator_keyboard(bot, "ru")  # the keyboard comes with the news
    assert names(fake.menu_seen_by(7401)) == COORDINATOR_COMMANDS
    assert fake.menu_seen_by(7401)[COORDINATOR_COMMANDS.index("newtask")]["description"] == t(bot, "New task", "ru")


async def test_delete_me_takes_the_keyboard_keeps_the_language_and_registering_again_uses_it(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    dialog = await register(bot, fake, 7501, "ru", language_code="en")
    user = dialog.user
    assert keyboard(user) == volunteer_keyboard(bot, "ru")
    await user.send_text("/delete_me")
    await user.wait_for_message(lambda m: "🗑 " + t(bot, "Yes, delete", "ru") in m.button_texts())
    await user.press("🗑 " + t(bot, "Yes, delete", "ru"))
    goodbye = await user.wait_for_message(lambda m: "/start" in (m.text or ""))
    assert goodbye.reply_markup == {"remove_keyboard": True}
    assert keyboard(user) == []
    # The chat keeps the chosen language: its menu stays Russian, whatever the app's language.
    assert fake.menu_seen_by(7501)[0]["description"] == t(bot, "Main menu or registration", "ru")

    # Registering again: straight to the consent in Russian, then the keyboard is back.
    again = Dialog(bot, fake, 7501, locale="ru", language_code="en")
    await again.say("/start", CONSENT)
    await again.tap("✅ " + again.t("I agree"), ASK_NAME)
    await again.say("Айгерим Сапарова", ASK_PHONE)
    await again.say("+7 701 000 75 01", ASK_YEAR)
    await again.say("1990", ASK_REGION)
    await again.finish_from_region()
    await again.confirm()
    assert keyboard(user) == volunteer_keyboard(bot, "ru")
    assert names(fake.menu_seen_by(7501)) == VOLUNTEER_COMMANDS
    assert all(call.ok for call in fake.calls)
