"""/tasks: open tasks that match me, 5 a page with Prev/Next; /my: my tasks in three
parts: upcoming sign-ups (going, offered, waitlisted) with "Cancel my sign-up" behind a
confirmation (the place is freed and offered to the waitlist), tasks under way, and the
last finished ones. The same from the main menu buttons.

Opening a task from /tasks sends its card with the usual buttons; those presses are
checked like any other (bot/tasks/signups.py): the list shows only tasks the person is
eligible for, and eligibility is checked again on the press."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.domain.signups import ACTIVE_SIGNUPS, Outcome, SignupStatus
from bot.infra.i18n import LocalTime
from bot.lifecycle.mine import MyTasks, MyTasksView
from bot.tasks.cards import TaskCardCb
from bot.tasks.matching import MatchingService
from bot.tasks.signups import MySignup, SignupService
from bot.volunteers.service import VolunteerService
from handlers.callbacks import MenuCb
from handlers.ui import sender_id
from handlers.volunteer.task_card import card_markup_for, card_text_for, outcome_text
from storage.models import Task

PAGE_SIZE = 5
TITLE_IN_BUTTON = 40


class TasksPageCb(CallbackData, prefix="tlist"):
    page: int


class MySignupCb(CallbackData, prefix="mysu"):
    """action: ask | yes | no | open"""

    action: str
    task_id: int


def _short(title: str, limit: int = TITLE_IN_BUTTON) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def tasks_page(tasks: list[Task], page: int, local_time: LocalTime, locale: str) -> tuple[str, InlineKeyboardMarkup | None]:
    if not tasks:
        return _("No open tasks match you right now. New ones will come to you as soon as they appear."), None
    pages = (len(tasks) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = tasks[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    lines = ["🗂 <b>" + _("Tasks for you") + "</b>"]
    if pages > 1:
        lines[0] += " " + _("(page {page} of {pages})").format(page=page + 1, pages=pages)
    rows = []
    for number, task in enumerate(shown, start=page * PAGE_SIZE + 1):
        left = max(task.slots - task.taken, 0)
        places = _("places left: {left} of {slots}").format(left=left, slots=task.slots)
        lines += ["", f"{number}. <b>{html.quote(task.title)}</b>",
                  "🕒 " + local_time.span(task.starts_at, task.ends_at, locale) + " · 👥 " + places]
        rows.append([InlineKeyboardButton(text=f"{number}. {_short(task.title)}",
                                          callback_data=TaskCardCb(action="info", task_id=task.id).pack())])
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(text="⬅️ " + _("Previous"), callback_data=TasksPageCb(page=page - 1).pack()))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(text=_("Next") + " ➡️", callback_data=TasksPageCb(page=page + 1).pack()))
    if nav:
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def status_label(signup: MySignup, local_time: LocalTime, locale: str) -> str:
    if signup.status == SignupStatus.GOING:
        return "✅ " + _("signed up")
    if signup.status == SignupStatus.WAITLISTED:
        return "🕒 " + _("on the waitlist")
    until = local_time.datetime(signup.offered_until, locale, "short") if signup.offered_until else "—"
    return "🎉 " + _("a place is held for you until {time}").format(time=until)


def my_page(view: MyTasksView, local_time: LocalTime, locale: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """/my: upcoming sign-ups (with their buttons), tasks under way, and the last finished."""
    if view.empty:
        return _("You have no upcoming sign-ups. See /tasks for tasks that match you."), None
    lines = ["📌 <b>" + _("My sign-ups") + "</b>"]
    rows = []
    if view.upcoming:
        lines += ["", "<b>" + _("Upcoming") + "</b>"]
    elif view.running or view.finished:
        lines += ["", _("No upcoming sign-ups. See /tasks for tasks that match you.")]
    for number, signup in enumerate(view.upcoming, start=1):
        task = signup.task
        lines += ["", f"{number}. <b>{html.quote(task.title)}</b>",
                  "🕒 " + local_time.span(task.starts_at, task.ends_at, locale),
                  status_label(signup, local_time, locale)]
        row = []
        if signup.status == SignupStatus.OFFERED:
            row.append(InlineKeyboardButton(text=f"{number}. " + _("Confirm my place"),
                                            callback_data=TaskCardCb(action="confirm", task_id=task.id).pack()))
        row.append(InlineKeyboardButton(text=f"{number}. ❌ " + _("Cancel my sign-up"),
                                        callback_data=MySignupCb(action="ask", task_id=task.id).pack()))
        rows.append(row)
    if view.running:
        lines += ["", "<b>▶️ " + _("Under way") + "</b>"]
        for signup in view.running:
            task = signup.task
            lines.append("• <b>" + html.quote(task.title) + "</b> — " + _("until {time}").format(
                time=local_time.time(task.ends_at, locale)))
    if view.finished:
        lines += ["", "<b>✔️ " + _("Finished") + "</b>"]
        for signup in view.finished:
            task = signup.task
            lines.append("• " + html.quote(task.title) + " — " + local_time.date(task.starts_at, locale))
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def show_tasks(message: Message, user_id: int, page: int, volunteers: VolunteerService,
                     matching: MatchingService, local_time: LocalTime, locale: str, *, edit: bool) -> None:
    volunteer = await volunteers.get(user_id)
    if volunteer is None:
        await message.answer(_("Please register first: send /start."))
        return
    tasks = await matching.open_tasks_for(volunteer)
    text, markup = tasks_page(tasks, page, local_time, locale)
    if edit:
        try:
            await message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as error:
            if "not modified" not in str(error).lower():
                raise
    else:
        await message.answer(text, reply_markup=markup)


async def show_my(message: Message, user_id: int, volunteers: VolunteerService, my_tasks: MyTasks,
                  local_time: LocalTime, locale: str) -> None:
    if await volunteers.get(user_id) is None:
        await message.answer(_("Please register first: send /start."))
        return
    text, markup = my_page(await my_tasks.of(user_id), local_time, locale)
    await message.answer(text, reply_markup=markup)


async def tasks_command(message: Message, volunteers: VolunteerService, matching: MatchingService,
                        local_time: LocalTime, locale: str) -> None:
    await show_tasks(message, sender_id(message), 0, volunteers, matching, local_time, locale, edit=False)


async def tasks_button(query: CallbackQuery, volunteers: VolunteerService, matching: MatchingService,
                       local_time: LocalTime, locale: str) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await show_tasks(query.message, query.from_user.id, 0, volunteers, matching, local_time, locale,
                         edit=False)


async def tasks_page_button(query: CallbackQuery, callback_data: TasksPageCb, volunteers: VolunteerService,
                            matching: MatchingService, local_time: LocalTime, locale: str) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await show_tasks(query.message, query.from_user.id, callback_data.page, volunteers, matching,
                         local_time, locale, edit=True)


async def my_command(message: Message, volunteers: VolunteerService, my_tasks: MyTasks,
                     local_time: LocalTime, locale: str) -> None:
    await show_my(message, sender_id(message), volunteers, my_tasks, local_time, locale)


async def my_button(query: CallbackQuery, volunteers: VolunteerService, my_tasks: MyTasks,
                    local_time: LocalTime, locale: str) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await show_my(query.message, query.from_user.id, volunteers, my_tasks, local_time, locale)


async def ask_cancel(query: CallbackQuery, callback_data: MySignupCb, signups: SignupService) -> None:
    status = await signups.status_of(callback_data.task_id, query.from_user.id)
    task = await signups.task(callback_data.task_id)
    if task is None or status not in ACTIVE_SIGNUPS:
        await query.answer(_("You are not signed up for this task."), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        markup = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="✅ " + _("Yes, cancel it"),
                                 callback_data=MySignupCb(action="yes", task_id=task.id).pack()),
            InlineKeyboardButton(text="↩️ " + _("No, keep it"),
                                 callback_data=MySignupCb(action="no", task_id=task.id).pack()),
        ]])
        await query.message.answer(
            _("Cancel your sign-up for “{title}”? Your place will go to someone else.").format(
                title=html.quote(task.title)),
            reply_markup=markup)


async def cancel_yes(query: CallbackQuery, callback_data: MySignupCb, signups: SignupService) -> None:
    result = await signups.cancel(callback_data.task_id, query.from_user.id)
    if result.outcome == Outcome.CANCELLED:
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_text(_("Your sign-up is cancelled. Thank you for letting us know!"))
        return
    text, alert = outcome_text(result)
    await query.answer(text[:200], show_alert=alert)


async def cancel_no(query: CallbackQuery, callback_data: MySignupCb) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        try:
            await query.message.edit_text(_("OK, your sign-up stays."))
        except TelegramBadRequest as error:
            if "not modified" not in str(error).lower():
                raise


def build_volunteer_tasks_router() -> Router:
    router = Router(name="volunteer_tasks")
    router.message.register(tasks_command, Command("tasks"))
    router.callback_query.register(tasks_button, MenuCb.filter(F.action == "tasks"))
    router.callback_query.register(tasks_page_button, TasksPageCb.filter())
    router.message.register(my_command, Command("my"))
    router.callback_query.register(my_button, MenuCb.filter(F.action == "my"))
    router.callback_query.register(ask_cancel, MySignupCb.filter(F.action == "ask"))
    router.callback_query.register(cancel_yes, MySignupCb.filter(F.action == "yes"))
    router.callback_query.register(cancel_no, MySignupCb.filter(F.action == "no"))
    return router


__all__ = ["build_volunteer_tasks_router", "card_markup_for", "card_text_for"]
