"""What the reconnection screens share: callback data, states, small keyboards."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.domain.catalog import REGION_BY_CODE
from bot.domain.languages import language_name
from handlers.callbacks import NavCb


class RcCb(CallbackData, prefix="rc"):
    """Reconnection buttons: action = skip | flag | flags_done | send (in /find and /safe);
    withdraw | withdraw_yes (ref = ask id) in /myrequests."""

    action: str
    code: str = ""
    ref: int = 0


class CallCb(CallbackData, prefix="call"):
    """A caller's buttons: action = next | safe | help | noanswer | wrong | release | skip |
    caller_on | caller_off | caller; request_id where it applies."""

    action: str
    request_id: int = 0


class FindStates(StatesGroup):
    name = State()
    phone = State()
    region = State()
    city = State()
    language = State()
    flags = State()
    message = State()
    relation = State()
    confirm = State()


class SafeStates(StatesGroup):
    name = State()
    city = State()
    phone = State()
    message = State()


class CallStates(StatesGroup):
    note = State()  # FSM data: request_id, outcome, card (message id)


def cancel_row() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text="✖️ " + _("Cancel"), callback_data=NavCb(action="cancel").pack())]


def back_cancel_row() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=NavCb(action="back").pack()), *cancel_row()]


def skip_keyboard(back: bool = True) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=_("Skip ➡️"), callback_data=RcCb(action="skip").pack())],
        back_cancel_row() if back else cancel_row(),
    ])


def nav_keyboard(back: bool = True) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[back_cancel_row() if back else cancel_row()])


def region_name(code: str | None) -> str:
    if not code:
        return "—"
    choice = REGION_BY_CODE.get(code)
    return _(choice.name) if choice else code


def speak_name(code: str, locale: str) -> str:
    return language_name(code, locale)
