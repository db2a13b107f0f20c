"""Pausing task offers for a while (or until resumed) and resuming them."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.attendance import HoursService
from bot.config import Settings
from bot.domain.pause import PAUSE_PRESETS, BadDate, end_moment, latest_end, local_today, parse_end_date, preset_end
from bot.domain.volunteers import VolunteerStatus
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.volunteers.service import VolunteerService
from handlers.keyboards import nav_buttons
from handlers.ui import answer_stale, drop_keyboard, sender_id, text_expected_hint
from handlers.volunteer.profile.card import ProfileCb, ProfileStates, not_registered_text, send_profile

DATE_FORMAT = "%d.%m.%Y"


def pause_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("1 week"), callback_data=ProfileCb(action="pause_for", arg="1w"))
    builder.button(text=_("2 weeks"), callback_data=ProfileCb(action="pause_for", arg="2w"))
    builder.button(text=_("1 month"), callback_data=ProfileCb(action="pause_for", arg="1m"))
    builder.button(text=_("Until I resume"), callback_data=ProfileCb(action="pause_for", arg="open"))
    builder.adjust(3, 1)
    builder.row(InlineKeyboardButton(text="📅 " + _("Type a date"), callback_data=ProfileCb(action="pause_date").pack()))
    builder.row(*nav_buttons(back=True))
    return builder.as_markup()


def date_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=True)])


async def ask_length(query: CallbackQuery, state: FSMContext, volunteers: VolunteerService) -> None:
    await query.answer()
    if query.message is None:
        return
    if await volunteers.get(query.from_user.id) is None:
        await query.message.answer(not_registered_text())
        return
    await drop_keyboard(query.message)
    await state.set_state(ProfileStates.pausing)
    await state.set_data({})
    await query.message.answer(
        _("For how long should I stop offering you tasks? You can resume at any time from your profile."),
        reply_markup=pause_keyboard(),
    )


async def pause_for(
    query: CallbackQuery,
    callback_data: ProfileCb,
    state: FSMContext,
    volunteers: VolunteerService,
    settings: Settings,
    clock: Clock,
    local_time: LocalTime,
    locale: str,
    hours: HoursService,
) -> None:
    if callback_data.arg != "open" and callback_data.arg not in PAUSE_PRESETS:
        await answer_stale(query)
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    until = None
    if callback_data.arg != "open":
        until = end_moment(preset_end(callback_data.arg, local_today(clock.now(), settings.tz)), settings.tz)
    await drop_keyboard(query.message)
    await _pause(query.message, query.from_user.id, until, state, volunteers, local_time, locale, hours)


async def ask_date(query: CallbackQuery, state: FSMContext, settings: Settings, clock: Clock) -> None:
    await query.answer()
    if query.message is None:
        return
    await drop_keyboard(query.message)
    await state.set_state(ProfileStates.pause_date)
    await query.message.answer(_date_question(clock, settings), reply_markup=date_keyboard())


async def typed_date(
    message: Message,
    state: FSMContext,
    volunteers: VolunteerService,
    settings: Settings,
    clock: Clock,
    local_time: LocalTime,
    locale: str,
    hours: HoursService,
) -> None:
    today = local_today(clock.now(), settings.tz)
    try:
        end = parse_end_date(message.text or "", today)
    except BadDate as bad:
        if bad.reason == "past":
            hint = _("That date has already passed. Please type a later one.")
        elif bad.reason == "too_far":
            hint = _("A pause can last at most a year, until {date}.").format(
                date=latest_end(today).strftime(DATE_FORMAT)
            )
        else:
            hint = _("I could not read that date.")
        await message.answer(hint + "\n" + _date_question(clock, settings), reply_markup=date_keyboard())
        return
    await _pause(message, sender_id(message), end_moment(end, settings.tz), state, volunteers, local_time, locale,
                 hours)


async def not_a_date(message: Message, settings: Settings, clock: Clock) -> None:
    await message.answer(
        text_expected_hint() + "\n" + _date_question(clock, settings), reply_markup=date_keyboard()
    )


async def resume(
    query: CallbackQuery, state: FSMContext, volunteers: VolunteerService, local_time: LocalTime, locale: str,
    hours: HoursService,
) -> None:
    volunteer = await volunteers.get(query.from_user.id)
    if volunteer is None:
        await query.answer()
        if query.message is not None:
            await query.message.answer(not_registered_text())
        return
    if volunteer.status != VolunteerStatus.PAUSED:
        # A second tap, or the pause has already ended: nothing to change.
        await query.answer(_("Task offers are already on."))
        return
    await query.answer()
    await drop_keyboard(query.message)
    await state.clear()
    volunteer = await volunteers.resume(query.from_user.id)
    if query.message is not None:
        await query.message.answer(_("Welcome back! I will offer you tasks again."))
        await send_profile(query.message, volunteer, locale, local_time, totals=await hours.totals(query.from_user.id))


def build_pause_router() -> Router:
    router = Router(name="profile_pause")
    router.callback_query.register(ask_length, ProfileCb.filter(F.action == "pause"))
    router.callback_query.register(pause_for, ProfileStates.pausing, ProfileCb.filter(F.action == "pause_for"))
    router.callback_query.register(ask_date, ProfileStates.pausing, ProfileCb.filter(F.action == "pause_date"))
    router.message.register(typed_date, ProfileStates.pause_date, F.text & ~F.text.startswith("/"))
    router.message.register(not_a_date, ProfileStates.pause_date, ~F.text)
    router.callback_query.register(resume, ProfileCb.filter(F.action == "resume"))
    return router


def _date_question(clock: Clock, settings: Settings) -> str:
    today = local_today(clock.now(), settings.tz)
    example = preset_end("2w", today).strftime(DATE_FORMAT)
    return _("Send the date when I should start offering you tasks again, as dd.mm.yyyy (for example, {example}).").format(
        example=example
    )


async def _pause(
    message: Message,
    user_id: int,
    until: datetime | None,
    state: FSMContext,
    volunteers: VolunteerService,
    local_time: LocalTime,
    locale: str,
    hours: HoursService,
) -> None:
    await state.clear()
    if await volunteers.get(user_id) is None:
        await message.answer(not_registered_text())
        return
    volunteer = await volunteers.pause(user_id, until)
    if until is None:
        await message.answer(_("Done: I will not offer you tasks until you resume them in your profile."))
    else:
        await message.answer(
            _("Done: I will not offer you tasks until {date}.").format(date=local_time.date(until, locale))
        )
    await send_profile(message, volunteer, locale, local_time, totals=await hours.totals(user_id))
