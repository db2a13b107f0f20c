"""Volunteer registration: the handlers of each step (the steps themselves, their order
and questions are in handlers/volunteer/registration/steps.py; typed answers are read by
handlers/fields/answers.py, field rules in handlers/fields/specs.py).

Every handler is bound to a registration FSM state, and a button counts only if it is
on the message whose buttons are live (its id is kept in FSM data) and belongs to the
current step: anything else is answered "no longer active" and changes nothing. Text
is read at every step: names, phones, years ("57", "69 жас"), regions ("Алматы"),
list items ("здоровье, экология"), "готово" where a Done button is expected, and
"⬅️ Back" / "назад" as the Back button.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.access.menus import MenuService
from bot.access.roles import AccessService
from bot.config import Settings
from bot.domain.vocabulary import Vocabulary
from bot.infra.clock import Clock
from bot.volunteers.service import VolunteerService
from handlers.callbacks import NavCb, PickCb
from handlers.fields.answers import (
    ALL_REGIONS,
    RETYPE,
    AnswerContext,
    Confirm,
    Ticked,
    check_guardian_phone,
    parse_contact,
    read_answer,
)
from handlers.fields.specs import REMOVE_REPLY_KEYBOARD, Invalid, Parsed
from handlers.fields.volunteer import FIELDS
from handlers.ui import NOT_A_COMMAND, answer_stale, buttons_expected_hint, live_button, text_expected_hint
from handlers.volunteer.registration.finish import finish, phone_taken_text
from handlers.volunteer.registration.steps import (
    EDITABLE,
    TYPED_STEPS,
    RegStates,
    after_step,
    ask_step,
    count_try,
    get_reg,
    go_back,
    is_minor,
    put_reg,
    step_of,
    understood,
    year_of,
)

# The PickCb field a step's buttons carry.
STEP_FIELD = {
    "consent": "consent",
    "guardian": "guardian",
    "birth_year": "birth_year",
    "region": "region",
    "city": "city",
    "directions": "directions",
    "skills": "skills",
    "availability": "availability",
    "languages": "languages",
    "summary": "summary",
    "edit": "edit",
}
MULTI_STEPS = ("directions", "skills", "availability", "languages")



async def typed_answer(
    message: Message,
    state: FSMContext,
    raw_state: str | None,
    clock: Clock,
    settings: Settings,
    volunteers: VolunteerService,
    vocabulary: Vocabulary,
) -> None:
    step = step_of(raw_state)
    assert step is not None
    year = year_of(clock, settings)
    text = message.text or ""
    if vocabulary.is_back(text):
        await go_back(message, state, step, year=year)
        return
    spec = FIELDS.get(step)
    if spec is None:  # consent, guardian, summary, edit, language: buttons only
        await ask_step(message, state, step, year=year, hint=buttons_expected_hint())
        return
    reg = await get_reg(state)
    context = AnswerContext(
        vocabulary, year, selected=list(reg.get(step) or []) if step in MULTI_STEPS else [],
        own_phone=reg.get("phone"),
        tries=int((await state.get_data()).get("tries") or 0) + 1,
    )
    result = read_answer(spec, text, context)
    if isinstance(result, Invalid):
        await count_try(state, step)
        await ask_step(message, state, step, year=year, hint=result.hint)
    elif isinstance(result, Confirm):
        await ask_step(message, state, step, year=year, confirm=result)
    elif isinstance(result, Ticked):
        await put_reg(state, **{step: result.selected})
        await ask_step(message, state, step, year=year, hint=result.note)
    elif step == "phone":
        await _take_phone(message, state, result.value, None, year, volunteers)
    else:
        await _take(message, state, step, result.value, year, prefix=_typed_prefix(step, result.value))


async def shared_contact(
    message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings,
    volunteers: VolunteerService,
) -> None:
    year = year_of(clock, settings)
    if step_of(raw_state) == "guardian_phone":
        check = parse_contact(message, own=False)
        result = Invalid(check.hint or "") if check.phone is None else check_guardian_phone(
            FIELDS["guardian_phone"], check.phone, (await get_reg(state)).get("phone")
        )
        if isinstance(result, Parsed):
            await _take(message, state, "guardian_phone", result.value, year)
        else:
            await ask_step(message, state, "guardian_phone", year=year, hint=result.hint)  # type: ignore[union-attr]  # a phone reads as Parsed or Invalid only
        return
    check = parse_contact(message)
    await _take_phone(message, state, check.phone, check.hint, year, volunteers)


async def unexpected_input(
    message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings
) -> None:
    """A sticker/photo/voice where text is asked, or anything else that is not text."""
    step = step_of(raw_state)
    assert step is not None
    hint = text_expected_hint() if step in TYPED_STEPS else buttons_expected_hint()
    await ask_step(message, state, step, year=year_of(clock, settings), hint=hint)


async def back(
    query: CallbackQuery, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings
) -> None:
    step = step_of(raw_state)
    if step is None or not await live_button(query, state) or query.message is None:
        await answer_stale(query)
        return
    await query.answer()
    await go_back(query.message, state, step, year=year_of(clock, settings))


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
        or not await live_button(query, state)
    ):
        await answer_stale(query)
        return
    year = year_of(clock, settings)
    code = callback_data.code
    pending = list((await state.get_data()).get("pending") or [])

    if step == "consent":
        if code != "yes":
            await answer_stale(query)
            return
        await query.answer()
        await after_step(message, state, step, year=year, prefix="✅ " + _("You agreed to the processing of your personal data."))

    elif step == "guardian":
        if code not in ("yes", "no"):
            await answer_stale(query)
            return
        await query.answer()
        if code == "no":
            await state.clear()
            await message.answer(
                _(
                    "We understand. Without the consent of a parent or guardian we cannot register you "
                    "yet, and nothing has been saved. You are welcome to come back together with them: "
                    "just send /start."
                ),
                reply_markup=REMOVE_REPLY_KEYBOARD,
            )
            return
        await put_reg(state, guardian_consent=True)
        await after_step(message, state, step, year=year)

    elif step == "birth_year":  # the confirmation of a typed "57" or "69 жас"
        if code not in pending:
            await answer_stale(query)
            return
        await query.answer()
        if code == RETYPE:
            await ask_step(message, state, step, year=year)
            return
        await _take(message, state, step, int(code), year)

    elif step == "region":
        region = FIELDS["region"].pick(code)
        if code == ALL_REGIONS and code in pending:
            await query.answer()
            await ask_step(message, state, step, year=year)
            return
        if region is None:
            await answer_stale(query)
            return
        await query.answer()
        await put_reg(state, region=region)
        await after_step(message, state, step, year=year)

    elif step == "city":
        if code != "skip":
            await answer_stale(query)
            return
        await query.answer()
        await put_reg(state, city=None)
        await after_step(message, state, step, year=year)

    elif step in MULTI_STEPS:
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
            await answer_stale(query)
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
            await finish(query, state, year, volunteers, access, menus, locale)
        else:
            await answer_stale(query)

    elif step == "edit":
        if code not in EDITABLE or (code == "guardian_name" and not is_minor(await get_reg(state), year)):
            await answer_stale(query)
            return
        await query.answer()
        await ask_step(message, state, code, year=year, editing=True)


def build_registration_router() -> Router:
    router = Router(name="registration")
    # --- typed answers -----------------------------------------------------------------
    router.message.register(typed_answer, StateFilter(RegStates), F.text, NOT_A_COMMAND)
    router.message.register(shared_contact, StateFilter(RegStates.phone, RegStates.guardian_phone), F.contact)
    router.message.register(unexpected_input, StateFilter(RegStates), NOT_A_COMMAND)
    # --- buttons -----------------------------------------------------------------------
    router.callback_query.register(back, NavCb.filter(F.action == "back"), StateFilter(RegStates))
    router.callback_query.register(picked, PickCb.filter(), StateFilter(RegStates))
    return router


def _typed_prefix(step: str, value: Any) -> str | None:
    """Confirm on top of the next question what a typed answer was taken as, when it
    was read rather than copied (a region or a list from its name)."""
    return understood(step, value) if step in ("region", *MULTI_STEPS) else None


async def _take(message: Message | Any, state: FSMContext, step: str, value: Any, year: int, *,
                prefix: str | None = None) -> None:
    values: dict[str, Any] = {step: value}
    if step == "birth_year":
        reg = await get_reg(state)
        reg["birth_year"] = value
        if not is_minor(reg, year):
            values.update(guardian_consent=False, guardian_name=None, guardian_phone=None)
    await put_reg(state, **values)
    await after_step(message, state, step, year=year, prefix=prefix)


async def _take_phone(
    message: Message,
    state: FSMContext,
    phone: str | None,
    hint: str | None,
    year: int,
    volunteers: VolunteerService,
) -> None:
    if phone is not None and message.from_user is not None:
        if await volunteers.phone_taken_by_other(message.from_user.id, phone):
            phone, hint = None, phone_taken_text()
    if phone is None:
        await count_try(state, "phone")
        await ask_step(message, state, "phone", year=year, hint=hint)
        return
    await put_reg(state, phone=phone)
    await after_step(message, state, "phone", year=year, prefix=understood("phone", phone))
