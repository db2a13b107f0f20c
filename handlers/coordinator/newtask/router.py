"""/newtask: a coordinator writes a task step by step, checks a preview, confirms; then
sees how many volunteers match and decides whether to send it to them.

Steps: region (skipped for a coordinator of one region) -> title -> description (may be
skipped) -> direction -> place (typed, or a location pin) -> start -> end -> number of
volunteers -> required skills -> preview. Minimum age (default 16) and organisation
(default: the coordinator's own) are changed from the preview's Edit. The steps are the
task's fields (handlers/coordinator/task_fields.py); the dialog's mechanics are in
dialog.py.

Every update is guarded by RequireRole(coordinator=True); the region is checked against
the person's roles when picked and again at Confirm.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.access.roles import AccessService, UserRoles
from bot.config import Settings
from bot.domain.catalog import REGIONS
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.tasks.drafts import TaskDraft
from bot.tasks.matching import MatchingService
from bot.tasks.service import TaskService
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import MenuCb, NavCb, NewTaskCb, PickCb, TaskCb
from handlers.coordinator.newtask.dialog import (
    EDITABLE,
    FLOW,
    TYPED,
    NewTask,
    after,
    ask,
    first_step,
    flow_name,
    get_draft,
    keep_draft,
    preview,
    regions_in_scope,
    show_edit_menu,
    step_keyboard,
    step_of,
)
from handlers.coordinator.task_fields import TASK_FIELDS, Moment, past_hint
from handlers.fields.specs import Invalid
from handlers.ui import (
    NOT_A_COMMAND,
    answer_stale,
    buttons_expected_hint,
    drop_keyboard,
    drop_live_keyboard,
    live_button,
    text_expected_hint,
)
from storage.models import Task

# Steps answered with buttons (choices, Done, Skip); a press must name its step's field.
PICKED = ("region", "description", "direction", "skills", "organisation")
ACTION = {"action": "task.create"}


def _region_refused() -> str:
    return _("Sorry, you can only create tasks for the regions you coordinate.")


# --- start ------------------------------------------------------------------------------


async def newtask_command(message: Message, state: FSMContext, roles: UserRoles, clock: Clock, settings: Settings,
                          local_time: LocalTime, locale: str) -> None:
    await _start(message, state, roles, Moment(clock, settings, local_time, locale))


async def newtask_button(query: CallbackQuery, state: FSMContext, roles: UserRoles, clock: Clock, settings: Settings,
                         local_time: LocalTime, locale: str) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await _start(query.message, state, roles, Moment(clock, settings, local_time, locale))


async def _start(message: Message, state: FSMContext, roles: UserRoles, moment: Moment) -> None:
    await state.clear()
    regions = [r.code for r in REGIONS if roles.is_admin or r.code in roles.coordinator_regions]
    draft = TaskDraft(organisation=roles.organisations[0] if roles.organisations else None)
    if len(regions) == 1:
        draft.region = regions[0]
    await state.set_data({"draft": draft.to_data(), "regions": regions, "editing": False})
    lead = "➕ <b>" + _("New task") + "</b>\n" + _("Answer a few questions; you will see a preview "
                                                  "before anything is published.")
    await ask(message, state, "region" if len(regions) > 1 else "title", moment, lead=lead)  # one message


# --- typed answers ----------------------------------------------------------------------


async def typed(message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings,
                local_time: LocalTime, locale: str) -> None:
    step = step_of(raw_state)
    assert step is not None
    moment = Moment(clock, settings, local_time, locale)
    draft = await get_draft(state)
    field = TASK_FIELDS[step]
    if step == "end" and draft.starts_at is None:  # damaged dialog data: ask the start again
        await ask(message, state, "start", moment)
        return
    assert field.read is not None and field.attr is not None
    result = field.read(message.text or "", draft, moment)
    if isinstance(result, Invalid):
        await ask(message, state, step, moment, hint=result.hint)
        return
    setattr(draft, field.attr, result.value)
    await keep_draft(state, draft)
    await drop_live_keyboard(message, state)
    await after(message, state, step, draft, moment)


async def location(message: Message, state: FSMContext, clock: Clock, settings: Settings, local_time: LocalTime,
                   locale: str) -> None:
    draft = await get_draft(state)
    assert message.location is not None
    draft.latitude = round(message.location.latitude, 6)
    draft.longitude = round(message.location.longitude, 6)
    await keep_draft(state, draft)
    await drop_live_keyboard(message, state)
    await after(message, state, "place", draft, Moment(clock, settings, local_time, locale))


async def unexpected(message: Message, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings,
                     local_time: LocalTime, locale: str) -> None:
    """A sticker/photo/voice where text is asked, or text where buttons are expected."""
    step = step_of(raw_state)
    if step is None:
        return
    if step in ("preview", "edit"):
        await message.answer(buttons_expected_hint())
        return
    hint = text_expected_hint() if step in TYPED else buttons_expected_hint()
    if step == "place":
        hint = _("Please type the address as text, or send a location pin.")
    await ask(message, state, step, Moment(clock, settings, local_time, locale), hint=hint)


# --- buttons ----------------------------------------------------------------------------


async def picked(query: CallbackQuery, callback_data: PickCb, state: FSMContext, raw_state: str | None,
                 roles: UserRoles, access: AccessService, clock: Clock, settings: Settings, local_time: LocalTime,
                 locale: str) -> None:
    step = step_of(raw_state)
    message = query.message
    if step not in PICKED or not isinstance(message, Message) \
            or TASK_FIELDS[step].spec.name != callback_data.field or not await live_button(query, state):
        await answer_stale(query)
        return
    spec = TASK_FIELDS[step].spec
    draft = await get_draft(state)
    code = callback_data.code
    if step == "region":
        region = spec.pick(code)
        if region is None:
            await answer_stale(query)
            return
        if region not in await regions_in_scope(state) or not roles.can_coordinate(region):
            await refuse(query, access, "task.create.region", target=region, message=_region_refused())
            return
        draft.region = region
    elif step in ("description", "organisation"):
        if code != "skip":
            await answer_stale(query)
            return
        if step == "description":
            draft.description = ""
        else:
            draft.organisation = None
    elif step == "direction":
        direction = spec.pick(code)
        if direction is None:
            await answer_stale(query)
            return
        draft.direction = direction
    elif code != "done":  # skills: a tick on or off
        chosen = spec.toggle(draft.required_skills, code)
        if chosen is None:
            await answer_stale(query)
            return
        await query.answer()
        draft.required_skills = chosen
        await keep_draft(state, draft)
        await message.edit_reply_markup(reply_markup=step_keyboard("skills", draft, await state.get_data()))
        return
    await query.answer()
    await keep_draft(state, draft)
    # The question turns into the next one: its buttons name their step, so a second
    # tap on an old choice is still recognised as stale.
    await after(message, state, step, draft, Moment(clock, settings, local_time, locale), in_place=True)


async def back(query: CallbackQuery, state: FSMContext, raw_state: str | None, clock: Clock, settings: Settings,
               local_time: LocalTime, locale: str) -> None:
    step = step_of(raw_state)
    if step is None or not isinstance(query.message, Message) or not await live_button(query, state):
        await answer_stale(query)
        return
    editing = bool((await state.get_data()).get("editing"))
    if step == await first_step(state) and not editing:
        await answer_stale(query)  # the first step has no Back button
        return
    await query.answer()
    await drop_keyboard(query.message)
    moment = Moment(clock, settings, local_time, locale)
    if step == "edit" or (editing and step != "preview"):
        await preview(query.message, state, await get_draft(state), moment)
    elif step == "preview":
        await ask(query.message, state, FLOW[-1], moment, editing=False)
    else:
        await ask(query.message, state, FLOW[FLOW.index(step) - 1] if step in FLOW else FLOW[-1], moment)


async def edit_menu(query: CallbackQuery, state: FSMContext) -> None:
    if not await live_button(query, state) or not isinstance(query.message, Message):
        await answer_stale(query)
        return
    await query.answer()
    await show_edit_menu(query.message, state)


async def edit_field(query: CallbackQuery, callback_data: NewTaskCb, state: FSMContext, clock: Clock,
                     settings: Settings, local_time: LocalTime, locale: str) -> None:
    field = callback_data.code
    if field not in EDITABLE or (field == "region" and len(await regions_in_scope(state)) < 2) \
            or not await live_button(query, state) or not isinstance(query.message, Message):
        await answer_stale(query)
        return
    await query.answer()
    await drop_keyboard(query.message)
    await ask(query.message, state, "start" if field == "time" else field, Moment(clock, settings, local_time, locale),
              editing=True)


async def confirm(query: CallbackQuery, state: FSMContext, roles: UserRoles, access: AccessService,
                  tasks: TaskService, matching: MatchingService, clock: Clock, settings: Settings,
                  local_time: LocalTime, locale: str) -> None:
    draft = await get_draft(state)
    if not await live_button(query, state) or not isinstance(query.message, Message):
        await answer_stale(query)
        return
    if draft.region is None or not roles.can_coordinate(draft.region):
        await state.clear()
        await refuse(query, access, "task.create.region", target=str(draft.region), message=_region_refused())
        return
    moment = Moment(clock, settings, local_time, locale)
    if not draft.complete:
        await query.answer()
        await ask(query.message, state, flow_name(draft.missing()[0]), moment, editing=False)
        return
    assert draft.starts_at is not None
    if draft.starts_at <= clock.now():  # the preview waited too long
        await query.answer()
        await ask(query.message, state, "start", moment, editing=True, hint=past_hint())
        return
    await query.answer()
    await state.clear()  # first: a second press finds no dialog
    await drop_keyboard(query.message)
    task = await tasks.create(draft, query.from_user.id)
    await _offer_broadcast(query.message, task, matching)


async def _offer_broadcast(message: Message, task: Task, matching: MatchingService) -> None:
    lines = [_("✅ The task is created and open.")]
    count = await matching.count(task)
    if count > 0:
        lines.append(ngettext("{count} volunteer matches this task.", "{count} volunteers match this task.",
                              count).format(count=count))
        lines.append(_("Send it to them?"))
        markup: InlineKeyboardMarkup | None = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="📣 " + _("Send"), callback_data=TaskCb(action="send", task_id=task.id).pack()),
            InlineKeyboardButton(text=_("Not now"), callback_data=TaskCb(action="later", task_id=task.id).pack()),
        ]])
    else:
        lines.append(_("No volunteers match this task yet. You can send it later from /mytasks."))
        markup = None
    await message.answer("\n".join(lines), reply_markup=markup)


async def unknown_button(query: CallbackQuery) -> None:
    """Any other dialog button (old, or forged): still guarded, then explained."""
    await answer_stale(query)


def build_newtask_router() -> Router:
    router = Router(name="newtask")
    guard = RequireRole(coordinator=True, dialogs=(NewTask,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    router.message.register(newtask_command, Command("newtask"), flags=ACTION)
    router.callback_query.register(newtask_button, MenuCb.filter(F.action == "newtask"), flags=ACTION)
    router.message.register(typed, StateFilter(*(getattr(NewTask, step) for step in TYPED)), F.text, NOT_A_COMMAND,
                            flags=ACTION)
    router.message.register(location, NewTask.place, F.location, flags=ACTION)
    router.message.register(unexpected, StateFilter(NewTask), NOT_A_COMMAND, flags=ACTION)
    router.callback_query.register(picked, PickCb.filter(), StateFilter(NewTask), flags=ACTION)
    router.callback_query.register(back, NavCb.filter(F.action == "back"), StateFilter(NewTask), flags=ACTION)
    router.callback_query.register(edit_menu, NewTaskCb.filter(F.action == "edit"), NewTask.preview, flags=ACTION)
    router.callback_query.register(edit_field, NewTaskCb.filter(F.action == "field"), NewTask.edit, flags=ACTION)
    router.callback_query.register(confirm, NewTaskCb.filter(F.action == "confirm"), NewTask.preview, flags=ACTION)
    router.callback_query.register(unknown_button, NewTaskCb.filter(), flags=ACTION)
    return router


__all__ = ["NewTask", "build_newtask_router"]
