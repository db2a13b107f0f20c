"""A volunteer's answer to a call-out card: "Coming, ~15/30/60 min", "Can't", "I've
arrived", "Stay on standby". The press is answered at once; the card is redrawn with
the answer under it and the buttons that fit it (bot/callouts/cards.py). A press on a
call-out not sent to this person, or after the close, gets a polite answer and
changes nothing (bot/callouts/answers.py decides)."""

from __future__ import annotations

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callouts.answers import AnswerResult, AnswerService, Outcome
from bot.callouts.cards import CalloutCardCb, CalloutCards
from bot.domain.callouts import CalloutStatus
from bot.emergencies.service import EmergencyService
from handlers.ui import drop_keyboard

# Answers that change the card (the others only answer the press).
REDRAWN = (Outcome.COMING, Outcome.FILLED_NOW, Outcome.ALREADY_FILLED, Outcome.STANDBY, Outcome.DECLINED,
           Outcome.CANCELLED, Outcome.ARRIVED)


def _reply(result: AnswerResult) -> tuple[str, bool]:
    """The text of the press's answer, and whether it is an alert."""
    outcome = result.outcome
    if outcome == Outcome.NOT_INVITED:
        return _("This call-out was not sent to you. Thank you for wanting to help!"), True
    if outcome == Outcome.CLOSED:
        return _("This call-out is closed. Thank you!"), True
    if outcome == Outcome.ALREADY_FILLED:
        return _("Already filled — thank you. Stay on standby?"), True
    if outcome in (Outcome.COMING, Outcome.FILLED_NOW):
        return _("✅ Thank you! The coordinator sees that you are coming."), False
    if outcome == Outcome.STANDBY:
        return _("🕒 Thank you, you are on standby."), False
    if outcome == Outcome.DECLINED:
        return _("OK, thank you for letting us know."), False
    if outcome == Outcome.CANCELLED:
        return _("OK, the coordinator sees that you can't come after all."), False
    if outcome == Outcome.ARRIVED:
        return _("📍 Thank you! The coordinator sees that you are on site."), False
    if outcome == Outcome.NOT_COMING:
        return _("Please press “Coming” first."), True
    return "", False


async def answer_callout(query: CallbackQuery, callback_data: CalloutCardCb, callout_answers: AnswerService,
                         callout_cards: CalloutCards, emergencies: EmergencyService, locale: str) -> None:
    result = await callout_answers.answer(query.from_user.id, callback_data.callout_id, callback_data.action,
                                          callback_data.eta)
    text, alert = _reply(result)
    await query.answer(text, show_alert=alert)
    message = query.message
    if not isinstance(message, Message) or result.callout is None:
        return
    if result.outcome == Outcome.CLOSED:
        await drop_keyboard(message)
        return
    if result.outcome not in REDRAWN or result.status is None:
        return
    callout = result.callout
    emergency = await emergencies.get(callout.emergency_id) if callout.emergency_id else None
    card = callout_cards.text(callout, locale, emergency_name=emergency.name if emergency else None,
                              safety_notes=emergency.safety_notes if emergency else None)
    if result.outcome == Outcome.ALREADY_FILLED:
        status_line = "✅ " + _("Already filled — thank you. Stay on standby?")
    else:
        status_line = callout_cards.status_line(result.status, result.eta, locale)
    markup = callout_cards.markup_for(result.status, callout.id, locale,
                                      filled=callout.status == CalloutStatus.FILLED)
    if result.outcome == Outcome.ALREADY_FILLED and message.reply_markup == markup:
        return  # told so already: the same card again would be refused by Telegram
    try:
        await message.edit_text(card + ("\n\n" + status_line if status_line else ""), reply_markup=markup)
    except TelegramBadRequest:
        pass  # unchanged, or too old to edit: the press was answered


def build_callout_card_router() -> Router:
    router = Router(name="callout-card")
    router.callback_query.register(answer_callout, CalloutCardCb.filter())
    return router
