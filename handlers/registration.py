"""Volunteer registration: the handlers of each step (the steps themselves, their order
and questions are in handlers/registration_steps.py; field rules in handlers/fields.py).

Every handler is bound to a registration FSM state, and a button counts only if it is
on the message whose buttons are live (its id is kept in FSM data) and belongs to the
current step: anything else is answered "no longer active" and changes nothing.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.access import AccessService
from bot.clock import Clock
from bot.config import Settings
from bot.menus import MenuService
from bot.volunteers import PhoneTakenError, Registration, VolunteerService
from handlers.callbacks import NavCb, PickCb
from handlers.fields import (
    FIELDS,
    REMOVE_REPLY_KEYBOARD,
    Invalid,
    buttons_expected_hint,
    parse_contact,
    text_expected_hint,
)
from handlers.menu import send_main_menu
from handlers.registration_steps import (
    EDITABLE,
    RegStates,
    after_step,
    ask_step,
    get_reg,
    go_back,
    is_minor,
    put_reg,
    step_of,
    year_of,
)

# The PickCb field a step's buttons carry.
STEP_FIELD = {
    "consent": "consent",
    "guardian": "guardian",
    "region": "region",
    "city": "city",
    "directions": "directions",
    "skills": "skills",
    "availability": "availability",
    "summary": "summary",
    "edit": "edit",
}
TEXT_STEPS = (RegStates.full_name, RegStates.birth_year, RegStates.city)
REQUIRED = ("full_name", "phone", "birth_year", "region", "directions", "availability")

NOT_A_COMMAND = ~F.text.startswith("/")


def stale_text() -> str:
    return _("This button is no longer active. Send /start to see the menu.")


def phone_taken_text() -> str:
    return _(
        "This phone number is already registered to another Telegram account. "
        "Please enter a different number, or ask a coordinator for help."
    )


def build_registration_router() -> Router:
    router = Router(name="registration")

    # --- typed answers -----------------------------------------------------------------

    @router.message(StateFilter(*TEXT_STEPS), F.text, NOT_A_COMMAND)
    async def typed_answer(
        message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings
    ) -> None:
        step = step_of(raw_state)
        assert step is not None
        year = year_of(clock, settings)
        result = FIELDS[step].parse(message.text or "", current_year=year)
        if isinstance(result, Invalid):
            await ask_step(message, state, step, year=year, hint=result.hint)
            return
        values: dict[str, Any] = {step: result.value}
        if step == "birth_year":
            reg = await get_reg(state)
            reg["birth_year"] = result.value
            if not is_minor(reg, year):
                values["guardian_consent"] = False
        await put_reg(state, **values)
        await after_step(message, state, step, year=year)

    @router.message(RegStates.phone, F.contact)
    async def shared_contact(
        message: Message, state: FSMContext, clock: Clock, settings: Settings, volunteers: VolunteerService
    ) -> None:
        check = parse_contact(message)
        await _take_phone(message, state, check.phone, check.hint, clock, settings, volunteers)

    @router.message(RegStates.phone, F.text, NOT_A_COMMAND)
    async def typed_phone(
        message: Message, state: FSMContext, clock: Clock, settings: Settings, volunteers: VolunteerService
    ) -> None:
        result = FIELDS["phone"].parse(message.text or "")
        if isinstance(result, Invalid):
            await _take_phone(message, state, None, result.hint, clock, settings, volunteers)
        else:
            await _take_phone(message, state, result.value, None, clock, settings, volunteers)

    @router.message(StateFilter(RegStates), NOT_A_COMMAND)
    async def unexpected_input(
        message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings
    ) -> None:
        """A sticker/photo/voice where text is asked, or text where buttons are expected."""
        step = step_of(raw_state)
        assert step is not None
        typed_step = step in ("full_name", "phone", "birth_year", "city")
        hint = text_expected_hint() if typed_step else buttons_expected_hint()
        await ask_step(message, state, step, year=year_of(clock, settings), hint=hint)

    # --- buttons -----------------------------------------------------------------------

    @router.callback_query(NavCb.filter(F.action == "back"), StateFilter(RegStates))
    async def back(
        query: CallbackQuery, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings
    ) -> None:
        step = step_of(raw_state)
        if step is None or not await _is_live(query, state) or query.message is None:
            await query.answer(stale_text(), show_alert=True)
            return
        await query.answer()
        if step == "phone":
            # The "Share my contact" keyboard must go away with the step.
            await query.message.answer("⬅️ " + _("Back"), reply_markup=REMOVE_REPLY_KEYBOARD)
        await go_back(query.message, state, step, year=year_of(clock, settings))

    @router.callback_query(PickCb.filter(), StateFilter(RegStates))
    async def picked(
        query: CallbackQuery,
        callback_data: PickCb,
        state: FSMContext,
        raw_state: str | None,
        clock: Clock,
        settings: Settings,
        volunteers: VolunteerService,
        access: AccessService,
        menus: MenuService,
        locale: str,
    ) -> None:
        step = step_of(raw_state)
        message = query.message
        if (
            step is None
            or message is None
            or STEP_FIELD.get(step) != callback_data.field
            or not await _is_live(query, state)
        ):
            await query.answer(stale_text(), show_alert=True)
            return
        year = year_of(clock, settings)
        code = callback_data.code

        if step == "consent":
            if code != "yes":
                await query.answer(stale_text(), show_alert=True)
                return
            await query.answer()
            await after_step(message, state, step, year=year)

        elif step == "guardian":
            if code not in ("yes", "no"):
                await query.answer(stale_text(), show_alert=True)
                return
            await query.answer()
            if code == "no":
                await state.clear()
                await message.answer(
                    _(
                        "We understand. Without the consent of a parent or guardian we cannot register you "
                        "yet, and nothing has been saved. You are welcome to come back together with them: "
                        "just send /start."
                    )
                )
                return
            await put_reg(state, guardian_consent=True)
            data = await state.get_data()
            if data.get("editing"):
                await ask_step(message, state, "summary", year=year)
            else:
                await after_step(message, state, step, year=year)

        elif step == "region":
            region = FIELDS["region"].pick(code)
            if region is None:
                await query.answer(stale_text(), show_alert=True)
                return
            await query.answer()
            await put_reg(state, region=region)
            await after_step(message, state, step, year=year)

        elif step == "city":
            if code != "skip":
                await query.answer(stale_text(), show_alert=True)
                return
            await query.answer()
            await put_reg(state, city=None)
            await after_step(message, state, step, year=year)

        elif step in ("directions", "skills", "availability"):
            spec = FIELDS[step]
            reg = await get_reg(state)
            selected = list(reg.get(step) or [])
            if code == "done":
                result = spec.finish(selected)
                if isinstance(result, Invalid):
                    await query.answer(result.hint, show_alert=True)
                    return
                await query.answer()
                await put_reg(state, **{step: result.value})
                await after_step(message, state, step, year=year)
                return
            toggled = spec.toggle(selected, code)
            if toggled is None:
                await query.answer(stale_text(), show_alert=True)
                return
            await put_reg(state, **{step: toggled})
            await query.answer()
            if isinstance(message, Message):
                await message.edit_reply_markup(reply_markup=spec.keyboard(toggled))
            else:  # too old to edit: ask again with the new ticks
                await ask_step(message, state, step, year=year)

        elif step == "summary":
            if code == "edit":
                await query.answer()
                await ask_step(message, state, "edit", year=year)
            elif code == "confirm":
                await query.answer()
                await _confirm(query, state, year, volunteers, access, menus, locale)
            else:
                await query.answer(stale_text(), show_alert=True)

        elif step == "edit":
            if code not in EDITABLE:
                await query.answer(stale_text(), show_alert=True)
                return
            await query.answer()
            await ask_step(message, state, code, year=year, editing=True)

    return router


async def _is_live(query: CallbackQuery, state: FSMContext) -> bool:
    """Only the buttons of the step's latest message count (older ones are stale)."""
    data = await state.get_data()
    return query.message is not None and data.get("msg") == query.message.message_id


async def _take_phone(
    message: Message,
    state: FSMContext,
    phone: str | None,
    hint: str | None,
    clock: Clock,
    settings: Settings,
    volunteers: VolunteerService,
) -> None:
    year = year_of(clock, settings)
    if phone is not None and message.from_user is not None:
        if await volunteers.phone_taken_by_other(message.from_user.id, phone):
            phone, hint = None, phone_taken_text()
    if phone is None:
        await ask_step(message, state, "phone", year=year, hint=hint)
        return
    await put_reg(state, phone=phone)
    await message.answer(
        _("Thank you! Your phone number: {phone}").format(phone=phone), reply_markup=REMOVE_REPLY_KEYBOARD
    )
    await after_step(message, state, "phone", year=year)


async def _confirm(
    query: CallbackQuery,
    state: FSMContext,
    year: int,
    volunteers: VolunteerService,
    access: AccessService,
    menus: MenuService,
    locale: str,
) -> None:
    message = query.message
    assert message is not None
    reg = await get_reg(state)
    missing = [name for name in REQUIRED if not reg.get(name)]
    if missing:  # cannot happen through the buttons; guards forged or very old data
        await ask_step(message, state, missing[0], year=year, hint=_("Please answer this question first."), editing=False)
        return
    if is_minor(reg, year) and not reg.get("guardian_consent"):
        await ask_step(message, state, "guardian", year=year, editing=True)
        return
    registration = Registration(
        full_name=reg["full_name"],
        phone=reg["phone"],
        birth_year=int(reg["birth_year"]),
        region=reg["region"],
        locale=locale,
        city=reg.get("city"),
        directions=list(reg.get("directions") or []),
        skills=list(reg.get("skills") or []),
        availability=list(reg.get("availability") or []),
        guardian_consent=bool(reg.get("guardian_consent")) and is_minor(reg, year),
    )
    try:
        result = await volunteers.register(query.from_user.id, registration)
    except PhoneTakenError:
        await ask_step(message, state, "phone", year=year, hint=phone_taken_text(), editing=True)
        return
    await state.clear()
    text = _("Thank you, {name}! You are registered as a Birge volunteer. I will send you tasks that fit you.").format(
        name=FIELDS["full_name"].show(registration.full_name)
    )
    if result.linked_to_import:
        text += "\n\n" + _("I found your earlier record with this phone number and linked it to your Telegram account.")
    # Registered: the command menu and the main keyboard of a volunteer (or coordinator).
    await message.answer(text, reply_markup=await menus.keyboard_for_reply(query.bot, query.from_user.id))
    await send_main_menu(message, query.from_user.id, access)  # type: ignore[arg-type]
