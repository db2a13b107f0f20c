"""The coordinator's side of the task's life: the one-tap actions of the "not confirmed"
list (offer their places to the waitlist, after a confirmation; send the task again to
matching volunteers), the digest's buttons (open a task's card), and closing a started
task early (done, after a confirmation).

Guarded by RequireRole(coordinator=True); every press loads the task afresh and checks
the person may manage it (a refusal is audited); a stale press changes nothing."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.access.roles import AccessService, UserRoles
from bot.domain.tasks import TaskStatus, open_for_signups
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.lifecycle.coordinator import CoordinatorNotices
from bot.lifecycle.states import TaskStates
from bot.lifecycle.texts import NoticeCb
from bot.tasks.offers import OfferService
from bot.tasks.service import TaskService
from handlers.access_guard import RequireRole
from handlers.coordinator.mytasks.checks import load_task
from handlers.coordinator.mytasks.router import send_to_matching
from handlers.coordinator.mytasks.screens import task_keyboard, task_text
from handlers.ui import answer_stale, replace


def _confirm(task_id: int, yes_text: str, yes_action: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="✅ " + yes_text, callback_data=NoticeCb(action=yes_action, task_id=task_id).pack()),
        InlineKeyboardButton(text="↩️ " + _("Back"), callback_data=NoticeCb(action="back", task_id=task_id).pack()),
    ]])


def _not_open_text() -> str:
    return _("The task has started or is closed: its places can no longer be offered.")


async def release(query: CallbackQuery, callback_data: NoticeCb, tasks: TaskService, roles: UserRoles,
                  access: AccessService, notices: CoordinatorNotices, clock: Clock) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.release")
    if task is None:
        return
    if not open_for_signups(task.status, task.starts_at, clock.now()):
        await query.answer(_not_open_text(), show_alert=True)
        return
    people = await notices.unconfirmed_now(task)
    if not people:
        await query.answer(_("Everyone signed up has confirmed: nothing to offer."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        text = ngettext(
            "Offer {count} unconfirmed place on “{title}” to the waitlist? The person is told; this cannot be undone.",
            "Offer {count} unconfirmed places on “{title}” to the waitlist? Each person is told; this cannot be "
            "undone.", len(people)).format(count=len(people), title=html.quote(task.title))
        await query.message.answer(text, reply_markup=_confirm(task.id, _("Yes, offer them"), "release_yes"))


async def release_yes(query: CallbackQuery, callback_data: NoticeCb, tasks: TaskService, roles: UserRoles,
                      access: AccessService, notices: CoordinatorNotices) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.release")
    if task is None:
        return
    freed = await notices.release_unconfirmed(task.id)
    if freed is None:
        await query.answer(_not_open_text(), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await replace(query.message, ngettext(
            "{count} place was offered to the waitlist.", "{count} places were offered to the waitlist.",
            freed).format(count=freed), None)


async def resend(query: CallbackQuery, callback_data: NoticeCb, tasks: TaskService, roles: UserRoles,
                 access: AccessService, offers: OfferService, local_time: LocalTime, locale: str) -> None:
    await send_to_matching(query, callback_data.task_id, tasks, roles, access, offers, local_time, locale)


async def back(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await replace(query.message, _("OK, nothing was changed."), None)


async def card(query: CallbackQuery, callback_data: NoticeCb, tasks: TaskService, roles: UserRoles,
               access: AccessService, local_time: LocalTime, locale: str) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.open")
    if task is None:
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(await task_text(task, tasks, local_time, locale), reply_markup=task_keyboard(task, 0))


async def close(query: CallbackQuery, callback_data: NoticeCb, tasks: TaskService, roles: UserRoles,
                access: AccessService) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.close")
    if task is None:
        return
    if task.status != TaskStatus.STARTED:
        await query.answer(_("Only a task under way can be closed."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            _("Close “{title}” now? It will be marked done.").format(title=html.quote(task.title)),
            reply_markup=_confirm(task.id, _("Yes, close it"), "close_yes"))


async def close_yes(query: CallbackQuery, callback_data: NoticeCb, tasks: TaskService, roles: UserRoles,
                    access: AccessService, task_states: TaskStates) -> None:
    task = await load_task(query, callback_data.task_id, tasks, roles, access, "task.close")
    if task is None:
        return
    if await task_states.close(task.id) is None:
        await query.answer(_("Only a task under way can be closed."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await replace(query.message, "✔️ " + _("The task is closed and marked done."), None)


async def unknown(query: CallbackQuery) -> None:
    await answer_stale(query)


def build_lifecycle_router() -> Router:
    router = Router(name="task_life_coordinator")
    guard = RequireRole(coordinator=True)
    router.callback_query.middleware(guard)
    on = router.callback_query.register
    on(release, NoticeCb.filter(F.action == "release"), flags={"action": "task.release"})
    on(release_yes, NoticeCb.filter(F.action == "release_yes"), flags={"action": "task.release"})
    on(resend, NoticeCb.filter(F.action == "resend"), flags={"action": "task.broadcast"})
    on(back, NoticeCb.filter(F.action == "back"), flags={"action": "task.open"})
    on(card, NoticeCb.filter(F.action == "card"), flags={"action": "task.open"})
    on(close, NoticeCb.filter(F.action == "close"), flags={"action": "task.close"})
    on(close_yes, NoticeCb.filter(F.action == "close_yes"), flags={"action": "task.close"})
    on(unknown, NoticeCb.filter(), flags={"action": "task.unknown"})
    return router
