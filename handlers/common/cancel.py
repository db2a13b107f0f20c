"""Commands that work everywhere: /cancel, /help, menu buttons, and the safety nets for
stale buttons and unexpected input. Built last-but-one so feature routers match first,
except /cancel which is included first so it wins in every dialog."""

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
from handlers.callbacks import MenuCb, NavCb
from handlers.common.menu import help_text, send_main_menu
from handlers.fields.specs import cancel_labels
from handlers.ui import answer_stale


def is_cancel_button(message: Message, i18n: I18n) -> bool:
    return (message.text or "").strip() in cancel_labels(i18n)


async def cancel_command(
    message: Message, state: FSMContext, volunteers: VolunteerService, access: AccessService, menus: MenuService
) -> None:
    await _cancel(message, message.from_user.id, state, volunteers, access, menus)


async def cancel_reply_button(
    message: Message, state: FSMContext, volunteers: VolunteerService, access: AccessService, menus: MenuService
) -> None:
    # The Cancel button of a dialog's reply keyboard (under the phone question) sends its text.
    await _cancel(message, message.from_user.id, state, volunteers, access, menus)


async def cancel_button(
    query: CallbackQuery, state: FSMContext, volunteers: VolunteerService, access: AccessService, menus: MenuService
) -> None:
    await query.answer()
    if query.message is not None:
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
    keyboard = await menus.keyboard_for_reply(message.bot, user_id, restore=True)
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


async def help_command(message: Message, menus: MenuService) -> None:
    await message.answer(help_text(await menus.audience(message.bot, message.from_user.id)))


async def help_button(query: CallbackQuery, menus: MenuService) -> None:
    await query.answer()
    if query.message is not None:
        await query.message.answer(help_text(await menus.audience(query.bot, query.from_user.id)))


def build_common_router() -> Router:
    router = Router(name="common")
    router.message.register(help_command, Command("help"))
    router.callback_query.register(help_button, MenuCb.filter(F.action == "help"))

    return router


async def stale_button(query: CallbackQuery) -> None:
    # A forged button, or one from a dialog that has ended: explain, change nothing.
    await answer_stale(query)


async def unknown_text(message: Message, volunteers: VolunteerService) -> None:
    if await volunteers.is_registered(message.from_user.id):
        await message.answer(_("I did not understand that. Use the menu below or send /help."))
    else:
        await message.answer(_("Send /start to register as a volunteer, or /help to learn more."))


async def unknown_media(message: Message) -> None:
    await message.answer(_("I can only read text and button presses here. Send /help to see what I can do."))


def build_fallback_router() -> Router:
    """Included last: whatever no feature router took."""
    router = Router(name="fallback")
    router.callback_query.register(stale_button)
    router.message.register(unknown_text, F.text)

    router.message.register(unknown_media)

    return router
