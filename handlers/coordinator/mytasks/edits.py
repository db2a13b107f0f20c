"""The small dialogs of a task's card: change the time (start, then end) or the place
(typed, or a location pin), and message everyone signed up (type, preview, Send). The
time and the place are the task's fields of handlers/coordinator/task_fields.py, asked
and read as /newtask asks and reads them.

FSM data: {"task_id", "page", "msg": the live question, "starts_at" (between the start
and the end), "text" and "token" (the message being confirmed)}."""

from __future__ import annotations

import secrets
from datetime import datetime

from aiogram import html
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.access.roles import AccessService, UserRoles
from bot.config import Settings
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.tasks import drafts
from bot.tasks.drafts import TaskDraft
from bot.tasks.service import Change, TaskService
from handlers.callbacks import TaskCb
from handlers.coordinator.mytasks.checks import load_task, not_live_text, task_of_dialog
from handlers.coordinator.mytasks.screens import back_to_task, show_task, task_keyboard, task_text
from handlers.coordinator.task_fields import TASK_FIELDS, Moment, past_hint
from handlers.fields.specs import Invalid
from handlers.keyboards import nav_buttons
from handlers.ui import (
    AnyMessage,
    answer_stale,
    buttons_expected_hint,
    drop_keyboard,
    drop_live_keyboard,
    is_live,
    keep_live,
    say,
    sender_id,
    show,
    text_expected_hint,
)
from storage.models import Task


class TaskEdit(StatesGroup):
    start = State()
    end = State()
    place = State()
    message = State()
    message_confirm = State()


STEP_OF_STATE = {TaskEdit.start.state: "start", TaskEdit.end.state: "end", TaskEdit.place.state: "place",
                 TaskEdit.message.state: "message"}


async def ask(message: AnyMessage, state: FSMContext, step: str, moment: Moment, *, hint: str | None = None,
              lead: str | None = None, starts_at: datetime | None = None, in_place: bool = False) -> None:
    """Ask a step's question: a new message, or (`in_place`) the pressed card itself
    turned into the question (one edit instead of a new message and an edit)."""
    if step == "message":
        question = _("Type the message for everyone signed up (up to {max} characters). "
                     "They will get it with the task's title.").format(max=drafts.MAX_MESSAGE)
        markup = InlineKeyboardMarkup(inline_keyboard=[nav_buttons()])
    else:
        field = TASK_FIELDS[step]
        question = field.question(TaskDraft(starts_at=starts_at), moment)
        markup = field.keyboard()
    text = "\n\n".join(part for part in (hint, lead, question) if part)
    await keep_live(state, await say(message, text, markup, in_place=in_place))


async def _begin(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                 roles: UserRoles, access: AccessService, action: str, step: State) -> Task | None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, action, live=True)
    if task is None or not isinstance(query.message, Message):
        return None
    await query.answer()
    await state.set_state(step)
    await state.set_data({"task_id": task.id, "page": callback_data.page})
    return task


# --- the time and the place ---------------------------------------------------------------


async def time_start(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                     roles: UserRoles, access: AccessService, clock: Clock, settings: Settings,
                     local_time: LocalTime, locale: str) -> None:
    task = await _begin(query, callback_data, state, tasks, roles, access, "task.edit", TaskEdit.start)
    if task is None or query.message is None:
        return
    current = html.quote(local_time.span(task.starts_at, task.ends_at, locale))
    await ask(query.message, state, "start", Moment(clock, settings, local_time, locale),
              lead=_("Current time: {when}").format(when=current), in_place=True)


async def place_start(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                      roles: UserRoles, access: AccessService, clock: Clock, settings: Settings,
                      local_time: LocalTime, locale: str) -> None:
    task = await _begin(query, callback_data, state, tasks, roles, access, "task.edit", TaskEdit.place)
    if task is None or query.message is None:
        return
    await ask(query.message, state, "place", Moment(clock, settings, local_time, locale), in_place=True)


async def typed_change(message: Message, state: FSMContext, raw_state: str | None, tasks: TaskService,
                       roles: UserRoles, access: AccessService, clock: Clock, settings: Settings,
                       local_time: LocalTime, locale: str) -> None:
    stored = await state.get_data()
    task = await task_of_dialog(message, state, tasks, roles, access, "task.edit")
    if task is None:
        return
    moment = Moment(clock, settings, local_time, locale)
    step = STEP_OF_STATE[raw_state or ""]
    starts_at = datetime.fromisoformat(stored["starts_at"]) if stored.get("starts_at") else None
    if step == "end" and starts_at is None:  # damaged dialog data: the start first
        await state.set_state(TaskEdit.start)
        await ask(message, state, "start", moment)
        return
    read = TASK_FIELDS[step].read
    assert read is not None  # the start, the end and the place are typed
    result = read(message.text or "", TaskDraft(starts_at=starts_at), moment)
    if isinstance(result, Invalid):
        await ask(message, state, step, moment, hint=result.hint, starts_at=starts_at)
        return
    if step == "place":
        await _apply_place(message, state, tasks, task, result.value, None, None, moment)
        return
    if step == "start":
        await drop_live_keyboard(message, state)
        await state.set_state(TaskEdit.end)
        await state.update_data(starts_at=result.value.isoformat())
        await ask(message, state, "end", moment, starts_at=result.value)
        return
    assert starts_at is not None
    if starts_at <= clock.now():
        await state.set_state(TaskEdit.start)
        await ask(message, state, "start", moment, hint=past_hint())
        return
    await drop_live_keyboard(message, state)
    await state.clear()
    change = await tasks.change_time(task.id, starts_at, result.value, sender_id(message))
    await _changed(message, change, stored.get("page", 0), tasks, moment)


async def place_location(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                         access: AccessService, clock: Clock, settings: Settings, local_time: LocalTime,
                         locale: str) -> None:
    task = await task_of_dialog(message, state, tasks, roles, access, "task.edit")
    if task is None or message.location is None:
        return
    await _apply_place(message, state, tasks, task, None, round(message.location.latitude, 6),
                       round(message.location.longitude, 6), Moment(clock, settings, local_time, locale))


async def _apply_place(message: Message, state: FSMContext, tasks: TaskService, task: Task, place: str | None,
                       latitude: float | None, longitude: float | None, moment: Moment) -> None:
    stored = await state.get_data()
    await drop_live_keyboard(message, state)
    await state.clear()
    if place is None:  # a pin alone keeps the typed address
        place = task.place
    change = await tasks.change_place(task.id, place, latitude, longitude, sender_id(message))
    await _changed(message, change, stored.get("page", 0), tasks, moment)


async def _changed(message: Message, change: Change | None, page: int, tasks: TaskService, moment: Moment) -> None:
    if change is None:
        await message.answer(not_live_text())
        return
    text = "\n".join([
        _("✅ Saved."),
        ngettext("{count} volunteer signed up is being told.", "{count} volunteers signed up are being told.",
                 change.notified).format(count=change.notified),
        "",
        await task_text(change.task, tasks, moment.local_time, moment.locale),
    ])
    await message.answer(text, reply_markup=task_keyboard(change.task, page))


# --- message everyone signed up -----------------------------------------------------------


async def message_start(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                        roles: UserRoles, access: AccessService, clock: Clock, settings: Settings,
                        local_time: LocalTime, locale: str) -> None:
    task = await _begin(query, callback_data, state, tasks, roles, access, "task.message", TaskEdit.message)
    if task is None or query.message is None:
        return
    await ask(query.message, state, "message", Moment(clock, settings, local_time, locale), in_place=True)


async def message_typed(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                        access: AccessService, clock: Clock, settings: Settings, local_time: LocalTime,
                        locale: str) -> None:
    task = await task_of_dialog(message, state, tasks, roles, access, "task.message")
    if task is None:
        return
    text = drafts.parse_message(message.text or "")
    if text is None:
        await ask(message, state, "message", Moment(clock, settings, local_time, locale), hint=_(
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
    await keep_live(state, await message.answer(preview, reply_markup=markup))


async def message_send(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                       roles: UserRoles, access: AccessService) -> None:
    stored = await state.get_data()
    if await state.get_state() != TaskEdit.message_confirm.state or stored.get("task_id") != callback_data.task_id \
            or not stored.get("text") or not is_live(query, stored):
        await answer_stale(query)
        return
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.message", live=True)
    if task is None:
        await state.clear()
        return
    await state.clear()  # first: a second tap finds no dialog
    change = await tasks.message_signed_up(task.id, query.from_user.id, stored["text"], stored.get("token", ""))
    if change is None:
        await query.answer(not_live_text(), show_alert=True)
        return
    await query.answer()
    await show(query, ngettext("✉️ The message is on its way to {count} volunteer.",
                               "✉️ The message is on its way to {count} volunteers.",
                               change.notified).format(count=change.notified),
               back_to_task(task.id, stored.get("page", 0)))


# --- Back and unexpected input --------------------------------------------------------------


async def back(query: CallbackQuery, state: FSMContext, raw_state: str | None, tasks: TaskService, roles: UserRoles,
               access: AccessService, clock: Clock, settings: Settings, local_time: LocalTime, locale: str) -> None:
    stored = await state.get_data()
    if not is_live(query, stored) or not isinstance(query.message, Message):
        await answer_stale(query)
        return
    moment = Moment(clock, settings, local_time, locale)
    if raw_state in (TaskEdit.end.state, TaskEdit.message_confirm.state):
        await query.answer()
        await drop_keyboard(query.message)
        step = "start" if raw_state == TaskEdit.end.state else "message"
        await state.set_state(getattr(TaskEdit, step))
        await ask(query.message, state, step, moment)
        return
    await state.clear()  # first: a second tap finds no dialog
    page = int(stored.get("page") or 0)
    task = await load_task(query, int(stored.get("task_id") or 0), tasks, roles, access, "task.open")
    if task is None:
        return
    await query.answer()
    await show_task(query, task, page, tasks, local_time, locale)  # the question turns back into the card


async def unexpected(message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings,
                     local_time: LocalTime, locale: str) -> None:
    step = STEP_OF_STATE.get(raw_state or "")
    if step is None:  # the confirmation waits for a button
        await message.answer(buttons_expected_hint())
        return
    stored = await state.get_data()
    hint = _("Please type the address as text, or send a location pin.") if step == "place" \
        else text_expected_hint()
    starts_at = datetime.fromisoformat(stored["starts_at"]) if step == "end" and stored.get("starts_at") else None
    await ask(message, state, step, Moment(clock, settings, local_time, locale), hint=hint, starts_at=starts_at)
