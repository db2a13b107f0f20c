"""The buttons of a reminder: "Yes, I'm coming", "I can't" (asks once more, then frees
the place: the waitlist is offered it at once), and "Write to the coordinator" (the
coordinator's name as a link that opens a chat with them).

Every press is checked on the server (bot/lifecycle/reminders.py): a press by someone
not signed up, on a cancelled or started task, or a repeated press gets a polite answer
and changes nothing."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.signups import Outcome
from bot.lifecycle.reminders import ReminderService
from bot.lifecycle.texts import RemindCb
from bot.tasks.signups import Result
from handlers.ui import answer_stale, drop_keyboard, replace


def refusal(result: Result) -> str:
    """Why a press on a reminder changes nothing (≤ 200 characters)."""
    if result.outcome == Outcome.CLOSED:
        if result.task is not None and result.task.status.has_ended:
            return _("This task is over or has been cancelled, so there is nothing to answer.")
        return _("The task has already started. If you cannot come, please tell the coordinator.")
    if result.outcome == Outcome.NOT_REGISTERED:
        return _("Please register first: send /start.")
    return _("You are not signed up for this task.")


async def yes(query: CallbackQuery, callback_data: RemindCb, reminders: ReminderService) -> None:
    result = await reminders.confirm(callback_data.task_id, query.from_user.id)
    if result.outcome == Outcome.MISSING:
        await answer_stale(query)
        return
    if result.outcome == Outcome.ALREADY:
        await query.answer(_("You have already confirmed. See you there!"))
        return
    if result.outcome != Outcome.CONFIRMED:
        await query.answer(refusal(result), show_alert=True)
        return
    await query.answer(_("✅ Thank you! See you there."))
    await drop_keyboard(query.message)
    if isinstance(query.message, Message) and result.task is not None:
        await query.message.answer("✅ " + _("You have confirmed that you are coming to “{title}”.").format(
            title=html.quote(result.task.title)))


async def cant(query: CallbackQuery, callback_data: RemindCb, reminders: ReminderService) -> None:
    """Asks once more: freeing the place cannot be undone."""
    result = await reminders.may_cancel(callback_data.task_id, query.from_user.id)
    if result.outcome == Outcome.MISSING:
        await answer_stale(query)
        return
    if result.outcome != Outcome.ALREADY or result.task is None:
        await query.answer(refusal(result), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        markup = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="✅ " + _("Yes, free my place"),
                                 callback_data=RemindCb(action="cant_yes", task_id=result.task.id).pack()),
            InlineKeyboardButton(text="↩️ " + _("No, I'm coming"),
                                 callback_data=RemindCb(action="keep", task_id=result.task.id).pack()),
        ]])
        await query.message.answer(
            _("Free your place on “{title}”? It will be offered to the next person at once.").format(
                title=html.quote(result.task.title)), reply_markup=markup)


async def cant_yes(query: CallbackQuery, callback_data: RemindCb, reminders: ReminderService) -> None:
    result = await reminders.cant(callback_data.task_id, query.from_user.id)
    if result.outcome == Outcome.MISSING:
        await answer_stale(query)
        return
    if result.outcome != Outcome.CANCELLED:
        await query.answer(refusal(result), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await replace(query.message, _("Your place is freed. Thank you for letting us know!"), None)


async def keep(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await replace(query.message, _("OK, your sign-up stays."), None)


async def coordinator(query: CallbackQuery, callback_data: RemindCb, reminders: ReminderService) -> None:
    found = await reminders.coordinator_for(callback_data.task_id, query.from_user.id)
    if found is None:
        await query.answer(_("You are not signed up for this task."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        name = html.quote(found.name) if found.name else _("the coordinator")
        link = f'<a href="tg://user?id={found.telegram_id}">{name}</a>'
        await query.message.answer(_("Your coordinator: {name}. Tap the name to open a chat.").format(name=link))


async def unknown(query: CallbackQuery) -> None:
    await answer_stale(query)


def build_reminders_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.register(yes, RemindCb.filter(F.action == "yes"))
    router.callback_query.register(cant, RemindCb.filter(F.action == "cant"))
    router.callback_query.register(cant_yes, RemindCb.filter(F.action == "cant_yes"))
    router.callback_query.register(keep, RemindCb.filter(F.action == "keep"))
    router.callback_query.register(coordinator, RemindCb.filter(F.action == "coord"))
    router.callback_query.register(unknown, RemindCb.filter())
    return router
