"""The coordinator's decision on someone who scanned a task's check-in code without a
confirmed place ("scanned, not signed up" in the attendance roster): ✅ or 🚫 asks for a
confirmation, then accepts them as present or dismisses them (bot/attendance/walkins.py:
audited, the person told in their language). A second decision, or a forged press, is
answered politely and changes nothing.

Guarded by RequireRole(coordinator=True) (a refusal is audited), and every press loads
the task afresh through `load_task` (another region's task: refused and audited)."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.attendance import CheckinService, WalkInService
from bot.attendance.callbacks import AttendanceCb
from bot.domain.attendance import MarkOutcome, WalkInStatus, checkin_opens
from bot.infra.i18n import LocalTime
from bot.tasks.service import TaskService
from handlers.access_guard import RequireRole
from handlers.coordinator.attendance import roster_screen
from handlers.coordinator.mytasks.checks import load_task
from handlers.ui import show
from storage.models import Task

ACTION = "attendance.walk_in"


def _already_decided() -> str:
    return _("This person has already been decided on.")


async def ask(query: CallbackQuery, callback_data: AttendanceCb, tasks: TaskService, roles: UserRoles,
              access: AccessService, walk_ins: WalkInService) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, ACTION)
    if task is None:
        return
    line = next((line for line in await walk_ins.lines(task.id) if line.volunteer_id == callback_data.volunteer_id
                 and line.status == WalkInStatus.PENDING), None)
    if line is None:
        await query.answer(_already_decided(), show_alert=True)
        return
    await query.answer()
    name = html.quote(line.full_name or "—")
    accept = callback_data.action == "wi_ask_yes"
    if accept:
        text = _("Accept {name} as present at this task? They did not sign up; they will count as attended, "
                 "with the hours of someone marked present by hand.").format(name=name)
        button = "✅ " + _("Yes, accept")
    else:
        text = _("Dismiss {name}? They will be told that you could not accept them.").format(name=name)
        button = "🚫 " + _("Yes, dismiss")
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=button, callback_data=AttendanceCb(
            action="wi_yes" if accept else "wi_no", task_id=task.id, volunteer_id=line.volunteer_id,
            page=callback_data.page).pack())],
        [InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=AttendanceCb(
            action="roster", task_id=task.id, page=callback_data.page).pack())],
    ])
    await show(query, "👋 <b>" + html.quote(task.title) + "</b>\n\n" + text, markup)


async def decide(query: CallbackQuery, callback_data: AttendanceCb, tasks: TaskService, roles: UserRoles,
                 access: AccessService, checkins: CheckinService, walk_ins: WalkInService, local_time: LocalTime,
                 locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, ACTION)
    if task is None:
        return
    accept = callback_data.action == "wi_yes"
    result = await walk_ins.decide(task, callback_data.volunteer_id, accept, query.from_user.id)
    if result != MarkOutcome.DONE:
        await query.answer(_refusal(result, task, local_time, locale), show_alert=True)
        return
    await query.answer(_("Accepted as present.") if accept else _("Dismissed."))
    await roster_screen(query, task, callback_data.page, checkins, walk_ins, local_time, locale)


def _refusal(result: MarkOutcome, task: Task, local_time: LocalTime, locale: str) -> str:
    if result == MarkOutcome.CANCELLED:
        return _("This task has been cancelled, so there is no check-in.")
    if result == MarkOutcome.TOO_EARLY:
        return _("Attendance can be marked from {time}.").format(
            time=local_time.datetime(checkin_opens(task.starts_at), locale, "short"))
    return _already_decided()


def build_walkins_router() -> Router:
    router = Router(name="walkins")
    guard = RequireRole(coordinator=True)
    router.callback_query.middleware(guard)
    router.callback_query.register(ask, AttendanceCb.filter(F.action.in_({"wi_ask_yes", "wi_ask_no"})),
                                   flags={"action": ACTION})
    router.callback_query.register(decide, AttendanceCb.filter(F.action.in_({"wi_yes", "wi_no"})),
                                   flags={"action": ACTION})
    return router
