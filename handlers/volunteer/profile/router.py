"""/profile: the volunteer's card, with editing, pausing and deleting (one module each)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.access.menus import MenuService
from bot.access.roles import AccessService
from bot.attendance import HoursService
from bot.config import Settings
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.volunteers.service import VolunteerService
from handlers.callbacks import MenuCb, NavCb
from handlers.common.menu import send_main_menu
from handlers.ui import AnyMessage, drop_keyboard, sender_id
from handlers.volunteer.profile.card import ProfileCb, ProfileStates, not_registered_text, send_profile
from handlers.volunteer.profile.delete import build_delete_router
from handlers.volunteer.profile.edit import EditContext, back_to_card, build_edit_router
from handlers.volunteer.profile.pause import build_pause_router


async def profile_command(
    message: Message, state: FSMContext, volunteers: VolunteerService, hours: HoursService, local_time: LocalTime,
    locale: str
) -> None:
    await _show(message, sender_id(message), state, volunteers, hours, local_time, locale)


async def profile_button(
    query: CallbackQuery, state: FSMContext, volunteers: VolunteerService, hours: HoursService,
    local_time: LocalTime, locale: str
) -> None:
    await query.answer()
    if query.message is not None:
        await drop_keyboard(query.message)
        await _show(query.message, query.from_user.id, state, volunteers, hours, local_time, locale)


async def back_to_profile(query: CallbackQuery, state: FSMContext,
                          volunteers: VolunteerService, settings: Settings, clock: Clock,
                          local_time: LocalTime, locale: str, menus: MenuService, hours: HoursService) -> None:
    # Back from any profile step (an edit, the pause choice, the date) leads to the
    # card: the question it was pressed on becomes the card again.
    await query.answer()
    if query.message is not None:
        edit = EditContext(volunteers, settings, clock, local_time, locale, menus, hours)
        await back_to_card(query.message, query.from_user.id, state, edit, pressed=True)


async def to_menu(query: CallbackQuery, state: FSMContext, access: AccessService) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await drop_keyboard(query.message)
        await send_main_menu(query.message, query.from_user.id, access)


def build_profile_router() -> Router:
    router = Router(name="profile")
    router.message.register(profile_command, Command("profile"))
    router.callback_query.register(profile_button, ProfileCb.filter(F.action == "show"))
    router.callback_query.register(profile_button, MenuCb.filter(F.action == "profile"))
    router.callback_query.register(back_to_profile, StateFilter(ProfileStates), NavCb.filter(F.action == "back"))
    router.callback_query.register(to_menu, ProfileCb.filter(F.action == "menu"))
    router.include_routers(build_edit_router(), build_pause_router(), build_delete_router())
    return router


async def _show(
    target: AnyMessage,
    user_id: int,
    state: FSMContext,
    volunteers: VolunteerService,
    hours: HoursService,
    local_time: LocalTime,
    locale: str,
) -> None:
    volunteer = await volunteers.get(user_id)
    if volunteer is None:
        await target.answer(not_registered_text())
        return
    if await state.get_state() is not None:
        await state.clear()  # the card replaces whatever step was open
    await send_profile(target, volunteer, locale, local_time, totals=await hours.totals(user_id))
