"""The field mechanism: a field's question, keyboard and input rules, and asking it.
Registration and /profile ask the volunteer's fields (volunteer.py), /newtask and
/mytasks a task's (handlers/coordinator/task_fields.py).

How to use
----------
Every field has one `FieldSpec`. A spec knows:

* `spec.question()`  – the question text (translated in the current i18n context);
* `spec.keyboard(selected)` – the inline keyboard for the step: choice buttons
  (`PickCb(field=spec.name, code=...)`, ticked when selected), Done/Skip where they
  apply, then Back and Cancel (`nav_buttons`);
* typed answers are read by handlers.field_answers.read_answer (names, years, phones,
  "готово"...); buttons by `spec.pick(code)` (single choice: the code, or None if
  forged/unknown), `spec.toggle(selected, code)` (multi-select: the new selection, or None
  if unknown), `spec.finish(selected)` (multi-select Done: `Parsed(list)` or `Invalid(hint)`
  when at least one is required);
* `spec.label()` and `spec.show(value)` – the field's name and its value for summaries
  (`show` returns HTML-safe text: user input is escaped, phones grouped).

`ask()` sends (or, after a button press on the live question, edits in place) the
question and returns the message whose buttons are live: store its id to tell live
buttons from stale ones. The phone question cannot be an edit: it carries a reply
keyboard ("Share my contact", and Back and Cancel as buttons whose text is handled), so
its Back and Cancel come in the same message as the question. When leaving the phone
step, send something with `reply_markup=REMOVE_REPLY_KEYBOARD` or another reply keyboard.

Everything here must be called inside a handler (or under `i18n.use_locale`), because
texts are translated when built. Validation rules themselves live in bot.domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aiogram import html
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.domain.catalog import Choice, keep_known
from bot.domain.languages import is_language, keep_languages, language_name
from bot.domain.people import format_phone
from handlers.callbacks import PickCb
from handlers.keyboards import CHECK, choices_keyboard, nav_buttons
from handlers.ui import AnyMessage, say

Kind = Literal["text", "phone", "year", "single", "multi"]

REMOVE_REPLY_KEYBOARD = ReplyKeyboardRemove()
EMPTY = "—"


@dataclass(frozen=True, slots=True)
class Parsed:
    """Valid input: `value` is what to store (str, int or list of codes; None = skipped)."""

    value: Any


@dataclass(frozen=True, slots=True)
class Invalid:
    """Invalid input: `hint` is a translated, polite explanation to send back."""

    hint: str


ParseResult = Parsed | Invalid


def back_label() -> str:
    return "⬅️ " + _("Back")


def cancel_label() -> str:
    return "✖️ " + _("Cancel")


def cancel_labels(i18n: I18n) -> set[str]:
    """The Cancel button's text in every interface language (a reply keyboard's button
    sends its text, and the keyboard may outlive a language change)."""
    return {"✖️ " + i18n.gettext("Cancel", locale=locale) for locale in i18n.available_locales}


def nav_reply_keyboard() -> ReplyKeyboardMarkup:
    """Back and Cancel as reply buttons: what stays under a typed question after the phone."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=back_label()), KeyboardButton(text=cancel_label())]], resize_keyboard=True
    )


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field: its question, keyboard and input rules.

    name      the field name (FSM data key, Registration attribute, PickCb.field)
    kind      text | phone | year (typed), single | multi (buttons, or typed names)
    choices   the catalog for single/multi fields (the buttons shown)
    optional  True when the step may be skipped (a Skip button; value None / [])
    min_selected  how many choices a multi-select needs before Done
    open_choices  any ISO 639-1 language may be chosen by typing its name, beyond the buttons
    own_contact   the phone is the person's own: "Share my contact" is offered
    """

    name: str
    kind: Kind
    label_msgid: str
    question_msgid: str
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    min_selected: int = 0
    columns: int = 2
    open_choices: bool = False
    own_contact: bool = True

    # --- texts -----------------------------------------------------------------
    def label(self) -> str:
        """The field's name, translated (summary lines, the "what to edit" buttons)."""
        return _(self.label_msgid)

    def question(self) -> str:
        """The question, translated."""
        return _(self.question_msgid)

    def choice_name(self, code: str) -> str | None:
        """A code's name in the current language (None when it is not a known choice)."""
        choice = {c.code: c for c in self.choices}.get(code)
        if choice is not None:
            return _(choice.name)
        if self.open_choices and is_language(code):
            i18n = I18n.get_current(no_error=True)
            return language_name(code, i18n.current_locale if i18n else "en")
        return None

    def known(self, codes: Iterable[str]) -> list[str]:
        """The known codes, once each, in the order they are shown."""
        if self.open_choices:
            return keep_languages(codes)
        return keep_known(list(codes), self.choices)

    def show(self, value: Any) -> str:
        """The value for a summary, HTML-safe; "—" when empty."""
        if value is None or value == "" or value == []:
            return EMPTY
        if self.kind == "single":
            return html.quote(self.choice_name(value) or EMPTY)
        if self.kind == "multi":
            names = [self.choice_name(code) or code for code in self.known(value)]
            return html.quote(", ".join(names)) if names else EMPTY
        if self.kind == "phone":
            return html.quote(format_phone(str(value)))
        return html.quote(str(value))

    # --- keyboards ---------------------------------------------------------------
    @property
    def is_choice(self) -> bool:
        return self.kind in ("single", "multi")

    @property
    def shares_contact(self) -> bool:
        return self.kind == "phone" and self.own_contact

    def keyboard(self, selected: Any = None, *, back: bool = True) -> InlineKeyboardMarkup:
        """The inline keyboard of the step. `selected`: the current value (a code or a list
        of codes) so the choices are ticked; typed fields get Skip (if optional), Back, Cancel."""
        if self.is_choice:
            if self.kind == "multi":
                chosen = list(selected or [])
            else:
                chosen = [selected] if selected else []
            keyboard = choices_keyboard(
                self.name,
                self.choices,
                selected=chosen,
                columns=self.columns,
                multi=self.kind == "multi",
                skip=self.optional and self.kind == "single",
                back=back,
            )
            extra = [code for code in self.known(chosen) if code not in {c.code for c in self.choices}]
            if extra:  # languages typed by name: shown ticked, so they can be unticked
                rows = [
                    [InlineKeyboardButton(text=CHECK + (self.choice_name(code) or code),
                                          callback_data=PickCb(field=self.name, code=code).pack())]
                    for code in extra
                ]
                after_choices = -(-len(self.choices) // self.columns)  # rows the catalog's buttons take
                keyboard.inline_keyboard[after_choices:after_choices] = rows
            return keyboard
        return choices_keyboard(self.name, (), skip=self.optional, back=back)

    def reply_keyboard(self) -> ReplyKeyboardMarkup | None:
        """The reply keyboard of the question (the own phone only): Share my contact,
        then Back and Cancel, whose texts the dialogs handle."""
        if not self.shares_contact:
            return None
        return ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text="📱 " + _("Share my contact"), request_contact=True)],
                [KeyboardButton(text=back_label()), KeyboardButton(text=cancel_label())],
            ],
            resize_keyboard=True,
            input_field_placeholder="+7 701 234 56 78",
        )

    # --- buttons -------------------------------------------------------------------
    def pick(self, code: str) -> str | None:
        """A choice button: the code if it is in the catalog, else None (forged/stale)."""
        if any(c.code == code for c in self.choices):
            return code
        return code if self.open_choices and is_language(code) else None

    def toggle(self, selected: Iterable[str], code: str) -> list[str] | None:
        """A multi-select button: the new selection in catalog order, or None if unknown."""
        if self.pick(code) is None:
            return None
        current = list(selected)
        current = [c for c in current if c != code] if code in current else [*current, code]
        return self.known(current)

    def finish(self, selected: Sequence[str]) -> ParseResult:
        """Done on a multi-select: the selection, or a hint when too few are ticked."""
        chosen = self.known(list(selected))
        if len(chosen) < self.min_selected:
            return Invalid(_("Please choose at least one option, then press Done."))
        return Parsed(chosen)


async def ask(
    message: AnyMessage,
    spec: FieldSpec,
    selected: Any = None,
    *,
    back: bool = True,
    hint: str | None = None,
    edit: bool = False,
    reply_nav: bool = False,
    markup: InlineKeyboardMarkup | None = None,
    text: str | None = None,
) -> Message:
    """Ask the field's question in the chat of `message` and return the message carrying
    its live buttons (see the module docstring).

    `hint` goes above the question; `edit` edits `message` in place when possible;
    `reply_nav` puts Back and Cancel on a reply keyboard instead of inline buttons (to
    replace the phone's contact keyboard); `markup`/`text` replace the spec's own
    (a confirmation with its own buttons)."""
    body = text or spec.question()
    body = body if hint is None else f"{hint}\n\n{body}"
    reply = spec.reply_keyboard()
    if reply is not None:
        return await message.answer(body, reply_markup=reply)
    if reply_nav and markup is None and not spec.is_choice and not spec.optional:
        return await message.answer(body, reply_markup=nav_reply_keyboard())
    return await say(message, body, markup or spec.keyboard(selected, back=back), in_place=edit)


def options_keyboard(field: str, options: Sequence[tuple[str, str]], *, columns: int = 1) -> InlineKeyboardMarkup:
    """Buttons (label, code) for a confirmation of a typed answer, then Back and Cancel."""
    rows: list[list[InlineKeyboardButton]] = []
    for index, (label, code) in enumerate(options):
        button = InlineKeyboardButton(text=label, callback_data=PickCb(field=field, code=code).pack())
        if index % columns == 0:
            rows.append([button])
        else:
            rows[-1].append(button)
    rows.append(nav_buttons())
    return InlineKeyboardMarkup(inline_keyboard=rows)
