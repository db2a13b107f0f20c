"""A task's check-in and hours, for its coordinator (buttons on the task in /mytasks):
the QR code (a photo) with the same deep link as text, the attendance roster with
present / absent by hand and the people who scanned without a place (decided in
handlers/coordinator/walkins.py), and after the end the hours sheet: approve all in one tap or
correct one person's (typed), with the volunteers' average rating.

Guarded by RequireRole(coordinator=True) (a refusal is audited), and every press loads
the task afresh through `load_task` (another region's task: refused and audited)."""

from __future__ import annotations

import io

import segno
from aiogram import Bot, F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.attendance import CheckinService, HoursService, HoursSheet, WalkInService, format_hours
from bot.attendance.callbacks import AttendanceCb
from bot.domain.attendance import (
    CODE_PREFIX,
    AttendanceOutcome,
    HandMark,
    MarkOutcome,
    WalkInStatus,
    checkin_opens,
    parse_hours,
    task_has_ended,
    task_hours,
    task_is_cancelled,
)
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.tasks.service import TaskService, can_manage
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import TaskCb
from handlers.coordinator.mytasks.checks import load_task
from handlers.ui import NOT_A_COMMAND, sender_id, show
from storage.models import Task
from storage.repositories.attendance import AttendanceLine
from storage.repositories.walkins import WalkInLine

MAX_PEOPLE_BUTTONS = 40  # two buttons each, under Telegram's 100 per keyboard
MAX_WALK_IN_BUTTONS = 9  # with the 40 above and "Back": 99 buttons


class HoursEdit(StatesGroup):
    hours = State()  # FSM data: task_id, volunteer_id, page


def attendance_buttons(task: Task, page: int) -> list[list[InlineKeyboardButton]]:
    """The rows the task's card in /mytasks gets (not for a cancelled task)."""
    if task_is_cancelled(task.status):
        return []
    return [[
        InlineKeyboardButton(text="📷 " + _("Check-in QR"),
                             callback_data=AttendanceCb(action="qr", task_id=task.id, page=page).pack()),
        InlineKeyboardButton(text="🧾 " + _("Attendance"),
                             callback_data=AttendanceCb(action="roster", task_id=task.id, page=page).pack()),
    ], [InlineKeyboardButton(text="🕒 " + _("Hours"),
                             callback_data=AttendanceCb(action="hours", task_id=task.id, page=page).pack())]]


def _back(task_id: int, page: int) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text="⬅️ " + _("Back"),
                                 callback_data=TaskCb(action="open", task_id=task_id, page=page).pack())]


# --- the QR code ------------------------------------------------------------------------


async def qr(query: CallbackQuery, callback_data: AttendanceCb, bot: Bot, tasks: TaskService, roles: UserRoles,
             access: AccessService, checkins: CheckinService, clock: Clock, local_time: LocalTime,
             locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "attendance.qr")
    if task is None:
        return
    if task_is_cancelled(task.status):
        await query.answer(_("This task has been cancelled, so there is no check-in."), show_alert=True)
        return
    if task_has_ended(task.status, task.ends_at, clock.now()):
        await query.answer(_("This task is over, so check-in is closed."), show_alert=True)
        return
    await query.answer()
    code = await checkins.code_for(task.id)
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={CODE_PREFIX}{code}"
    picture = io.BytesIO()
    segno.make(link, error="m").save(picture, kind="png", scale=10, border=2)
    caption = "\n".join([
        "📷 <b>" + html.quote(task.title) + "</b>",
        _("Volunteers signed up scan this code, or open the link, to check in and again to check out. "
          "It works from {opens} until the end of the task.").format(
            opens=local_time.datetime(checkin_opens(task.starts_at), locale, "long")),
        "",
        link,
    ])
    if isinstance(query.message, Message):
        await query.message.answer_photo(BufferedInputFile(picture.getvalue(), filename="checkin.png"),
                                         caption=caption)


# --- the attendance roster --------------------------------------------------------------


def _state_of(line: AttendanceLine, local_time: LocalTime, locale: str) -> str:
    row = line.attendance
    if row is not None and row.mark == HandMark.PRESENT:
        return "✋ " + _("marked present")
    if row is not None and row.mark == HandMark.ABSENT:
        return "❌ " + _("marked absent")
    if row is not None and row.checked_in_at is not None:
        since = local_time.time(row.checked_in_at, locale)
        if row.checked_out_at is not None:
            return "🚪 " + _("was here {start}–{end}").format(start=since,
                                                               end=local_time.time(row.checked_out_at, locale))
        return "✅ " + _("checked in at {time}").format(time=since)
    return "⬜ " + _("not checked in")


def _walk_in_section(walk_ins: list[WalkInLine], task: Task, page: int, first: int, local_time: LocalTime,
                     locale: str) -> tuple[list[str], list[list[InlineKeyboardButton]]]:
    """People who scanned the code without a confirmed place, numbered after the others;
    the pending ones get accept / dismiss buttons."""
    if not walk_ins:
        return [], []
    text = ["", "👋 <b>" + _("Scanned, not signed up") + "</b>"]
    rows: list[list[InlineKeyboardButton]] = []
    for number, line in enumerate(walk_ins, start=first):
        scanned = _("scanned at {time}").format(time=local_time.time(line.scanned_at, locale))
        decision = {WalkInStatus.PENDING: "⏳ " + _("waiting for your decision"),
                    WalkInStatus.ACCEPTED: "✅ " + _("accepted as present"),
                    WalkInStatus.DISMISSED: "🚫 " + _("dismissed")}[line.status]
        text.append(f"{number}. {html.quote(line.full_name or '—')} — {scanned}, {decision}")
        if line.status == WalkInStatus.PENDING and len(rows) < MAX_WALK_IN_BUTTONS:
            rows.append([
                InlineKeyboardButton(text=f"✅ {number}", callback_data=AttendanceCb(
                    action="wi_ask_yes", task_id=task.id, volunteer_id=line.volunteer_id, page=page).pack()),
                InlineKeyboardButton(text=f"🚫 {number}", callback_data=AttendanceCb(
                    action="wi_ask_no", task_id=task.id, volunteer_id=line.volunteer_id, page=page).pack()),
            ])
    if rows:
        text.append(_("✅ accepts someone as present, 🚫 dismisses them; they are told either way."))
    return text, rows


async def roster_screen(query: CallbackQuery, task: Task, page: int, checkins: CheckinService,
                        walk_ins: WalkInService, local_time: LocalTime, locale: str) -> None:
    lines = await checkins.lines(task.id)
    here = sum(1 for line in lines if line.attendance is not None and line.attendance.checked_in_at is not None
               and line.attendance.checked_out_at is None)
    text = ["🧾 <b>" + html.quote(task.title) + "</b>", _("Checked in now: {count}").format(count=here), ""]
    if not lines:
        text.append(_("Nobody has signed up yet."))
    rows: list[list[InlineKeyboardButton]] = []
    for number, line in enumerate(lines, start=1):
        text.append(f"{number}. {html.quote(line.full_name or '—')} — {_state_of(line, local_time, locale)}")
        if number <= MAX_PEOPLE_BUTTONS:
            rows.append([
                InlineKeyboardButton(text=f"✋ {number}", callback_data=AttendanceCb(
                    action="present", task_id=task.id, volunteer_id=line.volunteer_id, page=page).pack()),
                InlineKeyboardButton(text=f"❌ {number}", callback_data=AttendanceCb(
                    action="absent", task_id=task.id, volunteer_id=line.volunteer_id, page=page).pack()),
            ])
    if lines:
        text += ["", _("✋ marks someone present, ❌ absent.")]
    walk_in_text, walk_in_rows = _walk_in_section(await walk_ins.lines(task.id), task, page, len(lines) + 1,
                                                  local_time, locale)
    text += walk_in_text
    rows += walk_in_rows
    rows.append(_back(task.id, page))
    body = "\n".join(text)
    await show(query, body[:4000], InlineKeyboardMarkup(inline_keyboard=rows))


async def roster(query: CallbackQuery, callback_data: AttendanceCb, tasks: TaskService, roles: UserRoles,
                 access: AccessService, checkins: CheckinService, walk_ins: WalkInService, local_time: LocalTime,
                 locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "attendance.roster")
    if task is None:
        return
    await query.answer()
    await roster_screen(query, task, callback_data.page, checkins, walk_ins, local_time, locale)


async def mark(query: CallbackQuery, callback_data: AttendanceCb, tasks: TaskService, roles: UserRoles,
               access: AccessService, checkins: CheckinService, walk_ins: WalkInService, local_time: LocalTime,
               locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "attendance.mark")
    if task is None:
        return
    chosen = HandMark.PRESENT if callback_data.action == "present" else HandMark.ABSENT
    result = await checkins.mark(task, callback_data.volunteer_id, chosen, query.from_user.id)
    if result != MarkOutcome.DONE:
        await query.answer(_mark_refusal(result, task, local_time, locale), show_alert=True)
        return
    await query.answer(_("Marked present.") if chosen == HandMark.PRESENT else _("Marked absent."))
    await roster_screen(query, task, callback_data.page, checkins, walk_ins, local_time, locale)


def _mark_refusal(result: MarkOutcome, task: Task, local_time: LocalTime, locale: str) -> str:
    if result == MarkOutcome.TOO_EARLY:
        return _("Attendance can be marked from {time}.").format(
            time=local_time.datetime(checkin_opens(task.starts_at), locale, "short"))
    if result == MarkOutcome.CANCELLED:
        return _("This task has been cancelled, so there is no check-in.")
    if result == MarkOutcome.APPROVED:
        return _("This person's hours are already approved; correct them under “Hours”.")
    return _("This person is not signed up for the task any more.")


# --- hours ------------------------------------------------------------------------------


def _sheet_text(sheet: HoursSheet, locale: str) -> tuple[str, InlineKeyboardMarkup, bool]:
    task = sheet.task
    text = ["🕒 <b>" + html.quote(task.title) + "</b>", ""]
    buttons: list[list[InlineKeyboardButton]] = []
    pending = False
    attended = [(row, person) for row, person in sheet.rows if row.outcome == AttendanceOutcome.ATTENDED]
    for number, (row, person) in enumerate(attended, start=1):
        hours = row.approved_hours if row.approved_at is not None else row.hours
        state = "✅" if row.approved_at is not None else "⏳"
        pending = pending or row.approved_at is None
        name = html.quote(person.full_name or _("(data deleted)"))
        text.append(f"{number}. {name} — " + _("{hours} h").format(hours=format_hours(hours or 0, locale)) + f" {state}")
        if number <= MAX_PEOPLE_BUTTONS:
            buttons.append([InlineKeyboardButton(
                text=f"✏️ {number}. " + (person.full_name or "—")[:30],
                callback_data=AttendanceCb(action="fix", task_id=task.id, volunteer_id=row.volunteer_id).pack())])
    if not attended:
        text.append(_("Nobody attended."))
    missed = [person for row, person in sheet.rows if row.outcome == AttendanceOutcome.NO_SHOW]
    late = [person for row, person in sheet.rows if row.outcome == AttendanceOutcome.CANCELLED_LATE]
    if missed:
        text += ["", _("Did not come: {count}").format(count=len(missed))]
    if late:
        text += [_("Cancelled late: {count}").format(count=len(late))]
    if sheet.rating is not None:
        text += ["", "⭐ " + _("Volunteers' rating: {average} of 5 ({count})").format(
            average=format_hours(sheet.rating, locale), count=sheet.ratings)]
    text += ["", _("✅ approved · ⏳ waiting for approval")]
    if pending:
        buttons.insert(0, [InlineKeyboardButton(text="✅ " + _("Approve all hours"), callback_data=AttendanceCb(
            action="approve", task_id=task.id).pack())])
    return "\n".join(text)[:4000], InlineKeyboardMarkup(inline_keyboard=buttons), pending


async def _hours_screen(query: CallbackQuery, task: Task, page: int, hours: HoursService, locale: str) -> bool:
    sheet = await hours.sheet(task)
    if not sheet.closed:
        await query.answer(_("Hours can be approved once the task is over."), show_alert=True)
        return False
    await query.answer()
    text, markup, _pending = _sheet_text(sheet, locale)
    markup.inline_keyboard.append(_back(task.id, page))
    await show(query, text, markup)
    return True


async def hours_sheet(query: CallbackQuery, callback_data: AttendanceCb, state: FSMContext, tasks: TaskService,
                      roles: UserRoles, access: AccessService, hours: HoursService, locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "attendance.hours")
    if task is None:
        return
    await state.clear()
    await _hours_screen(query, task, callback_data.page, hours, locale)


async def approve(query: CallbackQuery, callback_data: AttendanceCb, tasks: TaskService, roles: UserRoles,
                  access: AccessService, hours: HoursService, locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "attendance.approve")
    if task is None:
        return
    approved = await hours.approve_all(task, query.from_user.id)
    if approved == 0:
        await query.answer(_("There are no hours waiting for approval."), show_alert=True)
        return
    sheet = await hours.sheet(task)
    text, markup, _pending = _sheet_text(sheet, locale)
    markup.inline_keyboard.append(_back(task.id, callback_data.page))
    await query.answer(_("Hours approved: {count}").format(count=approved))
    await show(query, text, markup)


async def fix_start(query: CallbackQuery, callback_data: AttendanceCb, state: FSMContext, tasks: TaskService,
                    roles: UserRoles, access: AccessService, hours: HoursService, locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "attendance.correct")
    if task is None:
        return
    sheet = await hours.sheet(task)
    person = next((p for row, p in sheet.rows if row.volunteer_id == callback_data.volunteer_id
                   and row.outcome == AttendanceOutcome.ATTENDED), None)
    if person is None:
        await query.answer(_("This person did not attend the task."), show_alert=True)
        return
    await query.answer()
    await state.set_state(HoursEdit.hours)
    await state.update_data(task_id=task.id, volunteer_id=callback_data.volunteer_id, page=callback_data.page)
    limit = format_hours(task_hours(task.starts_at, task.ends_at), locale)
    back = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text="⬅️ " + _("Back"), callback_data=AttendanceCb(action="hours", task_id=task.id,
                                                            page=callback_data.page).pack())]])
    await show(query, _("How many hours did {name} help? Type a number from 0 to {limit}, "
                        "for example 2.5 or 2:30.").format(name=html.quote(person.full_name or "—"), limit=limit),
               back)


async def fix_typed(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                    access: AccessService, hours: HoursService, locale: str) -> None:
    data = await state.get_data()
    task = await tasks.get(int(data.get("task_id") or 0))
    if task is None:
        await state.clear()
        await message.answer(_("This task is no longer open for changes."))
        return
    if not can_manage(roles, task):
        await state.clear()
        await refuse(message, access, "attendance.correct", target=str(task.id))
        return
    limit = task_hours(task.starts_at, task.ends_at)
    value = parse_hours(message.text or "", limit)
    if value is None:
        await message.answer(_("Please type a number of hours from 0 to {limit}, for example 2.5 or 2:30.").format(
            limit=format_hours(limit, locale)))
        return
    result = await hours.correct(task, int(data.get("volunteer_id") or 0), value, sender_id(message))
    await state.clear()
    if result != MarkOutcome.DONE:
        await message.answer(_("This person did not attend the task."))
        return
    sheet = await hours.sheet(task)
    text, markup, _pending = _sheet_text(sheet, locale)
    markup.inline_keyboard.append(_back(task.id, int(data.get("page") or 0)))
    await message.answer(_("✅ Saved.") + "\n\n" + text, reply_markup=markup)


async def fix_unexpected(message: Message) -> None:
    await message.answer(_("Please type the number of hours, or send /cancel."))


def build_attendance_router() -> Router:
    router = Router(name="attendance")
    guard = RequireRole(coordinator=True, dialogs=(HoursEdit,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    on_button = router.callback_query.register
    on_button(qr, AttendanceCb.filter(F.action == "qr"), flags={"action": "attendance.qr"})
    on_button(roster, AttendanceCb.filter(F.action == "roster"), flags={"action": "attendance.roster"})
    on_button(mark, AttendanceCb.filter(F.action.in_({"present", "absent"})), flags={"action": "attendance.mark"})
    on_button(hours_sheet, AttendanceCb.filter(F.action == "hours"), flags={"action": "attendance.hours"})
    on_button(approve, AttendanceCb.filter(F.action == "approve"), flags={"action": "attendance.approve"})
    on_button(fix_start, AttendanceCb.filter(F.action == "fix"), flags={"action": "attendance.correct"})
    router.message.register(fix_typed, HoursEdit.hours, F.text, NOT_A_COMMAND, flags={"action": "attendance.correct"})
    router.message.register(fix_unexpected, StateFilter(HoursEdit), NOT_A_COMMAND,
                            flags={"action": "attendance.correct"})
    return router
