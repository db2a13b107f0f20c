"""The /mytasks screens, rendered: the list of a coordinator's tasks, a task's card and
its buttons, the roster, and what Send reports. Texts are translated when built: call
inside a handler."""

from __future__ import annotations

import math
from typing import Any

from aiogram import html
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain.signups import HOLDS_SLOT, SignupStatus
from bot.domain.tasks import TaskStatus
from bot.domain.texts import N_
from bot.infra.i18n import LocalTime
from bot.lifecycle.texts import NoticeCb
from bot.tasks.offers import BroadcastPlan
from bot.tasks.service import PAGE_SIZE, TaskService
from handlers.callbacks import TaskCb
from handlers.coordinator.attendance import attendance_buttons
from handlers.coordinator.task_summary import task_summary, task_values
from handlers.people_text import roster_contact
from handlers.ui import show
from storage.models import Task

TEXT_BUDGET = 3800  # under Telegram's 4096, with room for the "...and N more" line
STATUS_NAMES = {
    TaskStatus.DRAFT: N_("draft"),
    TaskStatus.OPEN: N_("open"),
    TaskStatus.FULL: N_("full"),
    TaskStatus.STARTED: N_("started"),
    TaskStatus.CANCELLED: N_("cancelled"),
    TaskStatus.DONE: N_("done"),
}
STATUS_ICONS = {TaskStatus.OPEN: "🟢", TaskStatus.FULL: "🔵", TaskStatus.STARTED: "▶️", TaskStatus.CANCELLED: "❌",
                TaskStatus.DONE: "✔️", TaskStatus.DRAFT: "📝"}


async def list_screen(tasks: TaskService, coordinator_id: int, page: int, local_time: LocalTime, locale: str
                      ) -> tuple[str, InlineKeyboardMarkup | None]:
    items, total = await tasks.list_for_coordinator(coordinator_id, page)
    if total == 0:
        return _("You have no tasks yet. Create one with /newtask."), None
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(page, pages - 1)
    if not items and page > 0:
        items, total = await tasks.list_for_coordinator(coordinator_id, page)
    lines = ["📋 <b>" + _("My tasks") + "</b>"]
    if pages > 1:
        lines[0] += " " + _("(page {page} of {pages})").format(page=page + 1, pages=pages)
    lines.append("")
    builder = InlineKeyboardBuilder()
    for number, item in enumerate(items, start=page * PAGE_SIZE + 1):
        task = item.task
        when = html.quote(local_time.datetime(task.starts_at, locale, fmt="short"))
        line = f"{number}. {STATUS_ICONS.get(task.status, '')} <b>{html.quote(task.title)}</b>\n    {when} · 👥 " + \
            _("{going} of {slots}").format(going=item.going, slots=task.slots)
        if item.waitlisted:
            line += " · " + _("waitlist: {count}").format(count=item.waitlisted)
        lines.append(line)
        label = f"{number}. {task.title}"
        builder.button(text=label if len(label) <= 40 else label[:39] + "…",
                       callback_data=TaskCb(action="open", task_id=task.id, page=page))
    builder.adjust(1)
    arrows = []
    if page > 0:
        arrows.append(InlineKeyboardButton(text="◀️", callback_data=TaskCb(action="list", page=page - 1).pack()))
    if page + 1 < pages:
        arrows.append(InlineKeyboardButton(text="▶️", callback_data=TaskCb(action="list", page=page + 1).pack()))
    if arrows:
        builder.row(*arrows)
    return "\n".join(lines), builder.as_markup()


async def task_text(task: Task, tasks: TaskService, local_time: LocalTime, locale: str) -> str:
    going, waiting = await tasks.counts(task.id)
    lines = [
        task_summary(task_values(task), local_time, locale),
        "",
        _("Status: {status}").format(status=_(STATUS_NAMES.get(task.status, task.status))),
        "👥 " + _("Signed up: {going} of {slots}").format(going=going, slots=task.slots),
    ]
    if waiting:
        lines.append(_("Waitlist: {count}").format(count=waiting))
    return "\n".join(lines)


def task_keyboard(task: Task, page: int) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=TaskCb(action=action, task_id=task.id, page=page).pack())

    rows = [[button("👥 " + _("Who signed up"), "roster")]]
    if task.status.is_live:
        rows.append([button("✉️ " + _("Message everyone signed up"), "msg")])
        rows.append([button("🕒 " + _("Change the time"), "time"), button("📍 " + _("Change the place"), "place")])
        if task.status == TaskStatus.OPEN:
            rows.append([button("📣 " + _("Send to matching volunteers"), "send")])
        if task.status == TaskStatus.STARTED:
            rows.append([InlineKeyboardButton(text="✔️ " + _("Close the task (done)"),
                                              callback_data=NoticeCb(action="close", task_id=task.id).pack())])
        rows.append([button("❌ " + _("Cancel the task"), "cancel")])
    rows += attendance_buttons(task, page)
    rows.append([InlineKeyboardButton(text="⬅️ " + _("My tasks"),
                                      callback_data=TaskCb(action="list", page=page).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def back_to_task(task_id: int, page: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text="⬅️ " + _("Back"), callback_data=TaskCb(action="open", task_id=task_id, page=page).pack())]])


async def show_task(query: CallbackQuery, task: Task, page: int, tasks: TaskService, local_time: LocalTime,
                    locale: str) -> None:
    await show(query, await task_text(task, tasks, local_time, locale), task_keyboard(task, page))


def roster_text(task: Task, rows: list[Any], phones: bool) -> str:
    head = ["👥 <b>" + html.quote(task.title) + "</b>", ""]
    going = [row for row in rows if row.status in HOLDS_SLOT]
    waiting = [row for row in rows if row.status == SignupStatus.WAITLISTED]
    items: list[str] = ["<b>" + _("Signed up: {going} of {slots}").format(going=len(going), slots=task.slots) + "</b>"]
    if not going:
        items.append(_("Nobody has signed up yet."))

    def line(number: int, row: Any) -> str:
        text = f"{number}. {html.quote(row.full_name or '—')}"
        if phones:
            text += roster_contact(row)
        if row.status == SignupStatus.OFFERED:
            text += " (" + _("confirming") + ")"
        return text

    items += [line(number, row) for number, row in enumerate(going, start=1)]
    if waiting:
        items += ["", "<b>" + _("Waitlist: {count}").format(count=len(waiting)) + "</b>"]
        items += [line(number, row) for number, row in enumerate(waiting, start=1)]
    text = "\n".join(head)
    for shown, item in enumerate(items):
        if len(text) + 1 + len(item) > TEXT_BUDGET:
            rest = len(items) - shown
            return text + "\n" + ngettext("…and {count} more entry", "…and {count} more entries", rest).format(count=rest)
        text += "\n" + item
    return text


def broadcast_text(plan: BroadcastPlan, local_time: LocalTime, locale: str) -> str:
    """What the coordinator is told after Send (the delivery engine's progress message
    follows separately and is edited in place)."""
    if plan.reason == "closed":
        return _("This task is not open, so it cannot be sent.")
    queued, already, capped = plan.queued, plan.already_offered, plan.capped
    lines = []
    if queued:
        lines.append(ngettext("📣 Sending the task to {count} volunteer.", "📣 Sending the task to {count} volunteers.",
                              queued).format(count=queued))
        if plan.held and plan.send_at is not None:
            lines.append(_("It is quiet hours now: the cards go out at {time}.").format(
                time=html.quote(local_time.datetime(plan.send_at, locale, fmt="short"))))
    elif already:
        lines.append(_("The task has already been sent to the matching volunteers."))
    else:
        lines.append(_("No volunteers match this task yet. You can send it later from /mytasks."))
    if capped:
        lines.append(ngettext(
            "{count} volunteer has already had today's maximum of task offers and is skipped.",
            "{count} volunteers have already had today's maximum of task offers and are skipped.",
            capped).format(count=capped))
    return "\n".join(lines)
