"""/newtask: a coordinator writes a task step by step, checks a preview, confirms; then
sees how many volunteers match and decides whether to send it to them.

Steps: region (skipped for a coordinator of one region) -> title -> description (may be
skipped) -> direction -> place (typed, or a location pin) -> start -> end -> number of
volunteers -> required skills -> preview. Minimum age (default 16) and organisation
(default: the coordinator's own) are changed from the preview's Edit.

Every update is guarded by RequireRole(coordinator=True); the region is checked against
the person's roles when picked and again at Confirm. All dialog data is in FSM data:

    {"draft": TaskDraft.to_data(), "regions": [codes in scope], "editing": bool,
     "msg": id of the message whose buttons are live}
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.roles import AccessService, UserRoles
from bot.config import Settings
from bot.domain.catalog import DIRECTIONS, REGION_BY_CODE, REGIONS, SKILLS, keep_known
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.tasks import drafts
from bot.tasks.drafts import TaskDraft, TimeError
from bot.tasks.service import TaskService
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import MenuCb, NavCb, PickCb
from handlers.coordinator.task_summary import NewTaskCb, TaskCb, task_summary
from handlers.keyboards import choices_keyboard, nav_buttons
from handlers.ui import (
    answer_stale,
    buttons_expected_hint,
    drop_keyboard,
    drop_live_keyboard,
    live_button,
    say,
    show,
    text_expected_hint,
)

log = logging.getLogger(__name__)

NOT_A_COMMAND = ~F.text.startswith("/")


class NewTask(StatesGroup):
    region = State()
    title = State()
    description = State()
    direction = State()
    place = State()
    start = State()
    end = State()
    slots = State()
    skills = State()
    min_age = State()
    organisation = State()
    preview = State()
    edit = State()


FLOW: tuple[str, ...] = ("region", "title", "description", "direction", "place", "start", "end", "slots", "skills")
TYPED = ("title", "description", "place", "start", "end", "slots", "min_age", "organisation")
# The PickCb field of each step's buttons (choices, Done, Skip).
PICK_FIELD = {
    "region": "task_region",
    "description": "task_description",
    "direction": "task_direction",
    "skills": "task_skills",
    "organisation": "task_organisation",
}
# What "Edit" offers, in this order ("time" opens the start, then the end if needed).
EDITABLE = ("region", "title", "description", "direction", "place", "time", "slots", "skills", "min_age", "organisation")


def build_newtask_router() -> Router:
    router = Router(name="newtask")
    guard = RequireRole(coordinator=True, dialogs=(NewTask,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)

    # --- start ------------------------------------------------------------------------

    @router.message(Command("newtask"), flags={"action": "task.create"})
    async def newtask_command(message: Message, state: FSMContext, roles: UserRoles, **data: Any) -> None:
        await _start(message, state, roles, data)

    @router.callback_query(MenuCb.filter(F.action == "newtask"), flags={"action": "task.create"})
    async def newtask_button(query: CallbackQuery, state: FSMContext, roles: UserRoles, **data: Any) -> None:
        await query.answer()
        if isinstance(query.message, Message):
            await _start(query.message, state, roles, data)

    # --- typed answers ----------------------------------------------------------------

    @router.message(StateFilter(*(getattr(NewTask, step) for step in TYPED)), F.text, NOT_A_COMMAND,
                    flags={"action": "task.create"})
    async def typed(message: Message, state: FSMContext, raw_state: str | None, **data: Any) -> None:
        step = _step_of(raw_state)
        assert step is not None
        draft = await _draft(state)
        clock: Clock = data["clock"]
        settings: Settings = data["settings"]
        text = message.text or ""
        hint: str | None = None
        if step == "title":
            value = drafts.parse_title(text)
            if value is None:
                hint = _("The title should be {min} to {max} characters long. Please type it again.").format(
                    min=drafts.MIN_TITLE, max=drafts.MAX_TITLE)
            else:
                draft.title = value
        elif step == "description":
            value = drafts.parse_description(text)
            if value is None:
                hint = _("The description can be up to {max} characters long. Please shorten it, "
                         "or press Skip.").format(max=drafts.MAX_DESCRIPTION)
            else:
                draft.description = value
        elif step == "place":
            value = drafts.parse_place(text)
            if value is None:
                hint = _("Please type the address or a landmark ({min} to {max} characters), "
                         "or send a location pin.").format(min=drafts.MIN_PLACE, max=drafts.MAX_PLACE)
            else:
                draft.place = value
        elif step == "start":
            try:
                draft.starts_at = drafts.parse_start(text, clock.now(), settings.tz)
            except TimeError as error:
                hint = time_hint(error, draft, clock, settings, data["local_time"], data["locale"])
        elif step == "end":
            if draft.starts_at is None:  # damaged dialog data: ask the start again
                await _ask(message, state, "start", data)
                return
            try:
                draft.ends_at = drafts.parse_end(text, draft.starts_at, settings.tz)
            except TimeError as error:
                hint = time_hint(error, draft, clock, settings, data["local_time"], data["locale"])
        elif step == "slots":
            value = drafts.parse_slots(text)
            if value is None:
                hint = _("Please type the number of volunteers needed: a whole number from {min} to {max}.").format(
                    min=drafts.MIN_SLOTS, max=drafts.MAX_SLOTS)
            else:
                draft.slots = value
        elif step == "min_age":
            value = drafts.parse_min_age(text)
            if value is None:
                hint = _("Please type the minimum age as a number from {min} to {max}.").format(
                    min=drafts.MIN_TASK_AGE, max=drafts.MAX_TASK_AGE)
            else:
                draft.min_age = value
        elif step == "organisation":
            value = drafts.parse_organisation(text)
            if value is None:
                hint = _("The organisation name should be 2 to {max} characters long and contain letters. "
                         "Please type it again, or press Skip.").format(max=drafts.MAX_ORGANISATION)
            else:
                draft.organisation = value
        if hint is not None:
            await _ask(message, state, step, data, hint=hint)
            return
        await _keep_draft(state, draft)
        await drop_live_keyboard(message, state)
        await _after(message, state, step, draft, data)

    @router.message(NewTask.place, F.location, flags={"action": "task.create"})
    async def location(message: Message, state: FSMContext, **data: Any) -> None:
        draft = await _draft(state)
        assert message.location is not None
        draft.latitude = round(message.location.latitude, 6)
        draft.longitude = round(message.location.longitude, 6)
        await _keep_draft(state, draft)
        await drop_live_keyboard(message, state)
        await _after(message, state, "place", draft, data)

    @router.message(StateFilter(NewTask), NOT_A_COMMAND, flags={"action": "task.create"})
    async def unexpected(message: Message, state: FSMContext, raw_state: str | None, **data: Any) -> None:
        """A sticker/photo/voice where text is asked, or text where buttons are expected."""
        step = _step_of(raw_state)
        if step is None:
            return
        if step in ("preview", "edit"):
            await message.answer(buttons_expected_hint())
            return
        hint = text_expected_hint() if step in TYPED else buttons_expected_hint()
        if step == "place":
            hint = _("Please type the address as text, or send a location pin.")
        await _ask(message, state, step, data, hint=hint)

    # --- buttons ----------------------------------------------------------------------

    @router.callback_query(PickCb.filter(), StateFilter(NewTask), flags={"action": "task.create"})
    async def picked(query: CallbackQuery, callback_data: PickCb, state: FSMContext, raw_state: str | None,
                     roles: UserRoles, access: AccessService, **data: Any) -> None:
        step = _step_of(raw_state)
        message = query.message
        if step is None or not isinstance(message, Message) or PICK_FIELD.get(step) != callback_data.field \
                or not await live_button(query, state):
            await answer_stale(query)
            return
        draft = await _draft(state)
        code = callback_data.code
        if step == "region":
            if code not in REGION_BY_CODE:
                await answer_stale(query)
                return
            allowed = (await state.get_data()).get("regions") or []
            if code not in allowed or not roles.can_coordinate(code):
                await refuse(query, access, "task.create.region", target=code,
                             message=_("Sorry, you can only create tasks for the regions you coordinate."))
                return
            await query.answer()
            draft.region = code
        elif step in ("description", "organisation"):
            if code != "skip":
                await answer_stale(query)
                return
            await query.answer()
            if step == "description":
                draft.description = ""
            else:
                draft.organisation = None
        elif step == "direction":
            if code not in drafts.DIRECTION_CODES:
                await answer_stale(query)
                return
            await query.answer()
            draft.direction = code
        elif step == "skills":
            if code == "done":
                await query.answer()
            else:
                chosen = _toggle(draft.required_skills, code)
                if chosen is None:
                    await answer_stale(query)
                    return
                await query.answer()
                draft.required_skills = chosen
                await _keep_draft(state, draft)
                await message.edit_reply_markup(reply_markup=_keyboard("skills", draft, await state.get_data()))
                return
        await _keep_draft(state, draft)
        # The question turns into the next one: its buttons name their step, so a second
        # tap on an old choice is still recognised as stale.
        await _after(message, state, step, draft, data, in_place=True)

    @router.callback_query(NavCb.filter(F.action == "back"), StateFilter(NewTask), flags={"action": "task.create"})
    async def back(query: CallbackQuery, state: FSMContext, raw_state: str | None, **data: Any) -> None:
        step = _step_of(raw_state)
        if step is None or not isinstance(query.message, Message) or not await live_button(query, state):
            await answer_stale(query)
            return
        stored = await state.get_data()
        first = await _first(state)
        if step == first and not stored.get("editing"):
            await answer_stale(query)  # the first step has no Back button
            return
        await query.answer()
        await drop_keyboard(query.message)
        draft = await _draft(state)
        if step == "edit" or (stored.get("editing") and step != "preview"):
            await _preview(query.message, state, draft, data)
        elif step == "preview":
            await _ask(query.message, state, FLOW[-1], data, editing=False)
        else:
            await _ask(query.message, state, FLOW[FLOW.index(step) - 1] if step in FLOW else FLOW[-1], data)

    @router.callback_query(NewTaskCb.filter(F.action == "edit"), NewTask.preview, flags={"action": "task.create"})
    async def edit_menu(query: CallbackQuery, state: FSMContext) -> None:
        if not await live_button(query, state):
            await answer_stale(query)
            return
        await query.answer()
        await state.set_state(NewTask.edit)
        regions = (await state.get_data()).get("regions") or []
        shown = await show(query, _("What would you like to change?"), _edit_keyboard(len(regions) > 1))
        if shown is not None:
            await state.update_data(msg=shown.message_id)

    @router.callback_query(NewTaskCb.filter(F.action == "field"), NewTask.edit, flags={"action": "task.create"})
    async def edit_field(query: CallbackQuery, callback_data: NewTaskCb, state: FSMContext, **data: Any) -> None:
        regions = (await state.get_data()).get("regions") or []
        field = callback_data.code
        if field not in EDITABLE or (field == "region" and len(regions) < 2) or not await live_button(query, state) \
                or not isinstance(query.message, Message):
            await answer_stale(query)
            return
        await query.answer()
        await drop_keyboard(query.message)
        await _ask(query.message, state, "start" if field == "time" else field, data, editing=True)

    @router.callback_query(NewTaskCb.filter(F.action == "confirm"), NewTask.preview, flags={"action": "task.create"})
    async def confirm(query: CallbackQuery, state: FSMContext, roles: UserRoles, access: AccessService,
                      tasks: TaskService, clock: Clock, **data: Any) -> None:
        draft = await _draft(state)
        if not await live_button(query, state) or not isinstance(query.message, Message):
            await answer_stale(query)
            return
        if draft.region is None or not roles.can_coordinate(draft.region):
            await state.clear()
            await refuse(query, access, "task.create.region", target=str(draft.region),
                         message=_("Sorry, you can only create tasks for the regions you coordinate."))
            return
        if not draft.complete:
            await query.answer()
            await _ask(query.message, state, _flow_name(draft.missing()[0]), data, editing=False)
            return
        assert draft.starts_at is not None
        if draft.starts_at <= clock.now():  # the preview waited too long
            await query.answer()
            await _ask(query.message, state, "start", data, editing=True,
                       hint=_("This moment has already passed. Please type a date and time in the future."))
            return
        await query.answer()
        await state.clear()  # first: a second press finds no dialog
        await drop_keyboard(query.message)
        task = await tasks.create(draft, query.from_user.id)
        await _offer_broadcast(query.message, task, data.get("matching"))

    # Any other dialog button (old, or forged): still guarded above, then explained here.
    @router.callback_query(NewTaskCb.filter(), flags={"action": "task.create"})
    async def unknown_button(query: CallbackQuery) -> None:
        await answer_stale(query)

    return router


# --- after Confirm ------------------------------------------------------------------


async def _offer_broadcast(message: Message, task: Any, matching: Any) -> None:
    lines = [_("✅ The task is created and open.")]
    count = await matching.count(task) if matching is not None else 0
    if count > 0:
        lines.append(ngettext("{count} volunteer matches this task.", "{count} volunteers match this task.",
                              count).format(count=count))
        lines.append(_("Send it to them?"))
        markup = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="📣 " + _("Send"), callback_data=TaskCb(action="send", task_id=task.id).pack()),
            InlineKeyboardButton(text=_("Not now"), callback_data=TaskCb(action="later", task_id=task.id).pack()),
        ]])
    else:
        lines.append(_("No volunteers match this task yet. You can send it later from /mytasks."))
        markup = None
    await message.answer("\n".join(lines), reply_markup=markup)


# --- dialog mechanics ---------------------------------------------------------------


async def _start(message: Message, state: FSMContext, roles: UserRoles, data: dict[str, Any]) -> None:
    await state.clear()
    regions = [r.code for r in REGIONS] if roles.is_admin else \
        [r.code for r in REGIONS if r.code in roles.coordinator_regions]
    draft = TaskDraft(organisation=roles.organisations[0] if roles.organisations else None)
    if len(regions) == 1:
        draft.region = regions[0]
    await state.set_data({"draft": draft.to_data(), "regions": regions, "editing": False})
    lead = "➕ <b>" + _("New task") + "</b>\n" + _("Answer a few questions; you will see a preview "
                                                  "before anything is published.")
    await _ask(message, state, "region" if len(regions) > 1 else "title", data, lead=lead)  # one message


def _step_of(raw_state: str | None) -> str | None:
    if not raw_state or not raw_state.startswith("NewTask:"):
        return None
    return raw_state.split(":", 1)[1]


def _flow_name(field: str) -> str:
    return {"starts_at": "start", "ends_at": "end"}.get(field, field)


async def _draft(state: FSMContext) -> TaskDraft:
    return TaskDraft.from_data((await state.get_data()).get("draft"))


async def _keep_draft(state: FSMContext, draft: TaskDraft) -> None:
    await state.update_data(draft=draft.to_data())


async def _first(state: FSMContext) -> str:
    regions = (await state.get_data()).get("regions") or []
    return "region" if len(regions) > 1 else "title"


def _toggle(selected: list[str], code: str) -> list[str] | None:
    if not any(choice.code == code for choice in SKILLS):
        return None
    chosen = set(selected) ^ {code}
    return keep_known(list(chosen), SKILLS)


async def _after(message: Message, state: FSMContext, step: str, draft: TaskDraft, data: dict[str, Any], *,
                 in_place: bool = False) -> None:
    """Go on from a finished step: the next step, or the preview (`in_place`: shown in
    the bot's `message` itself, the question whose button was pressed)."""
    stored = await state.get_data()
    if stored.get("editing") or step in ("min_age", "organisation"):
        if step == "start" and (draft.ends_at is None or draft.ends_at <= draft.starts_at):
            await _ask(message, state, "end", data, editing=True, in_place=in_place)
            return
        await _preview(message, state, draft, data, in_place=in_place)
        return
    index = FLOW.index(step)
    if index + 1 < len(FLOW):
        await _ask(message, state, FLOW[index + 1], data, in_place=in_place)
    else:
        await _preview(message, state, draft, data, in_place=in_place)


async def _ask(message: Message, state: FSMContext, step: str, data: dict[str, Any], *, hint: str | None = None,
               editing: bool | None = None, lead: str | None = None, in_place: bool = False) -> None:
    """Ask a step's question: a new message, or (`in_place`) the bot's `message` edited."""
    await state.set_state(getattr(NewTask, step))
    if editing is not None:
        await state.update_data(editing=editing)
    draft = await _draft(state)
    text = "\n\n".join(part for part in (lead, hint, step_question(step, draft, data)) if part)
    markup = _keyboard(step, draft, await state.get_data())
    sent = await say(message, text, markup, in_place=in_place)
    await state.update_data(msg=sent.message_id)


async def _preview(message: Message, state: FSMContext, draft: TaskDraft, data: dict[str, Any], *,
                   in_place: bool = False) -> None:
    missing = draft.missing()
    if missing:  # e.g. the start was changed to after the end: ask what is missing
        await _ask(message, state, _flow_name(missing[0]), data, in_place=in_place)
        return
    await state.set_state(NewTask.preview)
    await state.update_data(editing=False)
    values = {name: getattr(draft, name) for name in draft.__dataclass_fields__}  # type: ignore[attr-defined]
    text = _("<b>Preview.</b> Please check the task:") + "\n\n" + task_summary(values, data["local_time"], data["locale"])
    builder = InlineKeyboardBuilder()
    builder.button(text="✅ " + _("Confirm"), callback_data=NewTaskCb(action="confirm"))
    builder.button(text="✏️ " + _("Edit"), callback_data=NewTaskCb(action="edit"))
    builder.adjust(2)
    builder.row(*nav_buttons(back=True))
    markup = builder.as_markup()
    sent = await say(message, text, markup, in_place=in_place)
    await state.update_data(msg=sent.message_id)


def step_question(step: str, draft: TaskDraft, data: dict[str, Any]) -> str:
    settings: Settings = data["settings"]
    clock: Clock = data["clock"]
    if step == "region":
        return _("Which region is the task in?")
    if step == "title":
        return _("What is the task? Type a short title ({min} to {max} characters).").format(
            min=drafts.MIN_TITLE, max=drafts.MAX_TITLE)
    if step == "description":
        return _("Describe the task: what volunteers will do, what to bring, whom to ask for "
                 "(up to {max} characters). Or press Skip.").format(max=drafts.MAX_DESCRIPTION)
    if step == "direction":
        return _("Which direction does the task belong to?")
    if step == "place":
        return _("Where? Type the address or a landmark, or send a location pin (📎 → Location).")
    if step == "start":
        return _("When does it start? Type the date and time ({timezone}), for example {example} "
                 "or {short_example}.").format(timezone=settings.timezone, **_start_examples(clock, settings))
    if step == "end":
        end_example = ((draft.starts_at or clock.now()) + timedelta(hours=3)).astimezone(settings.tz)
        return _("When does it end? Type the time, for example {example}, or the date and time if it ends "
                 "on another day.").format(example=end_example.strftime("%H:%M"))
    if step == "slots":
        return _("How many volunteers are needed? Type a number from {min} to {max}.").format(
            min=drafts.MIN_SLOTS, max=drafts.MAX_SLOTS)
    if step == "skills":
        return _("Which skills must volunteers have? Tick any (or none), then press Done.")
    if step == "min_age":
        return _("What is the minimum age of volunteers? Type a number from {min} to {max}.").format(
            min=drafts.MIN_TASK_AGE, max=drafts.MAX_TASK_AGE)
    if step == "organisation":
        return _("Which organisation runs the task? Type its name, or press Skip if none.")
    raise ValueError(step)


def _start_examples(clock: Clock, settings: Settings) -> dict[str, str]:
    tomorrow = (clock.now().astimezone(settings.tz) + timedelta(days=1)).replace(hour=10, minute=0)
    return {"example": tomorrow.strftime("%d.%m.%Y %H:%M"), "short_example": tomorrow.strftime("%d.%m %H:%M")}


def time_hint(error: TimeError, draft: TaskDraft, clock: Clock, settings: Settings, local_time: LocalTime,
               locale: str) -> str:
    if error.code == TimeError.PAST:
        return _("This moment has already passed. Please type a date and time in the future.")
    if error.code == TimeError.TOO_FAR:
        return _("This is more than a year ahead. Please check the date.")
    if error.code == TimeError.NO_SUCH_DATE:
        return _("There is no such date or time. Please check it and type it again.")
    if error.code == TimeError.BEFORE_START and draft.starts_at is not None:
        start = local_time.datetime(draft.starts_at, locale, fmt="short")
        return _("The end must be after the start ({start}). Please type it again.").format(start=start)
    if error.code == TimeError.TOO_LONG:
        days = drafts.MAX_DURATION.days
        return ngettext("A task can last at most {days} day. Please check the end.",
                        "A task can last at most {days} days. Please check the end.", days).format(days=days)
    return _("I could not read this date and time. Please type it like {example}.").format(
        example=_start_examples(clock, settings)["example"])


def _keyboard(step: str, draft: TaskDraft, stored: dict[str, Any]) -> InlineKeyboardMarkup:
    """The step's buttons; `stored` is the FSM data (regions in scope, editing)."""
    regions = list(stored.get("regions") or [])
    first = "region" if len(regions) > 1 else "title"
    back = bool(stored.get("editing")) or step != first
    if step == "region":
        choices = [r for r in REGIONS if r.code in regions]
        return choices_keyboard(PICK_FIELD["region"], choices, selected=[draft.region] if draft.region else [],
                                back=back)
    if step == "direction":
        return choices_keyboard(PICK_FIELD["direction"], DIRECTIONS,
                                selected=[draft.direction] if draft.direction else [], columns=1, back=back)
    if step == "skills":
        return choices_keyboard(PICK_FIELD["skills"], SKILLS, selected=draft.required_skills, multi=True, back=back)
    if step in ("description", "organisation"):
        return choices_keyboard(PICK_FIELD[step], (), skip=True, back=back)
    return InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=back)])


def _edit_keyboard(with_region: bool) -> InlineKeyboardMarkup:
    labels = {
        "region": _("Region"),
        "title": _("Title"),
        "description": _("Description"),
        "direction": _("Direction"),
        "place": _("Place"),
        "time": _("Time"),
        "slots": _("Volunteers needed"),
        "skills": _("Required skills"),
        "min_age": _("Minimum age"),
        "organisation": _("Organisation"),
    }
    builder = InlineKeyboardBuilder()
    for field in EDITABLE:
        if field == "region" and not with_region:
            continue
        builder.button(text=labels[field], callback_data=NewTaskCb(action="field", code=field))
    builder.adjust(2)
    builder.row(InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=NavCb(action="back").pack()),
                InlineKeyboardButton(text="✖️ " + _("Cancel"), callback_data=NavCb(action="cancel").pack()))
    return builder.as_markup()


__all__ = ["NewTask", "build_newtask_router"]
