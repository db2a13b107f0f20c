"""Per-field questions shared by registration and /profile editing.

How to use
----------
Every editable volunteer field has one `FieldSpec` in `FIELDS` (keyed by the field name,
the same name `Registration` and `VolunteerService.update` use). A spec knows:

* `spec.question()`  – the question text (translated in the current i18n context);
* `spec.keyboard(selected)` – the inline keyboard for the step: choice buttons
  (`PickCb(field=spec.name, code=...)`, ticked when selected), Done/Skip where they
  apply, then Back and Cancel (`nav_buttons`);
* `spec.parse(text, current_year=...)` – check typed input, returning `Parsed(value)`
  or `Invalid(hint)` (the hint is translated and ready to send);
* for buttons: `spec.pick(code)` (single choice: the code, or None if forged/unknown),
  `spec.toggle(selected, code)` (multi-select: the new selection, or None if unknown),
  `spec.finish(selected)` (multi-select Done: `Parsed(list)` or `Invalid(hint)` when
  at least one is required);
* `spec.label()` and `spec.show(value)` – the field's name and its value for summaries
  (`show` returns HTML-safe text: user input is escaped).

Typical step handler (a sketch; registration.py is the full example):

    spec = FIELDS["region"]
    sent = await ask(message, spec, selected=current)    # sends the question
    await state.update_data(msg=sent.message_id)          # remember the live keyboard
    ...
    # in the PickCb handler bound to your state:
    if cb.field != spec.name: -> stale button, answer politely and stop
    code = spec.pick(cb.code)

`ask()` handles the special case of the phone: it sends the question with a reply
keyboard holding a "Share my contact" button (request_contact) and then a short hint
carrying the inline Back/Cancel buttons; it returns the message with the inline keyboard.
When leaving the phone step, send something with `reply_markup=REMOVE_REPLY_KEYBOARD`.
For a shared contact, `parse_contact(message)` checks it is the sender's own.

Everything here must be called inside a handler (or under `i18n.use_locale`), because
texts are translated when built. Validation rules themselves live in bot.domain.people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aiogram import html
from aiogram.types import (
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.i18n import gettext as _

from bot.domain.catalog import AVAILABILITY, DIRECTIONS, REGIONS, SKILLS, SPOKEN_LANGUAGES, Choice, keep_known
from bot.domain.people import (
    MAX_AGE,
    MAX_CITY_LENGTH,
    MAX_NAME_LENGTH,
    MIN_AGE,
    clean_text,
    normalize_phone,
    parse_city,
    parse_full_name,
)
from bot.domain.birth_year import parse_birth_year
from bot.domain.texts import N_
from handlers.keyboards import choices_keyboard, nav_buttons

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


def text_expected_hint() -> str:
    """What to say when a sticker, photo, voice... arrives where text is asked."""
    return _("I can only read text here. Please type your answer.")


def buttons_expected_hint() -> str:
    """What to say when text is typed where a button is expected."""
    return _("Please choose with the buttons below.")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field: its question, keyboard and input rules.

    name      the field name (FSM data key, Registration attribute, PickCb.field)
    kind      text | phone | year (typed), single | multi (buttons)
    choices   the catalog for single/multi fields
    optional  True when the step may be skipped (a Skip button; value None / [])
    min_selected  how many choices a multi-select needs before Done
    """

    name: str
    kind: Kind
    label_msgid: str
    question_msgid: str
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    min_selected: int = 0
    columns: int = 2

    # --- texts -----------------------------------------------------------------
    def label(self) -> str:
        """The field's name, translated (summary lines, the "what to edit" buttons)."""
        return _(self.label_msgid)

    def question(self) -> str:
        """The question, translated."""
        return _(self.question_msgid)

    def show(self, value: Any) -> str:
        """The value for a summary, HTML-safe; "—" when empty."""
        if value is None or value == "" or value == []:
            return EMPTY
        if self.kind == "single":
            choice = {c.code: c for c in self.choices}.get(value)
            return html.quote(_(choice.name)) if choice else EMPTY
        if self.kind == "multi":
            by_code = {c.code: c for c in self.choices}
            names = [_(by_code[code].name) for code in keep_known(list(value), self.choices)]
            return html.quote(", ".join(names)) if names else EMPTY
        return html.quote(str(value))

    # --- keyboards ---------------------------------------------------------------
    @property
    def is_choice(self) -> bool:
        return self.kind in ("single", "multi")

    def keyboard(self, selected: Any = None, *, back: bool = True) -> InlineKeyboardMarkup:
        """The inline keyboard of the step. `selected`: the current value (a code or a list
        of codes) so the choices are ticked; typed fields get Skip (if optional), Back, Cancel."""
        if self.is_choice:
            if self.kind == "multi":
                chosen = list(selected or [])
            else:
                chosen = [selected] if selected else []
            return choices_keyboard(
                self.name,
                self.choices,
                selected=chosen,
                columns=self.columns,
                multi=self.kind == "multi",
                skip=self.optional and self.kind == "single",
                back=back,
            )
        return choices_keyboard(self.name, (), skip=self.optional, back=back)

    def reply_keyboard(self) -> ReplyKeyboardMarkup | None:
        """The reply keyboard shown with the question (only the phone has one)."""
        if self.kind != "phone":
            return None
        return ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="📱 " + _("Share my contact"), request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
            input_field_placeholder="+7 701 234 56 78",
        )

    # --- input -------------------------------------------------------------------
    def parse(self, text: str, *, current_year: int | None = None) -> ParseResult:
        """Check typed text. `current_year` (in settings.tz) is needed for birth_year."""
        if self.kind == "text":
            return _parse_text_field(self, text)
        if self.kind == "phone":
            phone = normalize_phone(text)
            if phone is None:
                return Invalid(
                    _("That does not look like a phone number. Type it like +7 701 234 56 78, "
                      "or press “Share my contact”.")
                )
            return Parsed(phone)
        if self.kind == "year":
            if current_year is None:
                raise ValueError("current_year is needed to check a birth year")
            year = parse_birth_year(text, current_year)
            if year is not None:
                return Parsed(year)
            if re.fullmatch(r"\d{4}", clean_text(text)):
                return Invalid(
                    _("Volunteers must be {min_age} to {max_age} years old. Please check the year "
                      "and type it again.").format(min_age=MIN_AGE, max_age=MAX_AGE)
                )
            return Invalid(_("Please type the year you were born as four digits, for example 1995."))
        return Invalid(buttons_expected_hint())

    def pick(self, code: str) -> str | None:
        """A single-choice button: the code if it is in the catalog, else None (forged/stale)."""
        return code if any(c.code == code for c in self.choices) else None

    def toggle(self, selected: Iterable[str], code: str) -> list[str] | None:
        """A multi-select button: the new selection in catalog order, or None if unknown."""
        if self.pick(code) is None:
            return None
        current = set(selected)
        current ^= {code}
        return keep_known(current, self.choices)

    def finish(self, selected: Sequence[str]) -> ParseResult:
        """Done on a multi-select: the selection, or a hint when too few are ticked."""
        chosen = keep_known(list(selected), self.choices)
        if len(chosen) < self.min_selected:
            return Invalid(_("Please choose at least one option, then press Done."))
        return Parsed(chosen)


def _parse_text_field(spec: FieldSpec, text: str) -> ParseResult:
    if spec.name == "full_name":
        name = parse_full_name(text)
        if name is None:
            return Invalid(
                _("Please type your full name: 2 to {max_length} characters, with letters.").format(
                    max_length=MAX_NAME_LENGTH
                )
            )
        return Parsed(name)
    if spec.name == "city":
        city = parse_city(text)
        if city is None:
            return Invalid(
                _("Please type your city or district (up to {max_length} characters), or press Skip.").format(
                    max_length=MAX_CITY_LENGTH
                )
            )
        return Parsed(city)
    raise ValueError(f"no text rule for {spec.name!r}")


FULL_NAME = FieldSpec(
    "full_name", "text", N_("Full name"), N_("What is your full name? Please type your first and last name.")
)
PHONE = FieldSpec(
    "phone",
    "phone",
    N_("Phone"),
    N_("What is your phone number? Press “Share my contact” below, or type it, for example +7 701 234 56 78."),
)
BIRTH_YEAR = FieldSpec(
    "birth_year", "year", N_("Year of birth"), N_("What year were you born? Type four digits, for example 1995.")
)
REGION = FieldSpec("region", "single", N_("Region"), N_("Which region do you live in?"), choices=REGIONS)
CITY = FieldSpec(
    "city",
    "text",
    N_("City or district"),
    N_("Which city, town or district? Type it, or press Skip."),
    optional=True,
)
DIRECTIONS_FIELD = FieldSpec(
    "directions",
    "multi",
    N_("Directions"),
    N_("Which directions interest you? Tick one or more, then press Done."),
    choices=DIRECTIONS,
    min_selected=1,
    columns=1,
)
SKILLS_FIELD = FieldSpec(
    "skills",
    "multi",
    N_("Skills"),
    N_("What skills do you have? Tick any that apply (or none), then press Done."),
    choices=SKILLS,
    min_selected=0,
)
AVAILABILITY_FIELD = FieldSpec(
    "availability",
    "multi",
    N_("Availability"),
    N_("When can you help? Tick one or more, then press Done."),
    choices=AVAILABILITY,
    min_selected=1,
    columns=1,
)
LANGUAGES_FIELD = FieldSpec(
    "languages",
    "multi",
    N_("Languages"),
    N_("Which languages do you speak? Tick one or more, then press Done."),
    choices=SPOKEN_LANGUAGES,
    min_selected=1,
    columns=3,
)

FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FULL_NAME,
        PHONE,
        BIRTH_YEAR,
        REGION,
        CITY,
        DIRECTIONS_FIELD,
        SKILLS_FIELD,
        AVAILABILITY_FIELD,
        LANGUAGES_FIELD,
    )
}


async def ask(
    message: Message,
    spec: FieldSpec,
    selected: Any = None,
    *,
    back: bool = True,
    hint: str | None = None,
) -> Message:
    """Send the field's question into the chat of `message` (a user's message or the bot's
    message a button was pressed on) and return the message carrying the inline keyboard:
    store its id to tell live buttons from stale ones.

    `hint` (e.g. an `Invalid.hint`) is put above the question. For the phone, the question
    goes with the "Share my contact" reply keyboard and the Back/Cancel buttons follow in
    a second message.
    """
    text = spec.question() if hint is None else f"{hint}\n\n{spec.question()}"
    reply = spec.reply_keyboard()
    if reply is None:
        return await message.answer(text, reply_markup=spec.keyboard(selected, back=back))
    await message.answer(text, reply_markup=reply)
    nav = InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=back)])
    return await message.answer(_("Or go back, or cancel:"), reply_markup=nav)


@dataclass(frozen=True, slots=True)
class ContactCheck:
    phone: str | None  # E.164 when accepted
    hint: str | None  # translated refusal otherwise


def parse_contact(message: Message) -> ContactCheck:
    """A shared contact: accepted only if it is the sender's own, with a valid number."""
    contact = message.contact
    if contact is None or message.from_user is None:
        return ContactCheck(None, text_expected_hint())
    if contact.user_id != message.from_user.id:
        return ContactCheck(
            None,
            _("This is someone else's contact. Please share your own number with the button below, or type it."),
        )
    phone = normalize_phone(contact.phone_number)
    if phone is None:
        return ContactCheck(None, _("I could not read this number. Please type it, for example +7 701 234 56 78."))
    return ContactCheck(phone, None)
