"""The buttons of a task card: I'll go, Can't, Details, Join the waitlist, Confirm my place.

Every press is decided on the server (bot/tasks/signups.py): the button only names the
action and the task. A press on a task that was not offered to the person (and that they
are not eligible for), on a cancelled, started or full task, or a repeated press gets a
polite answer and changes nothing. After a press the card is redrawn as it is now
(places left, the right buttons), so an old card cannot mislead.
"""

from __future__ import annotations

import html as std_html
import logging
import re

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.signups import ACTIVE_SIGNUPS, Outcome, SignupStatus
from bot.tasks.cards import TaskCardCb
from bot.tasks.offers import OfferService
from bot.tasks.signups import Result, SignupService
from handlers.ui import stale_text
from storage.models import Task

log = logging.getLogger(__name__)


def outcome_text(result: Result) -> tuple[str, bool]:
    """What to answer the press with (≤ 200 characters), and whether as an alert."""
    outcome = result.outcome
    if outcome == Outcome.GOING:
        return _("✅ You are signed up! See you there."), False
    if outcome == Outcome.CONFIRMED:
        return _("✅ Confirmed: the place is yours. See you there!"), False
    if outcome == Outcome.WAITLISTED:
        return _("🕒 You are on the waitlist. I will write to you if a place opens up."), True
    if outcome == Outcome.DECLINED:
        return _("OK, maybe next time."), False
    if outcome == Outcome.CANCELLED:
        return _("Your place goes to the next person on the waitlist."), False
    if outcome == Outcome.ALREADY:
        if result.status == SignupStatus.WAITLISTED:
            return _("You are already on the waitlist for this task."), True
        if result.status == SignupStatus.OFFERED:
            return _("A place is held for you: press “Confirm my place”."), True
        return _("You are already signed up for this task. To cancel, use /my."), True
    if outcome == Outcome.FULL:
        return _("Sorry, all places are taken. You can join the waitlist."), True
    if outcome == Outcome.FREE:
        return _("A place is free: press “I'll go”."), True
    if outcome == Outcome.BUSY:
        return _("You already have a place on another task at that time."), True
    if outcome == Outcome.EXPIRED:
        return _("Sorry, the time to confirm has passed and the place went to the next person."), True
    if outcome == Outcome.NOT_SIGNED_UP:
        return _("You are not signed up for this task."), True
    if outcome == Outcome.NOT_REGISTERED:
        return _("Please register first: send /start."), True
    if outcome == Outcome.NOT_OFFERED:
        return _("Sorry, this task was not offered to you."), True
    if outcome == Outcome.CLOSED:
        return _("Sorry, this task is no longer open for sign-ups."), True
    return stale_text(), True


def card_markup_for(task: Task, status: str | None, offers: OfferService, locale: str) -> InlineKeyboardMarkup | None:
    """The buttons a card should show to this person now."""
    details = InlineKeyboardButton(text="ℹ️ " + _("Details"),
                                   callback_data=TaskCardCb(action="info", task_id=task.id).pack())
    if not task.status.accepts_signups:
        return None
    if status == SignupStatus.OFFERED:
        return InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="✅ " + _("Confirm my place"),
                                 callback_data=TaskCardCb(action="confirm", task_id=task.id).pack()),
            InlineKeyboardButton(text="🙅 " + _("Can't"), callback_data=TaskCardCb(action="no", task_id=task.id).pack()),
        ]])
    if status in ACTIVE_SIGNUPS:
        return InlineKeyboardMarkup(inline_keyboard=[[details]])
    return offers.cards.offer_markup(task, locale)


def status_line(status: str | None) -> str | None:
    if status == SignupStatus.GOING:
        return "✅ " + _("You are signed up.")
    if status == SignupStatus.WAITLISTED:
        return "🕒 " + _("You are on the waitlist.")
    if status == SignupStatus.OFFERED:
        return "🎉 " + _("A place is held for you: please confirm.")
    return None


def card_text_for(task: Task, status: str | None, offers: OfferService, locale: str, *, details: bool = False) -> str:
    text = offers.cards.text(task, locale, details=details, waitlist_hint=status not in ACTIVE_SIGNUPS)
    line = status_line(status)
    return text + "\n\n" + line if line else text


def is_card_of(message: Message, task_id: int) -> bool:
    """Is this message a card of this task (all its buttons are this task's card
    buttons)? A forged press may point at any message; only a card is redrawn."""
    markup = message.reply_markup
    if markup is None or not markup.inline_keyboard:
        return False
    for row in markup.inline_keyboard:
        for button in row:
            data = button.callback_data or ""
            try:
                if TaskCardCb.unpack(data).task_id != task_id:
                    return False
            except (TypeError, ValueError):
                return False
    return True


def _plain(text: str) -> str:
    return std_html.unescape(re.sub(r"<[^>]+>", "", text))


async def redraw(message: Message | InaccessibleMessage | None, task: Task | None, status: str | None, offers: OfferService,
                 locale: str) -> None:
    """Show the card as it is now; nothing is sent when it already shows that."""
    if task is None or not isinstance(message, Message) or not is_card_of(message, task.id):
        return
    text = card_text_for(task, status, offers, locale)
    markup = card_markup_for(task, status, offers, locale)
    if _plain(text) == (message.text or "") and markup == message.reply_markup:
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if "not modified" not in str(error).lower():
            log.warning("task card %s not redrawn: %s", task.id, error)


async def _respond(query: CallbackQuery, result: Result, signups: SignupService, offers: OfferService,
                   locale: str, *, redraw_card: bool = True) -> None:
    text, alert = outcome_text(result)
    await query.answer(text[:200], show_alert=alert)
    # Not on a repeated press: the first press redraws, and a second edit to the same
    # content would be refused by Telegram ("message is not modified").
    if redraw_card and result.task is not None and result.outcome not in (
            Outcome.NOT_OFFERED, Outcome.NOT_REGISTERED, Outcome.ALREADY):
        # The task as the press left it (read or updated in its transaction): not read again.
        status = result.status if result.status is not None else await signups.status_of(result.task.id,
                                                                                          query.from_user.id)
        await redraw(query.message, result.task, status, offers, locale)


async def go(query: CallbackQuery, callback_data: TaskCardCb, signups: SignupService, offers: OfferService,
             locale: str) -> None:
    result = await signups.go(callback_data.task_id, query.from_user.id)
    await _respond(query, result, signups, offers, locale)


async def wait(query: CallbackQuery, callback_data: TaskCardCb, signups: SignupService, offers: OfferService,
               locale: str) -> None:
    result = await signups.join_waitlist(callback_data.task_id, query.from_user.id)
    await _respond(query, result, signups, offers, locale)


async def decline(query: CallbackQuery, callback_data: TaskCardCb, signups: SignupService,
                  offers: OfferService, locale: str) -> None:
    result = await signups.decline(callback_data.task_id, query.from_user.id)
    text, alert = outcome_text(result)
    await query.answer(text[:200], show_alert=alert)
    if result.outcome in (Outcome.DECLINED, Outcome.CANCELLED) and isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(reply_markup=None)
        except TelegramBadRequest as error:
            if "not modified" not in str(error).lower():
                raise


async def confirm(query: CallbackQuery, callback_data: TaskCardCb, signups: SignupService,
                  offers: OfferService, locale: str) -> None:
    result = await signups.confirm(callback_data.task_id, query.from_user.id)
    await _respond(query, result, signups, offers, locale)


async def details(query: CallbackQuery, callback_data: TaskCardCb, signups: SignupService,
                  offers: OfferService, locale: str) -> None:
    task = await signups.task(callback_data.task_id)
    if task is None or not await signups.may_see(task, query.from_user.id):
        text, _alert = outcome_text(Result(Outcome.NOT_OFFERED if task else Outcome.MISSING))
        await query.answer(text[:200], show_alert=True)
        return
    await query.answer()
    status = await signups.status_of(task.id, query.from_user.id)
    if isinstance(query.message, Message):
        await query.message.answer(card_text_for(task, status, offers, locale, details=True),
                                   reply_markup=card_markup_for(task, status, offers, locale))


def build_task_card_router() -> Router:
    router = Router(name="task_card")
    router.callback_query.register(go, TaskCardCb.filter(F.action == "go"))
    router.callback_query.register(wait, TaskCardCb.filter(F.action == "wait"))
    router.callback_query.register(decline, TaskCardCb.filter(F.action == "no"))
    router.callback_query.register(confirm, TaskCardCb.filter(F.action == "confirm"))
    router.callback_query.register(details, TaskCardCb.filter(F.action == "info"))
    return router
