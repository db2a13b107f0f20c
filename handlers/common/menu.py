"""The main menu (shown after registration, /start, /cancel and finished dialogs) and /help."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.access.commands import ADMINS, COORDINATORS, Audience, CommandSpec, commands_of
from bot.access.roles import AccessService
from handlers.keyboards import main_menu_keyboard


async def send_main_menu(message: Message, user_id: int, access: AccessService, lead: str | None = None) -> None:
    """`lead`: lines above the question (the emergency banner of /start)."""
    roles = await access.roles_of(user_id)
    text = _("What would you like to do?")
    await message.answer(lead + "\n\n" + text if lead else text, reply_markup=main_menu_keyboard(roles))


def help_text(audience: Audience) -> str:
    """What Birge does and every command this person may use, by role (bot/access/commands.py
    decides which; the same list is their command menu)."""
    lines = [
        _(
            "<b>Birge</b> connects volunteers with tasks that fit them: your region, your "
            "directions, your skills and your time."
        ),
        "",
    ]
    commands = commands_of(audience)
    lines += [_command_line(spec) for spec in commands if spec.group not in (COORDINATORS, ADMINS)]
    for group, heading in ((COORDINATORS, _("For coordinators:")), (ADMINS, _("For administrators:"))):
        own = [_command_line(spec) for spec in commands if spec.group == group]
        if own:
            lines += ["", "<b>" + heading + "</b>", *own]
    return "\n".join(lines)


def _command_line(spec: CommandSpec) -> str:
    return f"/{spec.name} — {_(spec.description)}"
