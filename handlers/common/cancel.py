"""/cancel, and the Cancel buttons of every dialog (inline, and the reply button under
the phone question): the dialog ends, nothing half-entered is kept. Included first, so
it wins in every dialog."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.access.menus import MenuService
from bot.access.roles import AccessService
from bot.volunteers.service import VolunteerService
from handlers.callbacks import NavCb
from handlers.common.menu import send_main_menu
from handlers.fields.specs import cancel_labels
from handlers.ui import bot_of, sender_id


def is_cancel_button(message: Message, i18n: I18n) -> bool:
    return (message.text or "").strip() in cancel_labels(i18n)


async def cancel_command(
    message: Message, state: FSMContext, volunteers: VolunteerService, access: AccessService, menus: MenuService
) -> None:
    await _cancel(message, sender_id(message), state, volunteers, access, menus)


async def cancel_reply_button(
    message: Message, state: FSMContext, volunteers: VolunteerService, access: AccessService, menus: MenuService
) -> None:
    # The Cancel button of a dialog's reply keyboard (under the phone question) sends its text.
    await _cancel(message, sender_id(message), state, volunteers, access, menus)


async def cancel_button(
    query: CallbackQuery, state: FSMContext, volunteers: VolunteerService, access: AccessService, menus: MenuService
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _cancel(query.message, query.from_user.id, state, volunteers, access, menus)


def build_cancel_router() -> Router:
    router = Router(name="cancel")
    router.message.register(cancel_command, Command("cancel"))
    router.message.register(cancel_reply_button, ~StateFilter(None), F.text, is_cancel_button)
    router.callback_query.register(cancel_button, NavCb.filter(F.action == "cancel"))
    return router


async def _cancel(
    message: Message,
    user_id: int,
    state: FSMContext,
    volunteers: VolunteerService,
    access: AccessService,
    menus: MenuService,
) -> None:
    had_dialog = await state.get_state() is not None
    await state.clear()
    # A dialog step may have shown another reply keyboard (the phone's "Share my
    # contact"); it must not outlive the dialog: the main keyboard comes back (or, for
    # someone not registered, no keyboard at all).
    keyboard = await menus.keyboard_for_reply(bot_of(message), user_id, restore=True)
    if await volunteers.is_registered(user_id):
        await message.answer(_("Cancelled.") if had_dialog else _("There is nothing to cancel."), reply_markup=keyboard)
        await send_main_menu(message, user_id, access)
    else:
        await message.answer(
            (_("Cancelled.") if had_dialog else _("There is nothing to cancel."))
            + "\n"
            + _("Send /start whenever you want to register."),
            reply_markup=keyboard,
        )
