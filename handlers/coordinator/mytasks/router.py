"""/mytasks: a coordinator's tasks with signed-up / needed counts; a task's card with its
roster, "message everyone signed up", changing the time or the place (edits.py),
sending it to the matching volunteers, and cancelling it (with a confirmation: it cannot
be undone).

Every update is guarded by RequireRole(coordinator=True), and every press on a task
loads it afresh and checks it (checks.py); a forged or stale press gets a polite answer,
changes nothing, and a refusal is written to the audit log. Buttons carry ids only (TaskCb).
"""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.access.roles import AccessService, UserRoles
from bot.domain.tasks import TaskStatus
from bot.infra.i18n import LocalTime
from bot.tasks.offers import OfferService
from bot.tasks.service import TaskService, can_see_phones
from handlers.access_guard import RequireRole
from handlers.callbacks import MenuCb, NavCb, TaskCb
from handlers.coordinator.mytasks import edits
from handlers.coordinator.mytasks.checks import load_task, not_live_text
from handlers.coordinator.mytasks.edits import TaskEdit
from handlers.coordinator.mytasks.screens import back_to_task, broadcast_text, list_screen, roster_text, show_task
from handlers.ui import NOT_A_COMMAND, answer_stale, drop_keyboard, sender_id, show

# --- the list ---------------------------------------------------------------------------


async def mytasks_command(message: Message, state: FSMContext, tasks: TaskService, local_time: LocalTime,
                          locale: str) -> None:
    await state.clear()
    text, markup = await list_screen(tasks, sender_id(message), 0, local_time, locale)
    await message.answer(text, reply_markup=markup)


async def mytasks_button(query: CallbackQuery, state: FSMContext, tasks: TaskService, local_time: LocalTime,
                         locale: str) -> None:
    await query.answer()
    await state.clear()
    text, markup = await list_screen(tasks, query.from_user.id, 0, local_time, locale)
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


async def list_page(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                    local_time: LocalTime, locale: str) -> None:
    await query.answer()
    await state.clear()
    text, markup = await list_screen(tasks, query.from_user.id, max(callback_data.page, 0), local_time, locale)
    await show(query, text, markup)


# --- one task ---------------------------------------------------------------------------


async def open_task(query: CallbackQuery, callback_data: TaskCb, state: FSMContext, tasks: TaskService,
                    roles: UserRoles, access: AccessService, local_time: LocalTime, locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.open")
    if task is None:
        return
    await query.answer()
    await state.clear()
    await show_task(query, task, callback_data.page, tasks, local_time, locale)


async def roster(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, roles: UserRoles,
                 access: AccessService) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.roster")
    if task is None:
        return
    await query.answer()
    text = roster_text(task, await tasks.roster(task.id), can_see_phones(roles, task))
    await show(query, text, back_to_task(task.id, callback_data.page))


async def send(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, roles: UserRoles,
               access: AccessService, offers: OfferService, local_time: LocalTime, locale: str) -> None:
    await send_to_matching(query, callback_data.task_id, tasks, roles, access, offers, local_time, locale)


async def send_to_matching(query: CallbackQuery, task_id: int, tasks: TaskService, roles: UserRoles,
                           access: AccessService, offers: OfferService, local_time: LocalTime, locale: str) -> None:
    """Send an open task to its matching volunteers (from its card, or from the "not
    confirmed" list's "send again"), after checking the person may."""
    task = await load_task(query, task_id, tasks, roles, access, "task.broadcast")
    if task is None:
        return
    if task.status != TaskStatus.OPEN:
        await query.answer(_("This task is not open, so it cannot be sent."), show_alert=True)
        return
    await query.answer()
    await drop_keyboard(query.message)  # first: a second tap finds no button
    plan = await offers.broadcast_task(task.id, query.from_user.id, locale)
    if isinstance(query.message, Message):
        await query.message.answer(broadcast_text(plan, local_time, locale))


async def later(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, roles: UserRoles,
                access: AccessService) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.broadcast")
    if task is None:
        return
    await query.answer(_("OK. You can send it later from /mytasks."))
    await drop_keyboard(query.message)


# --- cancel the task --------------------------------------------------------------------


async def cancel_ask(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, roles: UserRoles,
                     access: AccessService) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.cancel", live=True)
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


async def cancel_yes(query: CallbackQuery, callback_data: TaskCb, tasks: TaskService, roles: UserRoles,
                     access: AccessService) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.cancel", live=True)
    if task is None:
        return
    change = await tasks.cancel(task.id, query.from_user.id)
    if change is None:
        await query.answer(not_live_text(), show_alert=True)
        return
    await query.answer()
    text = "\n".join([
        _("❌ The task is cancelled."),
        ngettext("{count} volunteer is being told.", "{count} volunteers are being told.",
                 change.notified).format(count=change.notified),
    ])
    await show(query, text, back_to_task(change.task.id, callback_data.page))


async def unknown(query: CallbackQuery) -> None:
    """Any other task button (old or forged): still guarded, then explained."""
    await answer_stale(query)


def _action(name: str) -> dict[str, str]:
    return {"action": name}


def build_mytasks_router() -> Router:
    router = Router(name="mytasks")
    guard = RequireRole(coordinator=True, dialogs=(TaskEdit,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    on_button, on_message = router.callback_query.register, router.message.register
    on_message(mytasks_command, Command("mytasks"), flags=_action("task.list"))
    on_button(mytasks_button, MenuCb.filter(F.action == "mytasks"), flags=_action("task.list"))
    on_button(list_page, TaskCb.filter(F.action == "list"), flags=_action("task.list"))
    on_button(open_task, TaskCb.filter(F.action == "open"), flags=_action("task.open"))
    on_button(roster, TaskCb.filter(F.action == "roster"), flags=_action("task.roster"))
    on_button(send, TaskCb.filter(F.action == "send"), flags=_action("task.broadcast"))
    on_button(later, TaskCb.filter(F.action == "later"), flags=_action("task.broadcast"))
    on_button(cancel_ask, TaskCb.filter(F.action == "cancel"), flags=_action("task.cancel"))
    on_button(cancel_yes, TaskCb.filter(F.action == "cancel_yes"), flags=_action("task.cancel"))
    # The change dialogs (edits.py).
    on_button(edits.time_start, TaskCb.filter(F.action == "time"), flags=_action("task.edit"))
    on_button(edits.place_start, TaskCb.filter(F.action == "place"), flags=_action("task.edit"))
    on_message(edits.typed_change, StateFilter(TaskEdit.start, TaskEdit.end, TaskEdit.place), F.text, NOT_A_COMMAND,
               flags=_action("task.edit"))
    on_message(edits.place_location, TaskEdit.place, F.location, flags=_action("task.edit"))
    on_button(edits.message_start, TaskCb.filter(F.action == "msg"), flags=_action("task.message"))
    on_message(edits.message_typed, TaskEdit.message, F.text, NOT_A_COMMAND, flags=_action("task.message"))
    on_button(edits.message_send, TaskCb.filter(F.action == "msg_send"), flags=_action("task.message"))
    on_button(edits.back, NavCb.filter(F.action == "back"), StateFilter(TaskEdit), flags=_action("task.edit"))
    on_message(edits.unexpected, StateFilter(TaskEdit), NOT_A_COMMAND, flags=_action("task.edit"))
    on_button(unknown, TaskCb.filter(), flags=_action("task.unknown"))
    return router


__all__ = ["TaskEdit", "build_mytasks_router"]
