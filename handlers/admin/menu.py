"""The administration menu and its keyboards (admins only; see router.py)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.callbacks import AdminCb
from handlers.ui import answer_stale, show


def admin_menu_text() -> str:
    return "🛡 <b>" + _("Administration") + "</b>\n\n" + _("What would you like to do?")


def admin_menu_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="➕ " + _("Invite a coordinator"), callback_data=AdminCb(action="invite"))
    builder.button(text="👥 " + _("Coordinators and admins"), callback_data=AdminCb(action="grants"))
    builder.button(text="📜 " + _("Recent audit log"), callback_data=AdminCb(action="audit"))
    builder.adjust(1)
    return builder.as_markup()


def back_to_menu_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=AdminCb(action="menu").pack())]]
    )


async def admin_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(admin_menu_text(), reply_markup=admin_menu_keyboard())


async def admin_button(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.clear()
    if query.message is not None:
        await query.message.answer(admin_menu_text(), reply_markup=admin_menu_keyboard())


async def back_to_menu(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.clear()
    await show(query, admin_menu_text(), admin_menu_keyboard())


async def unknown_admin_button(query: CallbackQuery) -> None:
    """Any other admin button (old or forged): still guarded, then explained."""
    await answer_stale(query)
