"""/emergency (and the keyboard's "🆘 Emergency"): the active emergencies of the person's
regions, with their safety notes; for coordinators and admins also "Declare an
emergency" and "Close" (handled, with the rights checks, in
handlers/coordinator/emergency.py). And the short banner /start shows while an
emergency is active."""

from __future__ import annotations

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.domain.catalog import REGION_BY_CODE
from bot.emergencies.service import EmergencyService
from handlers.callbacks import EmergencyCb
from handlers.ui import sender_id
from storage.models import Emergency

BANNER_NOTES = 200  # characters of the safety notes in the /start banner


def region_names(codes: list[str]) -> str:
    return ", ".join(_(REGION_BY_CODE[code].name) if code in REGION_BY_CODE else code for code in codes)


def emergency_banner(active: list[Emergency]) -> str:
    """A few lines for the top of the main menu."""
    lines = []
    for emergency in active:
        line = "🆘 <b>" + _("Emergency: {name}").format(name=html.quote(emergency.name)) + "</b>"
        if emergency.safety_notes:
            notes = emergency.safety_notes
            notes = notes if len(notes) <= BANNER_NOTES else notes[:BANNER_NOTES - 1] + "…"
            line += "\n⚠️ " + html.quote(notes)
        lines.append(line)
    lines.append(_("Details: /emergency"))
    return "\n".join(lines)


def emergency_text(active: list[Emergency]) -> str:
    if not active:
        return _("No emergency is active in your region.")
    blocks = []
    for emergency in active:
        block = ["🆘 <b>" + html.quote(emergency.name) + "</b>",
                 _("Regions: {regions}").format(regions=region_names(list(emergency.regions)))]
        if emergency.safety_notes:
            block.append("⚠️ <b>" + _("Safety") + ":</b> " + html.quote(emergency.safety_notes))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def emergency_markup(active: list[Emergency], roles: UserRoles, emergencies: EmergencyService
                     ) -> InlineKeyboardMarkup | None:
    if not roles.is_coordinator:
        return None
    rows = [[InlineKeyboardButton(text="🆘 " + _("Declare an emergency"),
                                  callback_data=EmergencyCb(action="declare").pack())]]
    for emergency in active:
        if emergencies.may_manage(emergency, roles):
            rows.append([InlineKeyboardButton(
                text="🏁 " + _("Close: {name}").format(name=emergency.name[:40]),
                callback_data=EmergencyCb(action="close", emergency_id=emergency.id).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def emergency_command(message: Message, access: AccessService, emergencies: EmergencyService) -> None:
    roles = await access.roles_of(sender_id(message))
    active = await emergencies.active_for(sender_id(message), roles)
    await message.answer(emergency_text(active), reply_markup=emergency_markup(active, roles, emergencies))


def build_emergency_info_router() -> Router:
    router = Router(name="emergency-info")
    router.message.register(emergency_command, Command("emergency"))
    return router
