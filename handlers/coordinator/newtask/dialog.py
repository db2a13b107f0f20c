"""The /newtask dialog's mechanics: its states and order of steps, the draft kept in FSM
data, asking a step (the task's fields, handlers/coordinator/task_fields.py), the
preview and the Edit menu.

FSM data: {"draft": TaskDraft.to_data(), "regions": [codes in scope], "editing": bool,
"msg": id of the message whose buttons are live}."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.domain.catalog import REGIONS
from bot.tasks.drafts import TaskDraft
from handlers.callbacks import NavCb, NewTaskCb
from handlers.coordinator.task_fields import TASK_FIELDS, Moment
from handlers.coordinator.task_summary import task_summary, task_values
from handlers.keyboards import nav_buttons
from handlers.ui import AnyMessage, keep_live, say


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
TYPED = tuple(name for name, field in TASK_FIELDS.items() if field.read is not None)
# What "Edit" offers, in this order ("time" opens the start, then the end if needed).
EDITABLE = ("region", "title", "description", "direction", "place", "time", "slots", "skills", "min_age", "organisation")


def step_of(raw_state: str | None) -> str | None:
    if not raw_state or not raw_state.startswith("NewTask:"):
        return None
    return raw_state.split(":", 1)[1]


def flow_name(field: str) -> str:
    """The step that asks a draft attribute."""
    return {"starts_at": "start", "ends_at": "end"}.get(field, field)


async def get_draft(state: FSMContext) -> TaskDraft:
    return TaskDraft.from_data((await state.get_data()).get("draft"))


async def keep_draft(state: FSMContext, draft: TaskDraft) -> None:
    await state.update_data(draft=draft.to_data())


async def regions_in_scope(state: FSMContext) -> list[str]:
    return list((await state.get_data()).get("regions") or [])


async def first_step(state: FSMContext) -> str:
    return "region" if len(await regions_in_scope(state)) > 1 else "title"


def step_keyboard(step: str, draft: TaskDraft, stored: dict[str, object]) -> InlineKeyboardMarkup:
    """The step's buttons; `stored` is the FSM data (regions in scope, editing)."""
    regions = list(stored.get("regions") or [])  # type: ignore[call-overload]  # FSM data: the dialog stores a list here
    first = "region" if len(regions) > 1 else "title"
    back = bool(stored.get("editing")) or step != first
    field = TASK_FIELDS[step]
    if step == "region":
        in_scope = tuple(region for region in REGIONS if region.code in regions)
        return field.keyboard(draft.region, back=back, choices=in_scope)
    if step == "skills":
        return field.keyboard(draft.required_skills, back=back)
    if step == "direction":
        return field.keyboard(draft.direction, back=back)
    return field.keyboard(back=back)


async def ask(message: AnyMessage, state: FSMContext, step: str, moment: Moment, *, hint: str | None = None,
              editing: bool | None = None, lead: str | None = None, in_place: bool = False) -> None:
    """Ask a step's question: a new message, or (`in_place`) the bot's `message` edited."""
    await state.set_state(getattr(NewTask, step))
    if editing is not None:
        await state.update_data(editing=editing)
    draft = await get_draft(state)
    text = "\n\n".join(part for part in (lead, hint, TASK_FIELDS[step].question(draft, moment)) if part)
    sent = await say(message, text, step_keyboard(step, draft, await state.get_data()), in_place=in_place)
    await keep_live(state, sent)


async def preview(message: AnyMessage, state: FSMContext, draft: TaskDraft, moment: Moment, *,
                  in_place: bool = False) -> None:
    missing = draft.missing()
    if missing:  # e.g. the start was changed to after the end: ask what is missing
        await ask(message, state, flow_name(missing[0]), moment, in_place=in_place)
        return
    await state.set_state(NewTask.preview)
    await state.update_data(editing=False)
    text = _("<b>Preview.</b> Please check the task:") + "\n\n" + task_summary(task_values(draft), moment.local_time,
                                                                              moment.locale)
    builder = InlineKeyboardBuilder()
    builder.button(text="✅ " + _("Confirm"), callback_data=NewTaskCb(action="confirm"))
    builder.button(text="✏️ " + _("Edit"), callback_data=NewTaskCb(action="edit"))
    builder.adjust(2)
    builder.row(*nav_buttons(back=True))
    sent = await say(message, text, builder.as_markup(), in_place=in_place)
    await keep_live(state, sent)


async def after(message: AnyMessage, state: FSMContext, step: str, draft: TaskDraft, moment: Moment, *,
                in_place: bool = False) -> None:
    """Go on from a finished step: the next step, or the preview (`in_place`: shown in
    the bot's `message` itself, the question whose button was pressed)."""
    stored = await state.get_data()
    if stored.get("editing") or step in ("min_age", "organisation"):
        if step == "start" and (draft.ends_at is None or draft.starts_at is None or draft.ends_at <= draft.starts_at):
            await ask(message, state, "end", moment, editing=True, in_place=in_place)
            return
        await preview(message, state, draft, moment, in_place=in_place)
        return
    index = FLOW.index(step)
    if index + 1 < len(FLOW):
        await ask(message, state, FLOW[index + 1], moment, in_place=in_place)
    else:
        await preview(message, state, draft, moment, in_place=in_place)


def edit_keyboard(with_region: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for field in EDITABLE:
        if field == "region" and not with_region:
            continue
        label = TASK_FIELDS["start" if field == "time" else field].spec.label()
        builder.button(text=label, callback_data=NewTaskCb(action="field", code=field))
    builder.adjust(2)
    builder.row(InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=NavCb(action="back").pack()),
                InlineKeyboardButton(text="✖️ " + _("Cancel"), callback_data=NavCb(action="cancel").pack()))
    return builder.as_markup()


async def show_edit_menu(message: Message, state: FSMContext) -> None:
    await state.set_state(NewTask.edit)
    shown = await say(message, _("What would you like to change?"),
                      edit_keyboard(len(await regions_in_scope(state)) > 1), in_place=True)
    await keep_live(state, shown)
