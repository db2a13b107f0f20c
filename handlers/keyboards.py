"""Keyboards used by more than one router. Texts are translated at build time, so call
these inside a handler (the i18n context is set) or under `i18n.use_locale`."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.roles import UserRoles
from bot.domain.catalog import INTERFACE_LANGUAGES, Choice
from handlers.callbacks import LanguageCb, MenuCb, NavCb, PickCb

CHECK = "✅ "


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code, name in INTERFACE_LANGUAGES:
        builder.button(text=name, callback_data=LanguageCb(code=code))
    builder.adjust(3)
    return builder.as_markup()


def nav_buttons(*, back: bool = True) -> list[InlineKeyboardButton]:
    buttons = []
    if back:
        buttons.append(InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=NavCb(action="back").pack()))
    buttons.append(InlineKeyboardButton(text="✖️ " + _("Cancel"), callback_data=NavCb(action="cancel").pack()))
    return buttons


def choices_keyboard(
    field: str,
    choices: Iterable[Choice],
    *,
    selected: Iterable[str] = (),
    columns: int = 2,
    multi: bool = False,
    skip: bool = False,
    back: bool = True,
) -> InlineKeyboardMarkup:
    """One button per choice (ticked when selected), then Done/Skip, then Back and Cancel."""
    chosen = set(selected)
    builder = InlineKeyboardBuilder()
    for choice in choices:
        mark = CHECK if choice.code in chosen else ""
        builder.button(text=mark + _(choice.name), callback_data=PickCb(field=field, code=choice.code))
    builder.adjust(columns)
    if multi:
        builder.row(InlineKeyboardButton(text=_("Done ➡️"), callback_data=PickCb(field=field, code="done").pack()))
    if skip:
        builder.row(InlineKeyboardButton(text=_("Skip ➡️"), callback_data=PickCb(field=field, code="skip").pack()))
    builder.row(*nav_buttons(back=back))
    return builder.as_markup()


def main_menu_keyboard(roles: UserRoles | None = None) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="👤 " + _("My profile"), callback_data=MenuCb(action="profile"))
    builder.button(text="🌐 " + _("Language"), callback_data=MenuCb(action="language"))
    builder.button(text="🗂 " + _("Tasks for me"), callback_data=MenuCb(action="tasks"))
    builder.button(text="📌 " + _("My sign-ups"), callback_data=MenuCb(action="my"))
    builder.button(text="❓ " + _("Help"), callback_data=MenuCb(action="help"))
    if roles is not None and roles.is_coordinator:
        builder.button(text="➕ " + _("New task"), callback_data=MenuCb(action="newtask"))
        builder.button(text="📋 " + _("My tasks"), callback_data=MenuCb(action="mytasks"))
    if roles is not None and roles.is_admin:
        builder.button(text="🛡 " + _("Administration"), callback_data=MenuCb(action="admin"))
    builder.adjust(2)
    return builder.as_markup()
