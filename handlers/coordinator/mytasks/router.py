"""/mytasks: a coordinator's tasks with signed-up / needed counts; a task's card with its
roster, "message everyone signed up", changing the time or the place, sending it to the
matching volunteers, and cancelling it (with a confirmation: it cannot be undone).

Every update is guarded by RequireRole(coordinator=True), and every press on a task
loads it afresh and checks `can_manage` (its owner, or a coordinator of its region) and
its state; a forged or stale press gets a polite answer, changes nothing, and a refusal
is written to the audit log. Buttons carry ids only (TaskCb).
"""

from __future__ import annotations

import logging
import math
import secrets
from datetime import datetime
from typing import Any

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.roles import AccessService, UserRoles
from bot.config import Settings
from bot.domain.signups import HOLDS_SLOT, SignupStatus
from bot.domain.tasks import TaskStatus
from bot.domain.texts import N_
from bot.infra.clock import Clock
from bot.tasks import drafts
from bot.tasks.drafts import TaskDraft, TimeError
from bot.tasks.service import PAGE_SIZE, TaskService, can_manage, can_see_phones
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import MenuCb, NavCb
from handlers.coordinator.newtask.router import step_question, time_hint
from handlers.coordinator.task_summary import TaskCb, task_summary, task_values
from handlers.keyboards import nav_buttons
from handlers.people_text import roster_contact
from handlers.ui import (
    answer_stale,
    buttons_expected_hint,
    drop_keyboard,
    drop_live_keyboard,
    is_live,
    say,
    show,
    text_expected_hint,
)
from storage.models import Task

log = logging.getLogger(__name__)

NOT_A_COMMAND = ~F.text.startswith("/")
TEXT_BUDGET = 3800  # under Telegram's 4096, with room for the "...and N more" line
STATUS_NAMES = {
    TaskStatus.DRAFT: N_("draft"),
    TaskStatus.OPEN: N_("open"),
    TaskStatus.FULL: N_("full"),
    TaskStatus.CANCELLED: N_("cancelled"),
    TaskStatus.DONE: N_("done"),
}
STATUS_ICONS = {TaskStatus.OPEN: "🟢", TaskStatus.FULL: "🔵", TaskStatus.CANCELLED: "❌", TaskStatus.DONE: "✔️",
                TaskStatus.DRAFT: "📝"}


class TaskEdit(StatesGroup):
    start = State()
    end = State()
    place = State()
    message = State()
    message_confirm = State()


def build_mytasks_router() -> Router:
    router = Router(name="mytasks")
    guard = RequireRole(coordinator=True, dialogs=(TaskEdit,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)

    # --- the list ---------------------------------------------------------------------

    @router.message(Command("mytasks"), flags={"action": "task.list"})
    async def mytasks_command(message: Message, state: FSMContext, tasks: TaskService, **data: Any) -> None:
        await state.clear()
        text, markup = await _list_screen(tasks, message.from_user.id, 0, data)
        await message.answer(text, reply_markup=markup)

    @router.callback_query(MenuCb.filter(F.action == "mytasks"), flags={"action": "task.list"})
    async def mytasks_button(query: CallbackQuery, state: FSMContext, tasks: TaskService, **data: Any) -> None:
        await query.answer()
        await state.clear()
        text, markup = await _list_screen(tasks, query.from_user.id, 0, data)
        if isinstance(query.message, Message):
            await query.message.answer(text, reply_markup=markup)

    @router.callback_query(TaskCb.filter(F.action == "list"), flags={"action": "task.list"})
    async def list_page(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                        **data: Any) -> None:
        await query.answer()
        await state.clear()
        text, markup = await _list_screen(tasks, query.from_user.id, max(callback_data.page, 0), data)
        await show(query, text, markup)

    # --- one task ---------------------------------------------------------------------

    @router.callback_query(TaskCb.filter(F.action == "open"), flags={"action": "task.open"})
    async def open_task(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, **data: Any) -> None:
        task = await _load(query, callback_data, data, "task.open")
        if task is None:
            return
        await query.answer()
        await state.clear()
        await _show_task(query, task, callback_data.page, data)

    @router.callback_query(TaskCb.filter(F.action == "roster"), flags={"action": "task.roster"})
    async def roster(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, roles: UserRoles,
                     **data: Any) -> None:
        task = await _load(query, callback_data, {**data, "tasks": tasks, "roles": roles}, "task.roster")
        if task is None:
            return
        await query.answer()
        text = _roster_text(task, await tasks.roster(task.id), can_see_phones(roles, task))
        back = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text="⬅️ " + _("Back"), callback_data=TaskCb(action="open", task_id=task.id, page=callback_data.page).pack())]])
        await show(query, text, back)

    # --- send to the matching volunteers ---------------------------------------------

    @router.callback_query(TaskCb.filter(F.action == "send"), flags={"action": "task.broadcast"})
    async def send(query: CallbackQuery, callback_data: TaskCb, locale: str, **data: Any) -> None:
        task = await _load(query, callback_data, data, "task.broadcast")
        if task is None:
            return
        if task.status != TaskStatus.OPEN:
            await query.answer(_("This task is not open, so it cannot be sent."), show_alert=True)
            return
        offers = data.get("offers")
        if offers is None:
            await query.answer(_("Sending is not available right now. Please try again later."), show_alert=True)
            return
        await query.answer()
        await drop_keyboard(query.message)  # first: a second tap finds no button
        plan = await offers.broadcast_task(task.id, query.from_user.id, locale)
        if isinstance(query.message, Message):
            await query.message.answer(_broadcast_text(plan, data["local_time"], locale))

    @router.callback_query(TaskCb.filter(F.action == "later"), flags={"action": "task.broadcast"})
    async def later(query: CallbackQuery, callback_data: TaskCb, **data: Any) -> None:
        task = await _load(query, callback_data, data, "task.broadcast")
        if task is None:
            return
        await query.answer(_("OK. You can send it later from /mytasks."))
        await drop_keyboard(query.message)

    # --- cancel the task --------------------------------------------------------------

    @router.callback_query(TaskCb.filter(F.action == "cancel"), flags={"action": "task.cancel"})
    async def cancel_ask(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, **data: Any) -> None:
        task = await _load(query, callback_data, {**data, "tasks": tasks}, "task.cancel", live=True)
        if task is None:
            return
        await query.answer()
        going, waiting = await tasks.counts(task.id)
        text = "\n".join([
            "❌ <b>" + html.quote(task.title) + "</b>",
            "",
            _("Cancel this task? This cannot be undone."),
            ngettext("{count} volunteer signed up will be told.", "{count} volunteers signed up will be told.",
                     going).format(count=going),
            ngettext("{count} person on the waitlist will be told.", "{count} people on the waitlist will be told.",
                     waiting).format(count=waiting),
        ])
        markup = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="❌ " + _("Yes, cancel the task"),
                                  callback_data=TaskCb(action="cancel_yes", task_id=task.id, page=callback_data.page).pack())],
            [InlineKeyboardButton(text="⬅️ " + _("Back"),
                                  callback_data=TaskCb(action="open", task_id=task.id, page=callback_data.page).pack())],
        ])
        await show(query, text, markup)

    @router.callback_query(TaskCb.filter(F.action == "cancel_yes"), flags={"action": "task.cancel"})
    async def cancel_yes(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, **data: Any) -> None:
        task = await _load(query, callback_data, {**data, "tasks": tasks}, "task.cancel", live=True)
        if task is None:
            return
        change = await tasks.cancel(task.id, query.from_user.id)
        if change is None:
            await query.answer(_("This task is no longer open for changes."), show_alert=True)
            return
        await query.answer()
        text = "\n".join([
            _("❌ The task is cancelled."),
            ngettext("{count} volunteer is being told.", "{count} volunteers are being told.",
                     change.notified).format(count=change.notified),
        ])
        await show(query, text, _back_to_task(change.task.id, callback_data.page))

    # --- change the time --------------------------------------------------------------

    @router.callback_query(TaskCb.filter(F.action == "time"), flags={"action": "task.edit"})
    async def time_start(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, **data: Any) -> None:
        task = await _load(query, callback_data, data, "task.edit", live=True)
        if task is None or not isinstance(query.message, Message):
            return
        await query.answer()
        await state.set_state(TaskEdit.start)
        await state.set_data({"task_id": task.id, "page": callback_data.page})
        current = html.quote(data["local_time"].span(task.starts_at, task.ends_at, data["locale"]))
        await _ask(query.message, state, "start", data, lead=_("Current time: {when}").format(when=current),
                   in_place=True)

    @router.callback_query(TaskCb.filter(F.action == "place"), flags={"action": "task.edit"})
    async def place_start(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, **data: Any) -> None:
        task = await _load(query, callback_data, data, "task.edit", live=True)
        if task is None or not isinstance(query.message, Message):
            return
        await query.answer()
        await state.set_state(TaskEdit.place)
        await state.set_data({"task_id": task.id, "page": callback_data.page})
        await _ask(query.message, state, "place", data, in_place=True)

    @router.message(StateFilter(TaskEdit.start, TaskEdit.end, TaskEdit.place), F.text, NOT_A_COMMAND,
                    flags={"action": "task.edit"})
    async def typed_change(message: Message, state: FSMContext, raw_state: str | None, tasks: TaskService,
                           roles: UserRoles, access: AccessService, **data: Any) -> None:
        data = {**data, "tasks": tasks, "roles": roles, "access": access}
        stored = await state.get_data()
        task = await _task_of_dialog(message, state, tasks, roles, access, "task.edit")
        if task is None:
            return
        clock: Clock = data["clock"]
        settings: Settings = data["settings"]
        text = message.text or ""
        if raw_state == TaskEdit.place.state:
            place = drafts.parse_place(text)
            if place is None:
                await _ask(message, state, "place", data, hint=_(
                    "Please type the address or a landmark ({min} to {max} characters), or send a location pin."
                ).format(min=drafts.MIN_PLACE, max=drafts.MAX_PLACE))
                return
            await _apply_place(message, state, tasks, task, place, None, None, data)
            return
        draft = TaskDraft(starts_at=task.starts_at if raw_state == TaskEdit.end.state else None)
        if raw_state == TaskEdit.start.state:
            try:
                starts_at = drafts.parse_start(text, clock.now(), settings.tz)
            except TimeError as error:
                await _ask(message, state, "start", data,
                           hint=time_hint(error, draft, clock, settings, data["local_time"], data["locale"]))
                return
            await drop_live_keyboard(message, state)
            await state.set_state(TaskEdit.end)
            await state.update_data(starts_at=starts_at.isoformat())
            await _ask(message, state, "end", data, starts_at=starts_at)
            return
        # the end
        starts_at = datetime.fromisoformat(stored["starts_at"]) if stored.get("starts_at") else None
        if starts_at is None:
            await state.set_state(TaskEdit.start)
            await _ask(message, state, "start", data)
            return
        draft.starts_at = starts_at
        try:
            ends_at = drafts.parse_end(text, starts_at, settings.tz)
        except TimeError as error:
            await _ask(message, state, "end", data, starts_at=starts_at,
                       hint=time_hint(error, draft, clock, settings, data["local_time"], data["locale"]))
            return
        if starts_at <= clock.now():
            await state.set_state(TaskEdit.start)
            await _ask(message, state, "start", data,
                       hint=_("This moment has already passed. Please type a date and time in the future."))
            return
        await drop_live_keyboard(message, state)
        await state.clear()
        change = await tasks.change_time(task.id, starts_at, ends_at, message.from_user.id)
        await _changed(message, change, stored.get("page", 0), data)

    @router.message(TaskEdit.place, F.location, flags={"action": "task.edit"})
    async def place_location(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                             access: AccessService, **data: Any) -> None:
        data = {**data, "tasks": tasks, "roles": roles, "access": access}
        task = await _task_of_dialog(message, state, tasks, roles, access, "task.edit")
        if task is None or message.location is None:
            return
        await _apply_place(message, state, tasks, task, None, round(message.location.latitude, 6),
                           round(message.location.longitude, 6), data)

    # --- message everyone signed up ---------------------------------------------------

    @router.callback_query(TaskCb.filter(F.action == "msg"), flags={"action": "task.message"})
    async def message_start(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, **data: Any) -> None:
        task = await _load(query, callback_data, data, "task.message", live=True)
        if task is None or not isinstance(query.message, Message):
            return
        await query.answer()
        await state.set_state(TaskEdit.message)
        await state.set_data({"task_id": task.id, "page": callback_data.page})
        await _ask(query.message, state, "message", data, in_place=True)

    @router.message(TaskEdit.message, F.text, NOT_A_COMMAND, flags={"action": "task.message"})
    async def message_typed(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                            access: AccessService, **data: Any) -> None:
        task = await _task_of_dialog(message, state, tasks, roles, access, "task.message")
        if task is None:
            return
        text = drafts.parse_message(message.text or "")
        if text is None:
            await _ask(message, state, "message", data, hint=_(
                "The message should be 1 to {max} characters long. Please shorten it and send it again."
            ).format(max=drafts.MAX_MESSAGE))
            return
        await drop_live_keyboard(message, state)
        going, _waiting = await tasks.counts(task.id)
        await state.set_state(TaskEdit.message_confirm)
        await state.update_data(text=text, token=secrets.token_hex(8))
        preview = "\n".join([
            ngettext("Send this message to {count} volunteer signed up for <b>{title}</b>?",
                     "Send this message to {count} volunteers signed up for <b>{title}</b>?",
                     going).format(count=going, title=html.quote(task.title)),
            "",
            html.quote(text),
        ])
        markup = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="✉️ " + _("Send"),
                                  callback_data=TaskCb(action="msg_send", task_id=task.id).pack())],
            nav_buttons(back=True),
        ])
        sent = await message.answer(preview, reply_markup=markup)
        await state.update_data(msg=sent.message_id)

    @router.callback_query(TaskCb.filter(F.action == "msg_send"), flags={"action": "task.message"})
    async def message_send(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                           **data: Any) -> None:
        stored = await state.get_data()
        if await state.get_state() != TaskEdit.message_confirm.state or stored.get("task_id") != callback_data.task_id \
                or not stored.get("text") or not is_live(query, stored):
            await answer_stale(query)
            return
        task = await _load(query, callback_data, {**data, "tasks": tasks}, "task.message", live=True)
        if task is None:
            await state.clear()
            return
        await state.clear()  # first: a second tap finds no dialog
        change = await tasks.message_signed_up(task.id, query.from_user.id, stored["text"], stored.get("token", ""))
        if change is None:
            await query.answer(_("This task is no longer open for changes."), show_alert=True)
            return
        await query.answer()
        await show(query, ngettext("✉️ The message is on its way to {count} volunteer.",
                                   "✉️ The message is on its way to {count} volunteers.",
                                   change.notified).format(count=change.notified),
                   _back_to_task(task.id, stored.get("page", 0)))

    # --- Back and unexpected input inside the small dialogs --------------------------

    @router.callback_query(NavCb.filter(F.action == "back"), StateFilter(TaskEdit), flags={"action": "task.edit"})
    async def back(query: CallbackQuery, state: FSMContext, raw_state: str | None, **data: Any) -> None:
        stored = await state.get_data()
        if not is_live(query, stored) or not isinstance(query.message, Message):
            await answer_stale(query)
            return
        if raw_state == TaskEdit.end.state:
            await query.answer()
            await drop_keyboard(query.message)
            await state.set_state(TaskEdit.start)
            await _ask(query.message, state, "start", data)
            return
        if raw_state == TaskEdit.message_confirm.state:
            await query.answer()
            await drop_keyboard(query.message)
            await state.set_state(TaskEdit.message)
            await _ask(query.message, state, "message", data)
            return
        await state.clear()  # first: a second tap finds no dialog
        fake_cb = TaskCb(action="open", task_id=int(stored.get("task_id") or 0), page=int(stored.get("page") or 0))
        task = await _load(query, fake_cb, data, "task.open")
        if task is None:
            return
        await query.answer()
        await _show_task(query, task, fake_cb.page, data)  # the question turns back into the card

    @router.message(StateFilter(TaskEdit), NOT_A_COMMAND, flags={"action": "task.edit"})
    async def unexpected(message: Message, state: FSMContext, raw_state: str | None, **data: Any) -> None:
        step = {TaskEdit.start.state: "start", TaskEdit.end.state: "end", TaskEdit.place.state: "place",
                TaskEdit.message.state: "message"}.get(raw_state or "")
        if step is None:  # the confirmation waits for a button
            await message.answer(buttons_expected_hint())
            return
        stored = await state.get_data()
        hint = _("Please type the address as text, or send a location pin.") if step == "place" \
            else text_expected_hint()
        starts_at = None
        if step == "end" and stored.get("starts_at"):
            starts_at = datetime.fromisoformat(stored["starts_at"])
        await _ask(message, state, step, data, hint=hint, starts_at=starts_at)

    # Any other task button (old or forged): still guarded above, then explained here.
    @router.callback_query(TaskCb.filter(), flags={"action": "task.unknown"})
    async def unknown(query: CallbackQuery) -> None:
        await answer_stale(query)

    return router


def _broadcast_text(plan: Any, local_time: Any, locale: str) -> str:
    """What the coordinator is told after Send (the delivery engine's progress message
    follows separately and is edited in place)."""
    if getattr(plan, "reason", None) == "closed":
        return _("This task is not open, so it cannot be sent.")
    queued = int(getattr(plan, "queued", 0) or 0)
    already = int(getattr(plan, "already_offered", 0) or 0)
    capped = int(getattr(plan, "capped", 0) or 0)
    lines = []
    if queued:
        lines.append(ngettext("📣 Sending the task to {count} volunteer.", "📣 Sending the task to {count} volunteers.",
                              queued).format(count=queued))
        send_at = getattr(plan, "send_at", None)
        if getattr(plan, "held", False) and send_at is not None:
            lines.append(_("It is quiet hours now: the cards go out at {time}.").format(
                time=html.quote(local_time.datetime(send_at, locale, fmt="short"))))
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


# --- loading and checking -------------------------------------------------------------


async def _load(query: CallbackQuery, callback_data: TaskCb, data: dict[str, Any], action: str, *,
                live: bool = False) -> Task | None:
    """The task of a press, if this person may manage it (and, with `live`, it can still
    be changed); otherwise the press is answered (a refusal is audited) and None returned."""
    tasks: TaskService = data["tasks"]
    roles: UserRoles = data["roles"]
    access: AccessService = data["access"]
    task = await tasks.get(callback_data.task_id) if callback_data.task_id > 0 else None
    if task is None:
        await answer_stale(query)
        return None
    if not can_manage(roles, task):
        await refuse(query, access, action, target=str(task.id),
                     message=_("Sorry, this task belongs to another region's coordinators."))
        return None
    if live and not task.status.is_live:
        await query.answer(_("This task is no longer open for changes."), show_alert=True)
        return None
    return task


async def _task_of_dialog(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                          access: AccessService, action: str) -> Task | None:
    """The task a typed step belongs to, re-checked (rights, still live)."""
    stored = await state.get_data()
    task = await tasks.get(int(stored.get("task_id") or 0))
    if task is None or not task.status.is_live:
        await state.clear()
        await message.answer(_("This task is no longer open for changes."))
        return None
    if not can_manage(roles, task):
        await state.clear()
        await refuse(message, access, action, target=str(task.id),
                     message=_("Sorry, this task belongs to another region's coordinators."))
        return None
    return task


# --- screens --------------------------------------------------------------------------


async def _ask(message: Message, state: FSMContext, step: str, data: dict[str, Any], *, hint: str | None = None,
               lead: str | None = None, starts_at: Any = None, in_place: bool = False) -> None:
    """Ask a step's question: a new message, or (`in_place`) the pressed card itself
    turned into the question (one edit instead of a new message and an edit)."""
    if step == "message":
        question = _("Type the message for everyone signed up (up to {max} characters). "
                     "They will get it with the task's title.").format(max=drafts.MAX_MESSAGE)
    else:
        question = step_question(step, TaskDraft(starts_at=starts_at), data)
    text = "\n\n".join(part for part in (hint, lead, question) if part)
    markup = InlineKeyboardMarkup(inline_keyboard=[nav_buttons()])
    sent = await say(message, text, markup, in_place=in_place)
    await state.update_data(msg=sent.message_id)


async def _apply_place(message: Message, state: FSMContext, tasks: TaskService, task: Task, place: str | None,
                       latitude: float | None, longitude: float | None, data: dict[str, Any]) -> None:
    stored = await state.get_data()
    await drop_live_keyboard(message, state)
    await state.clear()
    if place is None:  # a pin alone keeps the typed address
        place = task.place
    change = await tasks.change_place(task.id, place, latitude, longitude, message.from_user.id)
    await _changed(message, change, stored.get("page", 0), data)


async def _changed(message: Message, change: Any, page: int, data: dict[str, Any]) -> None:
    if change is None:
        await message.answer(_("This task is no longer open for changes."))
        return
    text = "\n".join([
        _("✅ Saved."),
        ngettext("{count} volunteer signed up is being told.", "{count} volunteers signed up are being told.",
                 change.notified).format(count=change.notified),
        "",
        await _task_text(change.task, data),
    ])
    await message.answer(text, reply_markup=_task_keyboard(change.task, page))


async def _list_screen(tasks: TaskService, coordinator_id: int, page: int, data: dict[str, Any]
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
    local_time, locale = data["local_time"], data["locale"]
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


async def _task_text(task: Task, data: dict[str, Any]) -> str:
    tasks: TaskService = data["tasks"]
    going, waiting = await tasks.counts(task.id)
    lines = [
        task_summary(task_values(task), data["local_time"], data["locale"]),
        "",
        _("Status: {status}").format(status=_(STATUS_NAMES.get(task.status, task.status))),
        "👥 " + _("Signed up: {going} of {slots}").format(going=going, slots=task.slots),
    ]
    if waiting:
        lines.append(_("Waitlist: {count}").format(count=waiting))
    return "\n".join(lines)


def _task_keyboard(task: Task, page: int) -> InlineKeyboardMarkup:
    def button(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=TaskCb(action=action, task_id=task.id, page=page).pack())

    rows = [[button("👥 " + _("Who signed up"), "roster")]]
    if task.status.is_live:
        rows.append([button("✉️ " + _("Message everyone signed up"), "msg")])
        rows.append([button("🕒 " + _("Change the time"), "time"), button("📍 " + _("Change the place"), "place")])
        if task.status == TaskStatus.OPEN:
            rows.append([button("📣 " + _("Send to matching volunteers"), "send")])
        rows.append([button("❌ " + _("Cancel the task"), "cancel")])
    rows.append([InlineKeyboardButton(text="⬅️ " + _("My tasks"),
                                      callback_data=TaskCb(action="list", page=page).pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _back_to_task(task_id: int, page: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text="⬅️ " + _("Back"), callback_data=TaskCb(action="open", task_id=task_id, page=page).pack())]])


async def _show_task(query: CallbackQuery, task: Task, page: int, data: dict[str, Any]) -> None:
    await show(query, await _task_text(task, data), _task_keyboard(task, page))


def _roster_text(task: Task, rows: list[Any], phones: bool) -> str:
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


__all__ = ["TaskEdit", "build_mytasks_router"]
