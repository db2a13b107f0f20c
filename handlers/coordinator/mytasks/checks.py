"""Every press on a task and every typed step of a change loads the task afresh and
checks it: it exists, this person may manage it (its owner, or a coordinator of its
region: `can_manage`), and for a change it is still live. Otherwise the person gets a
polite answer, nothing changes, and a refusal is written to the audit log."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.tasks.service import TaskService, can_manage
from handlers.access_guard import refuse
from handlers.ui import answer_stale
from storage.models import Task


def not_live_text() -> str:
    return _("This task is no longer open for changes.")


def other_region_text() -> str:
    return _("Sorry, this task belongs to another region's coordinators.")


async def load_task(query: CallbackQuery, task_id: int, tasks: TaskService, roles: UserRoles, access: AccessService,
                    action: str, *, live: bool = False) -> Task | None:
    """The task of a press, if this person may manage it (and, with `live`, it can still
    be changed); otherwise the press is answered (a refusal is audited) and None returned."""
    task = await tasks.get(task_id) if task_id > 0 else None
    if task is None:
        await answer_stale(query)
        return None
    if not can_manage(roles, task):
        await refuse(query, access, action, target=str(task.id), message=other_region_text())
        return None
    if live and not task.status.is_live:
        await query.answer(not_live_text(), show_alert=True)
        return None
    return task


async def task_of_dialog(message: Message, state: FSMContext, tasks: TaskService, roles: UserRoles,
                         access: AccessService, action: str) -> Task | None:
    """The task a typed step belongs to, re-checked (rights, still live)."""
    stored = await state.get_data()
    task = await tasks.get(int(stored.get("task_id") or 0))
    if task is None or not task.status.is_live:
        await state.clear()
        await message.answer(not_live_text())
        return None
    if not can_manage(roles, task):
        await state.clear()
        await refuse(message, access, action, target=str(task.id), message=other_region_text())
        return None
    return task
