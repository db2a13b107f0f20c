"""The registration dialog's steps: their order, and how each one is asked.

Order: language, consent, full_name, phone, birth_year, [guardian, guardian_name,
guardian_phone: minors only], region, city, directions, skills, availability, languages
(spoken), summary (with edit).

All dialog data lives in FSM data (stored in the database), so a restart continues at the
same step. Layout of the data:

    {"reg": {field: value, ...},   # what was entered so far (codes, not texts)
     "editing": bool,              # True: a step opened from the summary's Edit returns there
     "msg": int,                   # id of the message whose buttons are live right now
     "greet_all": bool,            # greet in all three languages at the language step
     "pending": [code, ...],       # a confirmation's buttons ("57": 1957 or 1969) that count
     "tries": int, "tries_at": str,  # typed answers refused in a row at that step
     "reply_kb": "contact" | "nav" | None}  # the reply keyboard the person sees now

Fewer messages per step: a question that follows a button press on the live question
replaces it (one edit instead of a new message); the phone question carries its Back and
Cancel on its own reply keyboard; the question after it replaces that keyboard with Back
and Cancel; what was just understood ("✅ Phone: …") goes on top of the next question.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.domain.people import GUARDIAN_REQUIRED_AGE, age_in, needs_guardian
from bot.infra.clock import Clock
from handlers.callbacks import PickCb
from handlers.common.greeting import language_greeting
from handlers.fields.answers import Confirm
from handlers.fields.specs import REMOVE_REPLY_KEYBOARD, ask, options_keyboard
from handlers.fields.volunteer import FIELDS
from handlers.keyboards import language_keyboard, nav_buttons
from handlers.people_text import guardian_text as guardian_contact
from handlers.ui import AnyMessage, say


class RegStates(StatesGroup):
    language = State()
    consent = State()
    full_name = State()
    phone = State()
    birth_year = State()
    guardian = State()
    guardian_name = State()
    guardian_phone = State()
    region = State()
    city = State()
    directions = State()
    skills = State()
    availability = State()
    languages = State()
    summary = State()
    edit = State()


FLOW: tuple[str, ...] = (
    "language",
    "consent",
    "full_name",
    "phone",
    "birth_year",
    "guardian",
    "guardian_name",
    "guardian_phone",
    "region",
    "city",
    "directions",
    "skills",
    "availability",
    "languages",
    "summary",
)
MINOR_STEPS = ("guardian", "guardian_name", "guardian_phone")
# What the summary's Edit offers (the guardian only to minors; its phone follows its name).
EDITABLE: tuple[str, ...] = (
    "full_name",
    "phone",
    "birth_year",
    "guardian_name",
    "region",
    "city",
    "directions",
    "skills",
    "availability",
    "languages",
)
TYPED_STEPS = ("full_name", "phone", "birth_year", "guardian_name", "guardian_phone", "city")


def current_year(clock: Clock, tz: ZoneInfo) -> int:
    return clock.now().astimezone(tz).year


def year_of(clock: Clock, settings: Settings) -> int:
    return current_year(clock, settings.tz)


def step_of(raw_state: str | None) -> str | None:
    """The step name of a raw FSM state, if it is one of registration's."""
    if raw_state is None or raw_state not in RegStates:
        return None
    return raw_state.split(":", 1)[1]


def is_minor(reg: dict[str, Any], year: int) -> bool:
    birth_year = reg.get("birth_year")
    return birth_year is not None and needs_guardian(int(birth_year), year)


def next_step(step: str, reg: dict[str, Any], year: int) -> str:
    index = FLOW.index(step) + 1
    while FLOW[index] in MINOR_STEPS and not is_minor(reg, year):
        index += 1
    return FLOW[index]


def previous_step(step: str, reg: dict[str, Any], year: int) -> str | None:
    index = FLOW.index(step) - 1
    while index >= 0 and FLOW[index] in MINOR_STEPS and not is_minor(reg, year):
        index -= 1
    return FLOW[index] if index >= 0 else None


async def get_reg(state: FSMContext) -> dict[str, Any]:
    return dict((await state.get_data()).get("reg") or {})


async def put_reg(state: FSMContext, **values: Any) -> dict[str, Any]:
    data = await state.get_data()
    reg = dict(data.get("reg") or {})
    reg.update(values)
    data["reg"] = reg
    await state.set_data(data)
    return reg


async def count_try(state: FSMContext, step: str) -> int:
    """One more refused typed answer at `step`; how many in a row now."""
    data = await state.get_data()
    tries = int(data.get("tries") or 0) + 1 if data.get("tries_at") == step else 1
    await state.update_data(tries=tries, tries_at=step)
    return tries


def summary_text(reg: dict[str, Any], year: int) -> str:
    lines = [_("Please check your details:"), ""]
    for name in EDITABLE:
        spec = FIELDS[name]
        if name == "guardian_name":
            if is_minor(reg, year):
                contact = guardian_contact(reg.get("guardian_name"), reg.get("guardian_phone"))
                lines.append(f"<b>{spec.label()}:</b> {contact}")
            continue
        lines.append(f"<b>{spec.label()}:</b> {spec.show(reg.get(name))}")
    if reg.get("guardian_consent") and is_minor(reg, year):
        lines.append("✅ " + _("A parent or guardian agrees."))
    return "\n".join(lines)


def understood(name: str, value: Any) -> str:
    """"✅ Phone: +7 701 234 56 78": what was just taken, on top of the next question."""
    spec = FIELDS[name]
    return f"✅ {spec.label()}: {spec.show(value)}"


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


def guardian_keyboard() -> InlineKeyboardMarkup:
    return _keyboard(
        [
            [_button("✅ " + _("My parent/guardian agrees"), "guardian", "yes")],
            [_button(_("No"), "guardian", "no")],
        ]
    )


def _interface_locale() -> str:
    i18n = I18n.get_current(no_error=True)
    return i18n.current_locale if i18n is not None else "en"


async def ask_step(
    message: AnyMessage,
    state: FSMContext,
    step: str,
    *,
    year: int,
    hint: str | None = None,
    editing: bool | None = None,
    confirm: Confirm | None = None,
    prefix: str | None = None,
) -> None:
    """Move the dialog to `step` and show its question; remembers the live message id.

    `hint` (a refusal, a note) and `prefix` (what was understood) go above the question;
    `confirm` shows a confirmation of a typed answer instead of the question. The question
    replaces `message` when that is the live question a button was pressed on.
    `editing`: True when the step was opened from the summary's Edit (it returns there),
    None to keep the current mode."""
    await state.set_state(getattr(RegStates, step))
    data = await state.get_data()
    reg: dict[str, Any] = dict(data.get("reg") or {})
    if editing is None:
        editing = bool(data.get("editing"))
    edit = isinstance(message, Message) and data.get("msg") == message.message_id
    spec = FIELDS.get(step)
    reply_kb = data.get("reply_kb")
    if step == "languages" and "languages" not in reg:
        reg["languages"] = [_interface_locale()]  # a suggestion, shown ticked: untick it if wrong
        data["reg"] = reg
    above = "\n\n".join(part for part in (prefix, hint) if part)

    reply_nav = False
    if spec is not None and spec.shares_contact:
        reply_kb = "contact"
    elif reply_kb == "contact":
        if spec is not None and step in TYPED_STEPS and not spec.optional:
            reply_nav, reply_kb = True, "nav"  # Back and Cancel replace the contact button
        else:
            await message.answer(prefix or "✅", reply_markup=REMOVE_REPLY_KEYBOARD)
            above, reply_kb = hint or "", None

    def with_above(text: str) -> str:
        return f"{above}\n\n{text}" if above else text

    if spec is not None:
        markup = options_keyboard(spec.name, confirm.options) if confirm is not None else None
        sent = await ask(
            message, spec, reg.get(step), hint=above or None, edit=edit, reply_nav=reply_nav, markup=markup,
            text=confirm.text if confirm is not None else None,
        )
    elif step == "language":
        sent = await say(
            message,
            with_above(language_greeting(bool(data.get("greet_all")))),
            language_step_keyboard(),
            in_place=edit,
        )
    elif step == "consent":
        sent = await say(
            message,
            with_above(consent_text()),
            _keyboard([[_button("✅ " + _("I agree"), "consent", "yes")]]),
            in_place=edit,
        )
    elif step == "guardian":
        sent = await say(message, with_above(guardian_text(reg, year)), guardian_keyboard(), in_place=edit)
    elif step == "summary":
        sent = await say(
            message,
            with_above(summary_text(reg, year)),
            _keyboard(
                [[_button("✏️ " + _("Edit"), "summary", "edit"), _button("✅ " + _("Confirm"), "summary", "confirm")]]
            ),
            in_place=edit,
        )
    elif step == "edit":
        builder = InlineKeyboardBuilder()
        for name in EDITABLE:
            if name != "guardian_name" or is_minor(reg, year):
                builder.button(text=FIELDS[name].label(), callback_data=PickCb(field="edit", code=name))
        builder.adjust(2)
        builder.row(*nav_buttons())
        sent = await say(
            message, with_above(_("What would you like to change?")), builder.as_markup(), in_place=edit
        )
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown registration step {step!r}")
    data["msg"] = sent.message_id
    data["editing"] = editing and step != "summary"
    data["pending"] = list(confirm.pending) if confirm is not None else []
    data["reply_kb"] = reply_kb
    if data.get("tries_at") != step:
        data["tries"], data["tries_at"] = 0, step
    await state.set_data(data)


async def after_step(message: AnyMessage, state: FSMContext, step: str, *, year: int, prefix: str | None = None) -> None:
    """A step is answered: go on to the next one, or back to the summary when editing."""
    data = await state.get_data()
    reg = dict(data.get("reg") or {})
    if data.get("editing"):
        if step == "birth_year" and is_minor(reg, year) and not reg.get("guardian_consent"):
            target = "guardian"
        elif step == "guardian":
            target = "guardian_name"
        elif step == "guardian_name":
            target = "guardian_phone"
        else:
            target = "summary"
        await ask_step(message, state, target, year=year, prefix=prefix)
        return
    await ask_step(message, state, next_step(step, reg, year), year=year, prefix=prefix)


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
    `greet_all`: greet in all three languages (handlers.common.greeting)."""
    await state.set_data({"reg": {}, "editing": False, "greet_all": greet_all})
    await ask_step(message, state, "consent" if locale_chosen else "language", year=year)


async def resume(message: AnyMessage, state: FSMContext, clock: Clock, settings: Settings, *,
                 hint: str | None = None) -> None:
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
    "count_try",
    "current_year",
    "get_reg",
    "go_back",
    "put_reg",
    "resume",
    "step_of",
    "understood",
    "year_of",
]
