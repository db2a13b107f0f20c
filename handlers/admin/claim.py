"""Opening a coordinator invite link (`/start inv_<code>`): anyone may, so this router
is not guarded; it is included before /start, so only `inv_` payloads are taken."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.access.menus import MenuService
from bot.access.roles import INVITE_PREFIX, AccessService
from bot.domain.catalog import REGION_BY_CODE
from bot.volunteers.service import VolunteerService
from handlers.common.menu import send_main_menu
from handlers.ui import bot_of, sender_id


async def open_invite(
    message: Message,
    command: CommandObject,
    access: AccessService,
    volunteers: VolunteerService,
    menus: MenuService,
    locale: str,
) -> None:
    user_id = sender_id(message)
    code = (command.args or "")[len(INVITE_PREFIX):]
    claimed = await access.claim_invite(code, user_id) if code else None
    registered = await volunteers.is_registered(user_id)
    if claimed is None:
        await message.answer(
            _(
                "Sorry, this invitation link is invalid, expired or already used. "
                "Ask the administrator who sent it for a new one."
            )
        )
    else:
        region = _(REGION_BY_CODE[claimed.region].name)
        lines = [_("🎉 You are now a coordinator of <b>{region}</b>.").format(region=html.quote(region))]
        if claimed.organisation:
            lines.append(_("Organisation: {name}").format(name=html.quote(claimed.organisation)))
        lines.append("")
        lines.append(
            _(
                "As a coordinator you can create tasks for the volunteers of this region "
                "and see who responds. Your volunteers' contacts are shown only to you."
            )
        )
        if not registered:
            lines.append("")
            lines.append(_("If you also want to volunteer yourself, register with /start."))
        # The coordinator's commands (and keyboard, for a registered volunteer) at once.
        keyboard = await menus.keyboard_for_reply(bot_of(message), user_id, guess_locale=locale)
        await message.answer("\n".join(lines), reply_markup=keyboard)
    if registered:
        await send_main_menu(message, user_id, access)
    elif claimed is None:
        await message.answer(_("Send /start to register as a volunteer, or /help to learn more."))


def build_invite_claim_router() -> Router:
    router = Router(name="admin-invites")
    router.message.register(open_invite, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)))
    return router
