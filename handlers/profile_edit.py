"""Editing one profile field at a time, with the same questions as registration (handlers.fields).

FSM data while editing: field (the FieldSpec name), msg (the id of the message whose
buttons are live), selected (the draft of a multi-select), year (a birth year waiting
for a guardian's consent).
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import Clock
from bot.config import Settings
from bot.domain.people import needs_guardian
from bot.domain.texts import N_
from bot.i18n import LocalTime
from bot.menus import MenuService
from bot.volunteers import NotRegisteredError, PhoneTakenError, VolunteerService
from handlers.callbacks import PickCb
from handlers.fields import (
    FIELDS,
    FieldSpec,
    Invalid,
    ask,
    buttons_expected_hint,
    parse_contact,
    text_expected_hint,
)
from handlers.keyboards import nav_buttons
from handlers.registration import phone_taken_text
from handlers.registration_steps import guardian_text
from handlers.profile_view import AnyMessage, ProfileCb, ProfileStates, close_keyboard, not_registered_text, send_profile

STALE = N_("This button is no longer active. Send /start to see the menu.")


def guardian_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="✅ " + _("My parent/guardian agrees"), callback_data=ProfileCb(action="guardian", arg="yes"))
    builder.button(text=_("No"), callback_data=ProfileCb(action="guardian", arg="no"))
    builder.adjust(1)
    builder.row(*nav_buttons(back=True))
    return builder.as_markup()


def build_edit_router() -> Router:
    router = Router(name="profile_edit")

    @router.callback_query(ProfileCb.filter(F.action == "edit"))
    async def choose_field(
        query: CallbackQuery, callback_data: ProfileCb, state: FSMContext, volunteers: VolunteerService
    ) -> None:
        field = callback_data.arg
        if field == "locale":
            await query.answer(_("To change the interface language, send /language."), show_alert=True)
            return
        spec = FIELDS.get(field)
        if spec is None:
            await query.answer(_(STALE), show_alert=True)
            return
        await query.answer()
        if query.message is None:
            return
        volunteer = await volunteers.get(query.from_user.id)
        if volunteer is None:
            await query.message.answer(not_registered_text())
            return
        await close_keyboard(query)
        current = getattr(volunteer, field)
        if spec.kind == "multi":
            current = list(current or [])
        await state.set_state(ProfileStates.editing)
        await state.set_data({"field": field, "selected": current if spec.kind == "multi" else None})
        await _ask(query.message, spec, state, selected=current)

    @router.message(ProfileStates.editing, F.text & ~F.text.startswith("/"))
    async def typed(
        message: Message,
        state: FSMContext,
        volunteers: VolunteerService,
        settings: Settings,
        clock: Clock,
        local_time: LocalTime,
        locale: str,
        menus: MenuService,
    ) -> None:
        spec, data = await _current(state)
        if spec is None:
            await state.clear()
            return
        if spec.is_choice:
            await _ask(message, spec, state, selected=data.get("selected"), hint=buttons_expected_hint())
            return
        current_year = clock.now().astimezone(settings.tz).year
        result = spec.parse(message.text or "", current_year=current_year)
        if isinstance(result, Invalid):
            await _ask(message, spec, state, hint=result.hint)
            return
        await _save(message, message.from_user.id, spec, result.value, state, volunteers, settings, clock, local_time, locale, menus=menus)

    @router.message(ProfileStates.editing, F.contact)
    async def contact(
        message: Message,
        state: FSMContext,
        volunteers: VolunteerService,
        settings: Settings,
        clock: Clock,
        local_time: LocalTime,
        locale: str,
        menus: MenuService,
    ) -> None:
        spec, data = await _current(state)
        if spec is None:
            await state.clear()
            return
        if spec.kind != "phone":
            await _ask(message, spec, state, selected=data.get("selected"), hint=_not_this_hint(spec))
            return
        check = parse_contact(message)
        if check.phone is None:
            await _ask(message, spec, state, hint=check.hint)
            return
        await _save(message, message.from_user.id, spec, check.phone, state, volunteers, settings, clock, local_time, locale, menus=menus)

    @router.message(ProfileStates.editing, ~F.text)
    async def not_text(message: Message, state: FSMContext) -> None:
        spec, data = await _current(state)
        if spec is None:
            await state.clear()
            return
        await _ask(message, spec, state, selected=data.get("selected"), hint=_not_this_hint(spec))

    @router.callback_query(ProfileStates.editing, PickCb.filter())
    async def picked(
        query: CallbackQuery,
        callback_data: PickCb,
        state: FSMContext,
        volunteers: VolunteerService,
        settings: Settings,
        clock: Clock,
        local_time: LocalTime,
        locale: str,
    ) -> None:
        spec, data = await _current(state)
        live = query.message is not None and query.message.message_id == data.get("msg")
        if spec is None or callback_data.field != spec.name or not live:
            await query.answer(_(STALE), show_alert=True)
            return
        assert query.message is not None
        code = callback_data.code
        user_id = query.from_user.id
        if code == "skip" and spec.optional:
            await query.answer()
            await close_keyboard(query)
            await _save(query.message, user_id, spec, None, state, volunteers, settings, clock, local_time, locale)
            return
        if spec.kind == "single":
            value = spec.pick(code)
            if value is None:
                await query.answer(_(STALE), show_alert=True)
                return
            await query.answer()
            await close_keyboard(query)
            await _save(query.message, user_id, spec, value, state, volunteers, settings, clock, local_time, locale)
            return
        if spec.kind == "multi":
            selected = list(data.get("selected") or [])
            if code == "done":
                result = spec.finish(selected)
                if isinstance(result, Invalid):
                    await query.answer(result.hint, show_alert=True)
                    return
                await query.answer()
                await close_keyboard(query)
                await _save(query.message, user_id, spec, result.value, state, volunteers, settings, clock, local_time, locale)
                return
            toggled = spec.toggle(selected, code)
            if toggled is None:
                await query.answer(_(STALE), show_alert=True)
                return
            await query.answer()
            await state.update_data(selected=toggled)
            if isinstance(query.message, Message):
                await query.message.edit_reply_markup(reply_markup=spec.keyboard(toggled))
            return
        await query.answer(_(STALE), show_alert=True)

    @router.callback_query(ProfileStates.guardian, ProfileCb.filter(F.action == "guardian"))
    async def guardian(
        query: CallbackQuery,
        callback_data: ProfileCb,
        state: FSMContext,
        volunteers: VolunteerService,
        local_time: LocalTime,
        locale: str,
    ) -> None:
        data = await state.get_data()
        year = data.get("year")
        live = query.message is not None and query.message.message_id == data.get("msg")
        if not isinstance(year, int) or not live or callback_data.arg not in ("yes", "no"):
            await query.answer(_(STALE), show_alert=True)
            return
        await query.answer()
        await close_keyboard(query)
        assert query.message is not None
        await state.clear()
        if callback_data.arg == "no":
            await query.message.answer(
                _("Without a guardian's consent I cannot record this year of birth, so nothing was changed. "
                  "Talk to your parent or guardian and try again.")
            )
            volunteer = await volunteers.get(query.from_user.id)
            if volunteer is None:
                await query.message.answer(not_registered_text())
            else:
                await send_profile(query.message, volunteer, locale, local_time)
            return
        await _store(query.message, query.from_user.id, {"birth_year": year, "guardian_consent": True}, volunteers, local_time, locale)

    return router


def _not_this_hint(spec: FieldSpec) -> str:
    return buttons_expected_hint() if spec.is_choice else text_expected_hint()


async def _current(state: FSMContext) -> tuple[FieldSpec | None, dict[str, Any]]:
    data = await state.get_data()
    return FIELDS.get(str(data.get("field"))), data


async def _ask(message: AnyMessage, spec: FieldSpec, state: FSMContext, *, selected: Any = None, hint: str | None = None) -> None:
    """(Re)send the field's question; only the newest copy's buttons stay live."""
    sent = await ask(message, spec, selected, hint=hint)
    await state.update_data(msg=sent.message_id)


async def _save(
    message: AnyMessage,
    user_id: int,
    spec: FieldSpec,
    value: Any,
    state: FSMContext,
    volunteers: VolunteerService,
    settings: Settings,
    clock: Clock,
    local_time: LocalTime,
    locale: str,
    *,
    menus: MenuService | None = None,
) -> None:
    if spec.kind == "phone" and await volunteers.phone_taken_by_other(user_id, value):
        await _ask(
            message,
            spec,
            state,
            hint=phone_taken_text(),
        )
        return
    if spec.name == "birth_year":
        volunteer = await volunteers.get(user_id)
        current_year = clock.now().astimezone(settings.tz).year
        if volunteer is not None and volunteer.guardian_consent_at is None and needs_guardian(value, current_year):
            await state.set_state(ProfileStates.guardian)
            sent = await message.answer(
                guardian_text({"birth_year": value}, current_year), reply_markup=guardian_keyboard()
            )
            await state.set_data({"field": spec.name, "year": value, "msg": sent.message_id})
            return
    await state.clear()
    # The phone question replaced the main keyboard with "Share my contact": bring it back.
    keyboard = await menus.keyboard_for_reply(message.bot, user_id, restore=True) if menus and spec.kind == "phone" else None
    await _store(message, user_id, {spec.name: value}, volunteers, local_time, locale, keyboard=keyboard)


async def _store(
    message: AnyMessage,
    user_id: int,
    changes: dict[str, Any],
    volunteers: VolunteerService,
    local_time: LocalTime,
    locale: str,
    *,
    keyboard: ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
) -> None:
    """Save and show the card; `keyboard` goes with the answer (after the phone question)."""
    try:
        volunteer = await volunteers.update(user_id, **changes)
    except NotRegisteredError:
        await message.answer(not_registered_text(), reply_markup=keyboard)
        return
    except PhoneTakenError:
        # Taken between the check and the save: nothing was changed.
        await message.answer(phone_taken_text(), reply_markup=keyboard)
        return
    await message.answer("✅ " + _("Saved."), reply_markup=keyboard)
    await send_profile(message, volunteer, locale, local_time)
