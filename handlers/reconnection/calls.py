"""/calls: a relay caller gets one request at a time and reports the outcome; opting in
from /profile. The phone is shown only here, to the caller holding the claim, as a
tel: link, and is taken off the card once the outcome is reported (or the claim is lost)."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.people import clean_text, format_phone
from bot.domain.reconnection import MAX_ATTEMPTS, MAX_NOTE_LENGTH, Outcome, reference
from bot.infra.i18n import LocalTime
from bot.reconnection.calls import CallService, Next, NextCall
from bot.reconnection.notify import Notifier
from bot.reconnection.requests import RequestService
from handlers.reconnection.common import CallCb, CallStates, region_name, speak_name
from handlers.ui import NOT_A_COMMAND, answer_stale, sender_id, show
from handlers.volunteer.profile.card import ProfileCb


def card_text(call: NextCall, similar: list, locale: str, local_time: LocalTime) -> str:
    request = call.request
    assert request is not None
    phone = request.phone or ""
    ref = reference(call.asks[0].id) if call.asks else f"#{request.id}"
    lines = [
        "📞 <b>" + _("Call {ref}").format(ref=ref) + "</b>",
        _("Name: <b>{name}</b>").format(name=html.escape(request.full_name)),
        _("Phone: {phone}").format(phone=f'<a href="tel:{phone}">{format_phone(phone)}</a>'),
        _("Where: {place}").format(place=html.escape(", ".join(p for p in (request.city, region_name(request.region))
                                                               if p))),
        _("Speak: {language}").format(language=speak_name(request.language, locale)),
        _("Attempt {number} of {max}").format(number=request.attempts + 1, max=MAX_ATTEMPTS),
    ]
    if request.elderly:
        lines.append("👵 " + _("Elderly (70 or older)"))
    if request.medical:
        lines.append("💊 " + _("Needs medical care"))
    for ask in call.asks:
        line = _("Asked by their {relation}").format(relation=html.escape(ask.relation or "—"))
        if ask.message:
            line += ": «" + html.escape(ask.message) + "»"
        lines.append("• " + line)
    for other in similar:
        lines.append("ℹ️ " + _("Possibly the same person: {name}, {place} (another request)").format(
            name=html.escape(other.full_name), place=html.escape(other.city or region_name(other.region))))
    if request.claimed_until is not None:
        lines.append("")
        lines.append(_("This call is yours until {time}.").format(time=local_time.time(request.claimed_until, locale)))
    return "\n".join(lines)


def card_keyboard(request_id: int) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=CallCb(action=action, request_id=request_id).pack())

    return InlineKeyboardMarkup(inline_keyboard=[
        [button("✅ " + _("Reached, safe"), "safe"), button("🆘 " + _("Needs help"), "help")],
        [button("📵 " + _("No answer"), "noanswer"), button("❌ " + _("Wrong number"), "wrong")],
        [button("↩️ " + _("Release"), "release")],
    ])


def next_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text="📞 " + _("Next call"), callback_data=CallCb(action="next").pack())]])


async def _next(target: Message, user_id: int, calls: CallService, requests: RequestService, locale: str,
                local_time: LocalTime) -> None:
    call = await calls.next_call(user_id)
    if call.result == Next.NOT_CALLER:
        await target.answer(_("Relay calls are made by registered volunteers who turned them on in /profile "
                              "(the “📞 Relay calls” button)."))
    elif call.result == Next.NO_LANGUAGES:
        await target.answer(_("Please add the languages you speak in /profile first: requests are matched to them."))
    elif call.result == Next.EMPTY:
        await target.answer(_("Nobody is waiting for a call in your languages right now. Thank you! Send /calls "
                              "again later."))
    else:
        assert call.request is not None
        similar = await requests.similar(call.request)
        await target.answer(card_text(call, similar, locale, local_time), reply_markup=card_keyboard(call.request.id))


async def calls_command(message: Message, state: FSMContext, calls: CallService, requests: RequestService,
                        locale: str, local_time: LocalTime) -> None:
    await state.clear()
    await _next(message, sender_id(message), calls, requests, locale, local_time)


async def next_button(query: CallbackQuery, calls: CallService, requests: RequestService, locale: str,
                      local_time: LocalTime) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _next(query.message, query.from_user.id, calls, requests, locale, local_time)


def outcome_line(outcome: Outcome) -> str:
    return {Outcome.SAFE: _("reached, safe"), Outcome.NEEDS_HELP: _("reached, needs help"),
            Outcome.NO_ANSWER: _("no answer"), Outcome.WRONG_NUMBER: _("wrong number")}[outcome]


async def lost(query: CallbackQuery) -> None:
    await query.answer(_("This call is no longer yours: the 20 minutes ran out or the request was closed."),
                       show_alert=True)
    await show(query, _("This call is no longer yours: the 20 minutes ran out or the request was closed."),
               next_keyboard())


async def outcome_button(query: CallbackQuery, callback_data: CallCb, state: FSMContext, calls: CallService,
                         notifier: Notifier) -> None:
    held = await calls.held(query.from_user.id, callback_data.request_id)
    if held is None:
        await lost(query)
        return
    if callback_data.action == "release":
        await calls.release(callback_data.request_id, query.from_user.id)
        await query.answer()
        await show(query, _("Released: the request is back in the queue."), next_keyboard())
        return
    outcome = Outcome(callback_data.action)
    if outcome in (Outcome.SAFE, Outcome.NEEDS_HELP):
        await query.answer()
        await state.set_state(CallStates.note)
        await state.update_data(request_id=callback_data.request_id, outcome=outcome.value)
        await show(query, _("Did they ask to pass anything on? Type a short message (up to {max} characters), or "
                            "press Skip.").format(max=MAX_NOTE_LENGTH), InlineKeyboardMarkup(inline_keyboard=[[
                                InlineKeyboardButton(text=_("Skip ➡️"), callback_data=CallCb(
                                    action="skip", request_id=callback_data.request_id).pack())]]))
        return
    await _finish(query, query.from_user.id, callback_data.request_id, outcome, None, calls)


async def _finish(query: CallbackQuery | None, user_id: int, request_id: int, outcome: Outcome, note: str | None,
                  calls: CallService, message: Message | None = None) -> None:
    request = await calls.report(request_id, user_id, outcome, note)
    if request is None:
        if query is not None:
            await lost(query)
        elif message is not None:
            await message.answer(_("This call is no longer yours: the 20 minutes ran out or the request was closed."),
                                 reply_markup=next_keyboard())
        return
    text = _("Thank you! Recorded: {outcome}. The family is told.").format(outcome=outcome_line(outcome))
    if query is not None:
        await query.answer()
        await show(query, text, next_keyboard())
    elif message is not None:
        await message.answer(text, reply_markup=next_keyboard())


async def note_skip(query: CallbackQuery, callback_data: CallCb, state: FSMContext, calls: CallService) -> None:
    data = await state.get_data()
    if data.get("request_id") != callback_data.request_id:
        await answer_stale(query)
        return
    await state.clear()
    await _finish(query, query.from_user.id, callback_data.request_id, Outcome(data["outcome"]), None, calls)


async def note_typed(message: Message, state: FSMContext, calls: CallService) -> None:
    note = clean_text(message.text or "")
    if not note or len(note) > MAX_NOTE_LENGTH:
        await message.answer(_("At most {max} characters, please, or press Skip.").format(max=MAX_NOTE_LENGTH))
        return
    data = await state.get_data()
    await state.clear()
    await _finish(None, sender_id(message), int(data["request_id"]), Outcome(data["outcome"]), note, calls,
                  message)


async def caller_screen(query: CallbackQuery, callback_data: CallCb, calls: CallService, locale: str) -> None:
    if callback_data.action in ("caller_on", "caller_off"):
        if not await calls.set_caller(query.from_user.id, callback_data.action == "caller_on"):
            await answer_stale(query)
            return
    volunteer, is_caller = await calls.caller(query.from_user.id)
    if volunteer is None:
        await answer_stale(query)
        return
    await query.answer()
    languages = ", ".join(speak_name(code, locale) for code in volunteer.languages) or "—"
    text = _("📞 <b>Relay calls</b>\nFamilies ask us to check on someone who cannot be reached. A relay caller takes "
             "one request at a time with /calls, phones the person in a language they speak, and reports what "
             "happened. Your languages: {languages} (change them in your profile).").format(languages=languages)
    text += "\n\n" + (_("You make relay calls.") if is_caller else _("You do not make relay calls."))
    toggle = (InlineKeyboardButton(text=_("Stop making calls"), callback_data=CallCb(action="caller_off").pack())
              if is_caller else
              InlineKeyboardButton(text=_("Make relay calls"), callback_data=CallCb(action="caller_on").pack()))
    await show(query, text, InlineKeyboardMarkup(inline_keyboard=[[toggle], [InlineKeyboardButton(
        text="⬅️ " + _("Back"), callback_data=ProfileCb(action="show").pack())]]))


def build_calls_router() -> Router:
    router = Router(name="reconnection-calls")
    router.message.filter(F.chat.type == "private")
    router.message.register(calls_command, Command("calls"))
    router.message.register(note_typed, StateFilter(CallStates.note), F.text, NOT_A_COMMAND)
    router.callback_query.register(next_button, CallCb.filter(F.action == "next"))
    router.callback_query.register(note_skip, StateFilter(CallStates.note), CallCb.filter(F.action == "skip"))
    router.callback_query.register(outcome_button, CallCb.filter(F.action.in_(
        {"safe", "help", "noanswer", "wrong", "release"})))
    router.callback_query.register(caller_screen, CallCb.filter(F.action.in_({"caller", "caller_on", "caller_off"})))
    return router
