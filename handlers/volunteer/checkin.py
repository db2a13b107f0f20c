"""Check-in by the task's QR code: `/start ci_<code>` checks a volunteer with a
confirmed place in (the reply says when, with "I'm leaving"); opening it again or
"I'm leaving" checks them out. The thank-you's rating buttons land here too.
Anything else (a forged or old code, a cancelled or ended task, too early, not signed
up, a second check-out, rating a task not attended) gets a polite answer and changes
nothing."""

from __future__ import annotations

import html as std_html

from aiogram import F, Router, html
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.attendance import CheckinService, CheckResult, HoursService
from bot.attendance.callbacks import CheckinCb
from bot.domain.attendance import CODE_PREFIX, CheckinOutcome, MarkOutcome, checkin_opens
from bot.infra.i18n import LocalTime
from handlers.ui import sender_id, show

MAX_CODE_LENGTH = 32


def leave_markup(task_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text="🚪 " + _("I'm leaving"), callback_data=CheckinCb(action="leave", task_id=task_id).pack())]])


def result_text(result: CheckResult, local_time: LocalTime, locale: str) -> str:
    task, at = result.task, result.at
    title = "<b>" + html.quote(task.title) + "</b>" if task is not None else ""
    match result.outcome:
        case CheckinOutcome.CHECKED_IN:
            assert at is not None
            return "\n".join([
                "✅ " + _("You are checked in at {time}.").format(time=local_time.time(at, locale)), title, "",
                _("When you leave, open the link again or press “I'm leaving”."),
            ])
        case CheckinOutcome.CHECKED_OUT:
            assert at is not None
            return "\n".join([
                "👋 " + _("You are checked out at {time}. Thank you!").format(time=local_time.time(at, locale)),
                title,
            ])
        case CheckinOutcome.ALREADY_OUT:
            assert at is not None
            return _("You have already checked out of this task at {time}.").format(
                time=local_time.time(at, locale))
        case CheckinOutcome.NOT_SIGNED_UP:
            return "\n".join([title, _("You are not signed up for this task, so I cannot check you in. "
                                       "Please speak to its coordinator there.")]).strip()
        case CheckinOutcome.WALK_IN:
            return "\n".join([title, _("You are not signed up for this task, so I cannot check you in myself. "
                                       "Its coordinator sees that you are here and will decide; "
                                       "I will let you know.")]).strip()
        case CheckinOutcome.WALK_IN_ACCEPTED:
            return "\n".join([title, _("The coordinator has accepted you as present at this task.")]).strip()
        case CheckinOutcome.NOT_REGISTERED:
            return _("You are not registered yet. Send /start to register as a volunteer.")
        case CheckinOutcome.CANCELLED:
            return "\n".join([title, _("This task has been cancelled, so there is no check-in.")]).strip()
        case CheckinOutcome.TOO_EARLY:
            assert task is not None
            opens = local_time.datetime(checkin_opens(task.starts_at), locale, "long")
            return "\n".join([title, _("Check-in for this task opens at {time}.").format(time=opens)]).strip()
        case CheckinOutcome.OVER:
            return "\n".join([title, _("This task is over, so check-in is closed.")]).strip()
    return _("This check-in link is not valid. Please scan the QR code at the place again.")


async def open_code(message: Message, command: CommandObject, checkins: CheckinService, local_time: LocalTime,
                    locale: str) -> None:
    code = (command.args or "")[len(CODE_PREFIX):]
    if not code or len(code) > MAX_CODE_LENGTH:
        result = CheckResult(CheckinOutcome.UNKNOWN)
    else:
        result = await checkins.open_code(code, sender_id(message))
    markup = leave_markup(result.task.id) if result.outcome == CheckinOutcome.CHECKED_IN and result.task else None
    await message.answer(result_text(result, local_time, locale), reply_markup=markup)


async def leave(query: CallbackQuery, callback_data: CheckinCb, checkins: CheckinService, local_time: LocalTime,
                locale: str) -> None:
    result = await checkins.leave(callback_data.task_id, query.from_user.id)
    text = result_text(result, local_time, locale)
    if result.outcome == CheckinOutcome.CHECKED_OUT:
        await query.answer()
        await show(query, text, None)
        return
    await query.answer(_plain(text), show_alert=True)


async def rate(query: CallbackQuery, callback_data: CheckinCb, hours: HoursService) -> None:
    outcome = await hours.rate(callback_data.task_id, query.from_user.id, callback_data.stars)
    if outcome != MarkOutcome.DONE:
        await query.answer(_("You can rate only a task you took part in."), show_alert=True)
        return
    await query.answer(_("Thank you! Your rating: {stars} of 5.").format(stars=callback_data.stars))
    if isinstance(query.message, Message):
        text = (query.message.html_text or "") + "\n\n" + "⭐" * callback_data.stars
        await show(query, text, None)


def _plain(text: str) -> str:
    """An alert shows plain text (no HTML), under 200 characters."""
    for tag in ("<b>", "</b>"):
        text = text.replace(tag, "")
    return std_html.unescape(text).strip()[:200]


def build_checkin_router() -> Router:
    router = Router(name="checkin")
    router.message.register(open_code, CommandStart(deep_link=True, magic=F.args.startswith(CODE_PREFIX)))
    router.callback_query.register(leave, CheckinCb.filter(F.action == "leave"))
    router.callback_query.register(rate, CheckinCb.filter(F.action == "rate"))
    return router
