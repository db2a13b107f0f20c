"""Helpers for the menu tests: people registered through the real dialog, what their chat
shows (command menu, reply keyboard), and the `birge` command line run as its own process."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from emulator import FakeTelegram
from emulator.users import FakeUser
from tests.support.e2e import RunningBot
from tests.support.registration import ASK_PHONE, ASK_REGION, ASK_YEAR, Dialog

PROJECT_ROOT = Path(__file__).resolve().parents[2]

RECONNECTION = ["find", "myrequests", "safe"]  # everyone, registered or not
VOLUNTEER_COMMANDS = ["start", "tasks", "my", "profile", "certificate", *RECONNECTION, "calls", "verify", "language",
                      "help", "cancel", "delete_me"]
COORDINATOR_COMMANDS = ["start", "tasks", "my", "profile", "certificate", *RECONNECTION, "calls", "newtask", "mytasks",
                        "callout", "emergency", "stats", "reconnection", "verify", "language", "help", "cancel",
                        "delete_me"]
ADMIN_COMMANDS = ["start", "tasks", "my", "profile", "certificate", *RECONNECTION, "calls", "newtask", "mytasks",
                  "callout", "emergency", "stats", "reconnection", "admin", "verify", "language", "help", "cancel",
                  "delete_me"]


def t(bot: RunningBot, msgid: str, locale: str) -> str:
    return bot.services.i18n.gettext(msgid, locale=locale)


def names(commands: list[dict[str, Any]]) -> list[str]:
    return [command["command"] for command in commands]


def chat_menu_calls(fake: FakeTelegram, user_id: int) -> list[Any]:
    """setMyCommands / deleteMyCommands calls for this person's chat."""
    return [
        call for method in ("setMyCommands", "deleteMyCommands") for call in fake.calls_of(method)
        if (call.params.get("scope") or {}).get("chat_id") == user_id
    ]


def keyboard(user: FakeUser) -> list[str]:
    """The texts of the reply keyboard the person sees now ([] when there is none)."""
    shown = user.reply_keyboard
    return shown.button_texts() if shown is not None else []


def volunteer_keyboard(bot: RunningBot, locale: str) -> list[str]:
    return ["🗂 " + t(bot, "Tasks for me", locale), "📌 " + t(bot, "My sign-ups", locale),
            "👤 " + t(bot, "My profile", locale), "🏠 " + t(bot, "Main menu", locale)]


def coordinator_keyboard(bot: RunningBot, locale: str) -> list[str]:
    return ["➕ " + t(bot, "New task", locale), "📋 " + t(bot, "My tasks", locale),
            "🗂 " + t(bot, "Tasks for me", locale), "🏠 " + t(bot, "Main menu", locale)]


def admin_keyboard(bot: RunningBot, locale: str) -> list[str]:
    return ["➕ " + t(bot, "New task", locale), "📋 " + t(bot, "My tasks", locale),
            "🛡 " + t(bot, "Administration", locale), "🏠 " + t(bot, "Main menu", locale)]


async def press_keyboard(user: FakeUser, text: str) -> None:
    """Press a button of the reply keyboard shown now: the app sends its text."""
    assert text in keyboard(user), (text, keyboard(user))
    await user.send_text(text)


async def register(
    bot: RunningBot,
    fake: FakeTelegram,
    user_id: int,
    locale: str,
    *,
    language_code: str | None = "en",
    phone: str | None = None,
) -> Dialog:
    """Register through the whole dialog (the language chosen with the buttons)."""
    dialog = Dialog(bot, fake, user_id, locale=locale, language_code=language_code)
    await dialog.to_name()
    await dialog.say("Aigerim Nurlanovna", ASK_PHONE)
    await dialog.say(phone or f"+7 701 {user_id % 10_000_000:07d}", ASK_YEAR)
    await dialog.say("1990", ASK_REGION)
    await dialog.finish_from_region()
    # No main keyboard while registering (the typed steps may show their Back and Cancel).
    shown = keyboard(dialog.user)
    assert not set(shown) & set(volunteer_keyboard(bot, locale)), shown
    await dialog.confirm()
    return dialog


async def run_cli(database_url: str, cwd: Path, *argv: str) -> tuple[int, str]:
    """`birge <argv>` as its own process on the bot's database (the bot keeps running)."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"BOT_TOKEN", "BOT_API_URL", "DATABASE_URL", "ADMIN_IDS", "DEFAULT_LOCALE"}}
    env.update(PYTHONPATH=str(PROJECT_ROOT), DATABASE_URL=database_url, LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *argv, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()
