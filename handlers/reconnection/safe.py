"""/safe: "I'm safe" from the person themselves (with or without an emergency): name,
city, optionally a phone and a short message. A matching phone answers an open request
at once; a matching name is offered to the requester to confirm. The check-in buttons
("are you safe?" sent to volunteers of affected regions) are answered here too."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.names import fold_name
from bot.domain.people import clean_text, normalize_phone, parse_city, parse_full_name
from bot.domain.reconnection import MAX_MESSAGE_LENGTH
from bot.domain.vocabulary import Vocabulary
from bot.reconnection.buttons import CheckinCb
from bot.reconnection.checkins import SafetyCheckinService
from bot.reconnection.safe import SafeService
from handlers.reconnection.common import RcCb, SafeStates, nav_keyboard, skip_keyboard
from handlers.ui import NOT_A_COMMAND, answer_stale, show, text_expected_hint

ORDER = ("name", "city", "phone", "message")


async def ask(message: Message, state: FSMContext, step: str) -> None:
    await state.set_state(getattr(SafeStates, step))
    if step == "name":
        await message.answer(_("🟢 <b>I am safe</b>\nI will tell the families looking for you. What is your full "
                               "name?"), reply_markup=nav_keyboard(back=False))
    elif step == "city":
        await message.answer(_("Where are you now? Type the city, town or district."), reply_markup=nav_keyboard())
    elif step == "phone":
        await message.answer(_("Your phone number, so a family who asked for it is answered at once (it is shown to "
                               "nobody). Or press Skip."), reply_markup=skip_keyboard())
    else:
        await message.answer(_("A short message for your family (up to {max} characters), or press Skip.").format(
            max=MAX_MESSAGE_LENGTH), reply_markup=skip_keyboard())


async def safe_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await ask(message, state, "name")


async def typed(message: Message, state: FSMContext, safe: SafeService, vocabulary: Vocabulary) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    text = message.text or ""
    if step == "name":
        name = parse_full_name(text)
        if name is None or not fold_name(name):
            await message.answer(_("Please type your name in letters, for example: Айгүл Сейітова."))
            return
        await state.update_data(name=name)
    elif step == "city":
        city = parse_city(text)
        if city is None:
            await message.answer(_("Please type the name of the city, town or district."))
            return
        await state.update_data(city=city, region=vocabulary.region(city).preferred)
    elif step == "phone":
        phone = normalize_phone(text)
        if phone is None:
            await message.answer(_("This does not look like a phone number. Please type it with digits, for example "
                                   "+7 701 234 56 78."))
            return
        await state.update_data(phone=phone)
    else:
        note = clean_text(text)
        if not note or len(note) > MAX_MESSAGE_LENGTH:
            await message.answer(_("This is too long: at most {max} characters, please.").format(max=MAX_MESSAGE_LENGTH))
            return
        await state.update_data(message=note)
        await _save(message, state, safe)
        return
    await ask(message, state, ORDER[ORDER.index(step) + 1])


async def skip(query: CallbackQuery, state: FSMContext, safe: SafeService) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    if not isinstance(query.message, Message) or step not in ("phone", "message"):
        await answer_stale(query)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    if step == "phone":
        await ask(query.message, state, "message")
    else:
        await _save(query.message, state, safe)


async def _save(message: Message, state: FSMContext, safe: SafeService) -> None:
    data = await state.get_data()
    await state.clear()
    user = message.chat.id
    result = await safe.report(user, data["name"], data.get("city"), data.get("region"), data.get("phone"),
                               data.get("message"))
    text = _("✅ Thank you. Your report is saved.")
    if result.answered:
        text += "\n" + _("A family was looking for you by your phone number: they are told now.")
    if result.offered:
        text += "\n" + _("Families looking for someone with your name are asked whether it is you.")
    await message.answer(text)


async def not_text(message: Message) -> None:
    await message.answer(text_expected_hint())


async def back(query: CallbackQuery, state: FSMContext) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    if not isinstance(query.message, Message) or step not in ORDER or step == "name":
        await answer_stale(query)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await ask(query.message, state, ORDER[ORDER.index(step) - 1])


async def checkin_answer(query: CallbackQuery, callback_data: CheckinCb, safety_checkins: SafetyCheckinService) -> None:
    if not await safety_checkins.answer(callback_data.checkin_id, query.from_user.id, callback_data.answer):
        await answer_stale(query)
        return
    await query.answer()
    text = (_("✅ Thank you: you are marked safe.") if callback_data.answer == "safe"
            else _("🆘 Recorded: the coordinators of your region see that you need help."))
    await show(query, text)


def build_safe_router() -> Router:
    router = Router(name="reconnection-safe")
    router.message.filter(F.chat.type == "private")
    router.message.register(safe_command, Command("safe"))
    router.message.register(safe_command, CommandStart(deep_link=True, magic=F.args == "safe"))
    router.message.register(typed, StateFilter(SafeStates), F.text, NOT_A_COMMAND)
    router.message.register(not_text, StateFilter(SafeStates), ~F.text)
    router.callback_query.register(skip, StateFilter(SafeStates), RcCb.filter(F.action == "skip"))
    router.callback_query.register(back, StateFilter(SafeStates), F.data == "nav:back")
    router.callback_query.register(checkin_answer, CheckinCb.filter())
    return router
