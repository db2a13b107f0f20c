"""The registration dialog's steps: their order, and how each one is asked.

All dialog data lives in FSM data (stored in the database), so a restart continues at the
same step. Layout of the data:

    {"reg": {field: value, ...},   # what was entered so far (codes, not texts)
     "editing": bool,              # True: a step opened from the summary's Edit returns there
     "msg": int,                   # id of the message whose buttons are live right now
     "greet_all": bool}            # greet in all three languages at the language step
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InaccessibleMessage, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.clock import Clock
from bot.config import Settings
from bot.domain.people import GUARDIAN_REQUIRED_AGE, age_in, needs_guardian
from handlers.callbacks import PickCb
from handlers.fields import FIELDS, ask
from handlers.greeting import language_greeting
from handlers.keyboards import language_keyboard, nav_buttons

AnyMessage = Message | InaccessibleMessage


class RegStates(StatesGroup):
    language = State()
    consent = State()
    full_name = State()
    phone = State()
    birth_year = State()
    guardian = State()
    region = State()
    city = State()
    directions = State()
    skills = State()
    availability = State()
    summary = State()
    edit = State()


# The fields asked in registration, in order (spoken languages are not asked: they
# default to the interface language and can be changed in /profile).
FLOW: tuple[str, ...] = (
    "language",
    "consent",
    "full_name",
    "phone",
    "birth_year",
    "guardian",
    "region",
    "city",
    "directions",
    "skills",
    "availability",
    "summary",
)
EDITABLE: tuple[str, ...] = (
    "full_name",
    "phone",
    "birth_year",
    "region",
    "city",
    "directions",
    "skills",
    "availability",
)


def current_year(clock: Clock, tz: ZoneInfo) -> int:
    return clock.now().astimezone(tz).year


def year_of(clock: Clock, settings: Settings) -> int:
    return current_year(clock, settings.tz)


def step_of(raw_state: str | None) -> str | None:
    """The step name of a raw FSM state, if it is one of registration's."""
    if raw_state is None or raw_state not in RegStates:  # type: ignore[operator]
        return None
    return raw_state.split(":", 1)[1]


def is_minor(reg: dict[str, Any], year: int) -> bool:
    birth_year = reg.get("birth_year")
    return birth_year is not None and needs_guardian(int(birth_year), year)


def next_step(step: str, reg: dict[str, Any], year: int) -> str:
    after = FLOW[FLOW.index(step) + 1]
    if after == "guardian" and not is_minor(reg, year):
        return "region"
    return after


def previous_step(step: str, reg: dict[str, Any], year: int) -> str | None:
    index = FLOW.index(step)
    if index == 0:
        return None
    before = FLOW[index - 1]
    if before == "guardian" and not is_minor(reg, year):
        return "birth_year"
    return before


async def get_reg(state: FSMContext) -> dict[str, Any]:
    return dict((await state.get_data()).get("reg") or {})


async def put_reg(state: FSMContext, **values: Any) -> dict[str, Any]:
    data = await state.get_data()
    reg = dict(data.get("reg") or {})
    reg.update(values)
    data["reg"] = reg
    await state.set_data(data)
    return reg


def summary_text(reg: dict[str, Any]) -> str:
    lines = [_("Please check your details:"), ""]
    for name in EDITABLE:
        spec = FIELDS[name]
        lines.append(f"<b>{spec.label()}:</b> {spec.show(reg.get(name))}")
    if reg.get("guardian_consent"):
        lines.append("✅ " + _("A parent or guardian agrees."))
    return "\n".join(lines)


def _keyboard(rows: list[list[InlineKeyboardButton]], *, back: bool = True) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[*rows, nav_buttons(back=back)])


def _button(text: str, field: str, code: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=PickCb(field=field, code=code).pack())


def language_step_keyboard() -> InlineKeyboardMarkup:
    """The language buttons plus Cancel (the first step has nothing to go back to)."""
    return _keyboard(language_keyboard().inline_keyboard, back=False)


def consent_text() -> str:
    return _(
        "<b>Birge</b> connects volunteers with tasks that fit them: your region, your directions, "
        "your skills and your free time. Coordinators publish tasks, and you sign up with one tap.\n\n"
        "To register, I will ask for your name, phone number, year of birth, region, directions, "
        "skills and when you can help. They are used only to offer you tasks and to let the "
        "coordinators of your region contact you. You can delete them at any time with /delete_me.\n\n"
        "Do you agree to the processing of your personal data?"
    )


def guardian_text(reg: dict[str, Any], year: int) -> str:
    age = age_in(int(reg["birth_year"]), year)
    if age < GUARDIAN_REQUIRED_AGE:
        return _(
            "Volunteers under {age} can join only with the consent of a parent or guardian. "
            "Please show this to your parent or guardian: do they agree that you volunteer with Birge?"
        ).format(age=GUARDIAN_REQUIRED_AGE)
    return _(
        "You are under 18, so we ask for the consent of a parent or guardian. "
        "Do they agree that you volunteer with Birge?"
    )


async def ask_step(
    message: AnyMessage,
    state: FSMContext,
    step: str,
    *,
    year: int,
    hint: str | None = None,
    editing: bool | None = None,
) -> None:
    """Move the dialog to `step` and send its question; remembers the live message id.

    `editing`: True when the step was opened from the summary's Edit (it returns there),
    None to keep the current mode."""
    await state.set_state(getattr(RegStates, step))
    data = await state.get_data()
    reg: dict[str, Any] = dict(data.get("reg") or {})
    if editing is None:
        editing = bool(data.get("editing"))

    def with_hint(text: str) -> str:
        return text if hint is None else f"{hint}\n\n{text}"

    if step in FIELDS:
        sent = await ask(message, FIELDS[step], reg.get(step), hint=hint)  # type: ignore[arg-type]
    elif step == "language":
        sent = await message.answer(
            with_hint(language_greeting(bool(data.get("greet_all")))), reply_markup=language_step_keyboard()
        )
    elif step == "consent":
        sent = await message.answer(
            with_hint(consent_text()),
            reply_markup=_keyboard([[_button("✅ " + _("I agree"), "consent", "yes")]]),
        )
    elif step == "guardian":
        sent = await message.answer(
            with_hint(guardian_text(reg, year)),
            reply_markup=_keyboard(
                [
                    [_button("✅ " + _("My parent/guardian agrees"), "guardian", "yes")],
                    [_button(_("No"), "guardian", "no")],
                ]
            ),
        )
    elif step == "summary":
        sent = await message.answer(
            with_hint(summary_text(reg)),
            reply_markup=_keyboard(
                [[_button("✏️ " + _("Edit"), "summary", "edit"), _button("✅ " + _("Confirm"), "summary", "confirm")]]
            ),
        )
    elif step == "edit":
        builder = InlineKeyboardBuilder()
        for name in EDITABLE:
            builder.button(text=FIELDS[name].label(), callback_data=PickCb(field="edit", code=name))
        builder.adjust(2)
        builder.row(*nav_buttons())
        sent = await message.answer(with_hint(_("What would you like to change?")), reply_markup=builder.as_markup())
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown registration step {step!r}")
    data["msg"] = sent.message_id
    data["editing"] = editing and step != "summary"
    await state.set_data(data)


async def after_step(message: AnyMessage, state: FSMContext, step: str, *, year: int) -> None:
    """A step is answered: go on to the next one, or back to the summary when editing."""
    data = await state.get_data()
    reg = dict(data.get("reg") or {})
    if data.get("editing"):
        if step == "birth_year" and is_minor(reg, year) and not reg.get("guardian_consent"):
            await ask_step(message, state, "guardian", year=year)
            return
        await ask_step(message, state, "summary", year=year)
        return
    await ask_step(message, state, next_step(step, reg, year), year=year)


async def go_back(message: AnyMessage, state: FSMContext, step: str, *, year: int) -> None:
    data = await state.get_data()
    reg = dict(data.get("reg") or {})
    if step == "edit":
        target: str | None = "summary"
    elif data.get("editing") and step not in ("summary",):
        target = "edit"
    else:
        target = previous_step(step, reg, year)
    if target is None:
        target = step
    await ask_step(message, state, target, year=year)


async def begin(
    message: AnyMessage, state: FSMContext, *, locale_chosen: bool, year: int, greet_all: bool = False
) -> None:
    """A fresh registration: the language first unless the person already chose one.
    `greet_all`: greet in all three languages (handlers.greeting)."""
    await state.set_data({"reg": {}, "editing": False, "greet_all": greet_all})
    await ask_step(message, state, "consent" if locale_chosen else "language", year=year)


async def resume(message: AnyMessage, state: FSMContext, *, clock: Clock, settings: Settings, hint: str | None = None, **_: Any) -> None:
    """Ask the current step again (after /start, a language change, or a bad input)."""
    step = step_of(await state.get_state())
    if step is None:
        return
    await ask_step(message, state, step, year=year_of(clock, settings), hint=hint)


__all__ = [
    "EDITABLE",
    "FLOW",
    "RegStates",
    "after_step",
    "ask_step",
    "begin",
    "current_year",
    "get_reg",
    "go_back",
    "put_reg",
    "resume",
    "step_of",
    "year_of",
]
