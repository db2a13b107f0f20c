"""Editing one profile field at a time, with the same questions and the same reading of
typed answers as registration (handlers.fields.specs, handlers.fields.answers).

FSM data while editing: field (the FieldSpec name), msg (the id of the message whose
buttons are live), selected (the draft of a multi-select), pending (the codes a
confirmation's buttons may carry), tries/tries_at (refused answers in a row), chain
(values saved together at the end: a birth year that makes the person a minor waits
for the guardian's consent, name and phone; a guardian's name waits for their phone).

Fewer messages: the card becomes the question when an edit button is pressed on it, and
the question becomes the card again ("✅ Saved." on top) when it is answered with a
button. Only the phone's question is a new message (its reply keyboard has the contact
button), and saving it takes that keyboard away with "✅ Saved.".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.menus import MenuService
from bot.attendance import HoursService, Totals
from bot.config import Settings
from bot.domain.people import needs_guardian
from bot.domain.vocabulary import Vocabulary
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.volunteers.service import NotRegisteredError, PhoneTakenError, VolunteerService
from handlers.callbacks import PickCb
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
from handlers.fields.specs import REMOVE_REPLY_KEYBOARD, FieldSpec, Invalid, ask, options_keyboard
from handlers.fields.volunteer import FIELDS
from handlers.keyboards import nav_buttons
from handlers.ui import (
    AnyMessage,
    answer_stale,
    bot_of,
    buttons_expected_hint,
    drop_keyboard,
    say,
    sender_id,
    stale_text,
    text_expected_hint,
)
from handlers.volunteer.profile.card import ProfileCb, ProfileStates, has_guardian, not_registered_text, send_profile
from handlers.volunteer.registration.finish import phone_taken_text
from handlers.volunteer.registration.steps import guardian_text


def guardian_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="✅ " + _("My parent/guardian agrees"), callback_data=ProfileCb(action="guardian", arg="yes"))
    builder.button(text=_("No"), callback_data=ProfileCb(action="guardian", arg="no"))
    builder.adjust(1)
    builder.row(*nav_buttons(back=True))
    return builder.as_markup()


@dataclass(frozen=True, slots=True)
class EditContext:
    """What every step of an edit needs (the handler's typed parameters, together)."""

    volunteers: VolunteerService
    settings: Settings
    clock: Clock
    local_time: LocalTime
    locale: str
    menus: MenuService
    hours: HoursService | None = None  # for the card's hours and tasks done

    async def totals(self, user_id: int) -> Totals | None:
        return await self.hours.totals(user_id) if self.hours is not None else None

    async def main_keyboard(self, message: AnyMessage, user_id: int) -> ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
        """What replaces the phone question's contact keyboard: the main one (or none)."""
        return await self.menus.keyboard_for_reply(bot_of(message), user_id, restore=True)

    @property
    def year(self) -> int:
        return self.clock.now().astimezone(self.settings.tz).year


async def choose_field(
    query: CallbackQuery, callback_data: ProfileCb, state: FSMContext, volunteers: VolunteerService
) -> None:
    field = callback_data.arg
    if field == "locale":
        await query.answer(_("To change the interface language, send /language."), show_alert=True)
        return
    spec = FIELDS.get(field)
    if spec is None or field == "guardian_phone":
        await answer_stale(query)
        return
    await query.answer()
    if query.message is None:
        return
    volunteer = await volunteers.get(query.from_user.id)
    if volunteer is None:
        await query.message.answer(not_registered_text())
        return
    if field == "guardian_name" and not has_guardian(volunteer):
        await query.message.answer(stale_text())
        return
    current = getattr(volunteer, field)
    if spec.kind == "multi":
        current = list(current or [])
    await state.set_state(ProfileStates.editing)
    await state.set_data({"field": field, "selected": current if spec.kind == "multi" else None, "chain": {}})
    if spec.shares_contact:
        await drop_keyboard(query.message)  # the question comes as a new message, with its reply keyboard
    await _ask(query.message, spec, state, selected=current, edit=True)


async def typed(message: Message, state: FSMContext, vocabulary: Vocabulary,
                volunteers: VolunteerService, settings: Settings, clock: Clock,
                local_time: LocalTime, locale: str, menus: MenuService,
                hours: HoursService) -> None:
    edit = EditContext(volunteers, settings, clock, local_time, locale, menus, hours)
    spec, stored = await _current(state)
    if spec is None:
        await state.clear()
        return
    text = message.text or ""
    if vocabulary.is_back(text):
        await back_to_card(message, sender_id(message), state, edit, pressed=False)
        return
    own_phone = None
    if spec.name == "guardian_phone":
        volunteer = await edit.volunteers.get(sender_id(message))
        own_phone = volunteer.phone if volunteer is not None else None
    tries = int(stored.get("tries") or 0) + 1 if stored.get("tries_at") == spec.name else 1
    context = AnswerContext(
        vocabulary, edit.year, selected=list(stored.get("selected") or []), tries=tries, own_phone=own_phone
    )
    result = read_answer(spec, text, context)
    if isinstance(result, Invalid):
        await state.update_data(tries=tries, tries_at=spec.name)
        await _ask(message, spec, state, selected=stored.get("selected"), hint=result.hint)
    elif isinstance(result, Confirm):
        await _ask(message, spec, state, confirm=result)
    elif isinstance(result, Ticked):
        await state.update_data(selected=result.selected)
        await _ask(message, spec, state, selected=result.selected, hint=result.note)
    else:
        await _save(message, sender_id(message), spec, result.value, state, edit, pressed=False)


async def contact(message: Message, state: FSMContext,
                  volunteers: VolunteerService, settings: Settings, clock: Clock,
                  local_time: LocalTime, locale: str, menus: MenuService,
                hours: HoursService) -> None:
    edit = EditContext(volunteers, settings, clock, local_time, locale, menus, hours)
    spec, stored = await _current(state)
    if spec is None:
        await state.clear()
        return
    if spec.kind != "phone":
        await _ask(message, spec, state, selected=stored.get("selected"), hint=_not_this_hint(spec))
        return
    check = parse_contact(message, own=spec.shares_contact)
    if check.phone is None:
        await _ask(message, spec, state, hint=check.hint)
        return
    if not spec.shares_contact:
        volunteer = await edit.volunteers.get(sender_id(message))
        result = check_guardian_phone(spec, check.phone, volunteer.phone if volunteer else None)
        if isinstance(result, Invalid):
            await _ask(message, spec, state, hint=result.hint)
            return
    await _save(message, sender_id(message), spec, check.phone, state, edit, pressed=False)


async def not_text(message: Message, state: FSMContext) -> None:
    spec, stored = await _current(state)
    if spec is None:
        await state.clear()
        return
    await _ask(message, spec, state, selected=stored.get("selected"), hint=_not_this_hint(spec))


async def picked(query: CallbackQuery, callback_data: PickCb, state: FSMContext,
                 volunteers: VolunteerService, settings: Settings, clock: Clock,
                 local_time: LocalTime, locale: str, menus: MenuService,
                hours: HoursService) -> None:
    edit = EditContext(volunteers, settings, clock, local_time, locale, menus, hours)
    spec, stored = await _current(state)
    live = query.message is not None and query.message.message_id == stored.get("msg")
    if spec is None or callback_data.field != spec.name or not live:
        await answer_stale(query)
        return
    assert query.message is not None
    code = callback_data.code
    user_id = query.from_user.id
    pending = list(stored.get("pending") or [])
    if code == "skip" and spec.optional:
        await query.answer()
        await _save(query.message, user_id, spec, None, state, edit, pressed=True)
        return
    if spec.kind == "year":  # the confirmation of a typed "57" or "69 жас"
        if code not in pending:
            await answer_stale(query)
            return
        await query.answer()
        if code == RETYPE:
            await _ask(query.message, spec, state, edit=True)
        else:
            await _save(query.message, user_id, spec, int(code), state, edit, pressed=True)
        return
    if spec.kind == "single":
        if code == ALL_REGIONS and code in pending:
            await query.answer()
            await _ask(query.message, spec, state, edit=True)
            return
        value = spec.pick(code)
        if value is None:
            await answer_stale(query)
            return
        await query.answer()
        await _save(query.message, user_id, spec, value, state, edit, pressed=True)
        return
    if spec.kind == "multi":
        selected = list(stored.get("selected") or [])
        if code == "done":
            result = spec.finish(selected)
            if isinstance(result, Invalid):
                await query.answer(result.hint, show_alert=True)
                return
            await query.answer()
            await _save(query.message, user_id, spec, result.value, state, edit, pressed=True)
            return
        toggled = spec.toggle(selected, code)
        if toggled is None:
            await answer_stale(query)
            return
        await query.answer()
        await state.update_data(selected=toggled)
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=spec.keyboard(toggled))
        return
    await answer_stale(query)


async def guardian(query: CallbackQuery, callback_data: ProfileCb, state: FSMContext,
                   volunteers: VolunteerService, settings: Settings, clock: Clock,
                   local_time: LocalTime, locale: str, menus: MenuService,
                hours: HoursService) -> None:
    edit = EditContext(volunteers, settings, clock, local_time, locale, menus, hours)
    stored = await state.get_data()
    year = stored.get("year")
    live = query.message is not None and query.message.message_id == stored.get("msg")
    if not isinstance(year, int) or not live or callback_data.arg not in ("yes", "no"):
        await answer_stale(query)
        return
    await query.answer()
    assert query.message is not None
    if callback_data.arg == "no":
        await state.clear()
        volunteer = await edit.volunteers.get(query.from_user.id)
        refusal = _("Without a guardian's consent I cannot record this year of birth, so nothing was changed. "
                    "Talk to your parent or guardian and try again.")
        if volunteer is None:
            await query.message.answer(not_registered_text())
        else:
            await send_profile(query.message, volunteer, edit.locale, edit.local_time, note=refusal, edit=True,
                               totals=await edit.totals(query.from_user.id))
        return
    await state.set_state(ProfileStates.editing)
    await state.set_data({"field": "guardian_name", "chain": {"birth_year": year, "guardian_consent": True},
                          "msg": stored.get("msg")})
    await _ask(query.message, FIELDS["guardian_name"], state, edit=True)


def build_edit_router() -> Router:
    router = Router(name="profile_edit")
    router.callback_query.register(choose_field, ProfileCb.filter(F.action == "edit"))
    router.message.register(typed, ProfileStates.editing, F.text & ~F.text.startswith("/"))
    router.message.register(contact, ProfileStates.editing, F.contact)
    router.message.register(not_text, ProfileStates.editing, ~F.text)
    router.callback_query.register(picked, ProfileStates.editing, PickCb.filter())
    router.callback_query.register(guardian, ProfileStates.guardian, ProfileCb.filter(F.action == "guardian"))
    return router


async def back_to_card(message: AnyMessage, user_id: int, state: FSMContext, edit: EditContext, *, pressed: bool) -> None:
    """Leave the edit unchanged and show the card (the question becomes the card when a
    button was pressed on it; the phone's reply keyboard goes with "Nothing was changed.")."""
    stored = await state.get_data()
    await state.clear()
    volunteer = await edit.volunteers.get(user_id)
    if volunteer is None:
        await message.answer(not_registered_text(), reply_markup=REMOVE_REPLY_KEYBOARD)
        return
    if stored.get("field") == "phone":
        await message.answer(_("Nothing was changed."), reply_markup=await edit.main_keyboard(message, user_id))
        await send_profile(message, volunteer, edit.locale, edit.local_time, totals=await edit.totals(user_id))
        return
    await send_profile(message, volunteer, edit.locale, edit.local_time, edit=pressed,
                       totals=await edit.totals(user_id))


def _not_this_hint(spec: FieldSpec) -> str:
    return buttons_expected_hint() if spec.is_choice else text_expected_hint()


async def _current(state: FSMContext) -> tuple[FieldSpec | None, dict[str, Any]]:
    data = await state.get_data()
    return FIELDS.get(str(data.get("field"))), data


async def _ask(
    message: AnyMessage,
    spec: FieldSpec,
    state: FSMContext,
    *,
    selected: Any = None,
    hint: str | None = None,
    confirm: Confirm | None = None,
    edit: bool = False,
) -> None:
    """(Re)ask the field's question (or a confirmation); only the newest copy's buttons stay live."""
    markup = options_keyboard(spec.name, confirm.options) if confirm is not None else None
    sent = await ask(
        message, spec, selected, hint=hint, edit=edit, markup=markup, text=confirm.text if confirm is not None else None
    )
    await state.update_data(msg=sent.message_id, field=spec.name, pending=list(confirm.pending) if confirm else [])


async def _save(
    message: AnyMessage, user_id: int, spec: FieldSpec, value: Any, state: FSMContext, edit: EditContext, *, pressed: bool
) -> None:
    """An answer was taken: ask what must come with it, or store it and show the card."""
    stored = await state.get_data()
    chain: dict[str, Any] = dict(stored.get("chain") or {})
    if spec.shares_contact and await edit.volunteers.phone_taken_by_other(user_id, value):
        await _ask(message, spec, state, hint=phone_taken_text())
        return
    if spec.name == "birth_year":
        volunteer = await edit.volunteers.get(user_id)
        if volunteer is not None and volunteer.guardian_consent_at is None and needs_guardian(value, edit.year):
            await state.set_state(ProfileStates.guardian)
            question = guardian_text({"birth_year": value}, edit.year)
            sent = await say(message, question, guardian_keyboard(), in_place=pressed)
            await state.set_data({"field": spec.name, "year": value, "msg": sent.message_id})
            return
    if spec.name == "guardian_name":
        await state.update_data(chain={**chain, "guardian_name": value}, selected=None)
        await _ask(message, FIELDS["guardian_phone"], state, edit=pressed)
        return
    await state.clear()
    await _store(message, user_id, {**chain, spec.name: value}, edit, phone=spec.shares_contact, pressed=pressed)


async def _store(
    message: AnyMessage, user_id: int, changes: dict[str, Any], edit: EditContext, *, phone: bool, pressed: bool
) -> None:
    try:
        volunteer = await edit.volunteers.update(user_id, **changes)
    except NotRegisteredError:
        await message.answer(not_registered_text(), reply_markup=REMOVE_REPLY_KEYBOARD if phone else None)
        return
    except PhoneTakenError:
        # Taken between the check and the save: nothing was changed.
        keyboard = await edit.main_keyboard(message, user_id) if phone else None
        await message.answer(phone_taken_text(), reply_markup=keyboard)
        return
    saved = "✅ " + _("Saved.")
    if phone:  # the contact keyboard gives way to the main one, with a message of its own
        await message.answer(saved, reply_markup=await edit.main_keyboard(message, user_id))
        await send_profile(message, volunteer, edit.locale, edit.local_time, totals=await edit.totals(user_id))
        return
    await send_profile(message, volunteer, edit.locale, edit.local_time, note=saved, edit=pressed,
                       totals=await edit.totals(user_id))
