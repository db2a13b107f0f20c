"""The main menu, shown after registration, /start, /cancel and finished dialogs."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.access import AccessService
from handlers.keyboards import main_menu_keyboard


async def send_main_menu(message: Message, user_id: int, access: AccessService) -> None:
    roles = await access.roles_of(user_id)
    await message.answer(_("What would you like to do?"), reply_markup=main_menu_keyboard(roles))


def help_text() -> str:
    return _(
        "<b>Birge</b> connects volunteers with tasks that fit them: your region, your "
        "directions, your skills and your time.\n\n"
        "/start — main menu or registration\n"
        "/profile — see and edit your profile, pause notifications\n"
        "/language — change the language\n"
        "/cancel — stop the current step\n"
        "/delete_me — delete your personal data"
    )
