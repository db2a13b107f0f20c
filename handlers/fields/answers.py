"""Typed answers of the dialog's fields, read the way people type them.

`read_answer(spec, text, context)` is what registration and /profile editing call for
any typed text at a field's step. It returns one of

* `Parsed(value)`  – take it (a name, an E.164 phone, a year, a region code, a list);
* `Invalid(hint)`  – refuse, saying why (for a year: why this year is impossible, in
  words that change on each refusal in a row, so nobody reads one hint three times);
* `Confirm(text, options, pending)` – the answer can mean more than one thing ("57":
  1957 or 57 years old; "Алматы": the city or the region) or was read through a typo:
  ask with buttons, and accept a press only for a code in `pending`;
* `Ticked(selected, note)` – names typed at a multi-select: ticked, shown again.

A shared contact is read by `parse_contact(message)`: one's own for one's own phone.

Texts are translated and HTML-safe (what the person typed is escaped).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram import html
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.domain.birth_year import YearGuess, YearProblem, read_birth_year
from bot.domain.people import (
    MAX_AGE,
    MAX_CITY_LENGTH,
    MAX_NAME_LENGTH,
    MIN_AGE,
    clean_text,
    name_words,
    normalize_phone,
    parse_city,
    parse_full_name,
)
from bot.domain.vocabulary import Vocabulary
from handlers.fields.specs import FieldSpec, Invalid, Parsed
from handlers.ui import buttons_expected_hint, text_expected_hint

ALL_REGIONS = "all"
RETYPE = "retype"
_SHOWN_TYPED = 60


@dataclass(frozen=True, slots=True)
class Confirm:
    """Ask which of a few readings was meant: `options` are (label, code) buttons,
    `pending` the codes a press may carry."""

    text: str
    options: tuple[tuple[str, str], ...]
    pending: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Ticked:
    """Names typed at a multi-select: the new selection and a note on what happened."""

    selected: list[str]
    note: str


Answer = Parsed | Invalid | Confirm | Ticked


@dataclass(slots=True)
class AnswerContext:
    vocabulary: Vocabulary
    current_year: int
    selected: list[str] = field(default_factory=list)  # a multi-select's ticks so far
    tries: int = 1  # this is the n-th typed answer in a row at this step
    own_phone: str | None = None  # the volunteer's own, which a guardian's must differ from


def typed(text: str) -> str:
    """What the person typed, quoted for a message: escaped and cut to a readable length."""
    text = clean_text(text)
    if len(text) > _SHOWN_TYPED:
        text = text[: _SHOWN_TYPED - 1] + "…"
    return "«" + html.quote(text) + "»"


def read_answer(spec: FieldSpec, text: str, context: AnswerContext) -> Answer:
    if spec.name in ("full_name", "guardian_name"):
        return _name(spec, text)
    if spec.name == "city":
        if context.vocabulary.is_skip(text):
            return Parsed(None)
        city = parse_city(text)
        if city is None:
            return Invalid(
                _("Please type your city or district (up to {max_length} characters), or press Skip.").format(
                    max_length=MAX_CITY_LENGTH
                )
            )
        return Parsed(city)
    if spec.kind == "phone":
        return _phone(spec, text, context)
    if spec.kind == "year":
        return _year(text, context)
    if spec.kind == "single":
        return _region(spec, text, context)
    if spec.kind == "multi":
        return _multi(spec, text, context)
    return Invalid(buttons_expected_hint())


def _name(spec: FieldSpec, text: str) -> Answer:
    name = parse_full_name(text, min_words=2)
    if name is not None:
        return Parsed(name)
    if parse_full_name(text) is not None and name_words(text) == 1:
        if spec.name == "guardian_name":
            return Invalid(_("Please type both the first name and the surname of your parent or guardian."))
        return Invalid(
            _("Please type your first name and your surname, for example “Aigerim Nurlanova”: the coordinators "
              "need both to tell volunteers apart.")
        )
    return Invalid(
        _("Please type your full name in letters (2 to {max_length} characters).").format(max_length=MAX_NAME_LENGTH)
    )


def _phone(spec: FieldSpec, text: str, context: AnswerContext) -> Answer:
    phone = normalize_phone(text)
    if phone is None:
        if spec.shares_contact:
            return Invalid(
                _("That does not look like a phone number. Type it like +7 701 234 56 78, or press “Share my contact”.")
            )
        return Invalid(_("That does not look like a phone number. Type it like +7 701 234 56 78."))
    return check_guardian_phone(spec, phone, context.own_phone)


def check_guardian_phone(spec: FieldSpec, phone: str, own_phone: str | None) -> Answer:
    """A guardian's number must not be the volunteer's own."""
    if spec.name == "guardian_phone" and own_phone is not None and phone == own_phone:
        return Invalid(
            _("This is your own number. Please type the phone number of your parent or guardian, so the "
              "coordinators can reach them.")
        )
    return Parsed(phone)


def _year(text: str, context: AnswerContext) -> Answer:
    reading = read_birth_year(text, context.current_year)
    if reading.year is not None:
        return Parsed(reading.year)
    if reading.guesses:
        return _confirm_year(text, reading.guesses)
    return Invalid(year_problem_text(reading.problem, reading.problem_year, context))


def _confirm_year(text: str, guesses: tuple[YearGuess, ...]) -> Confirm:
    if len(guesses) == 2:
        as_year, as_age = guesses
        question = _("Did you mean the year {year}, or that you are {age} years old (born in {age_year})?").format(
            year=as_year.year, age=as_age.age, age_year=as_age.year
        )
        options: tuple[tuple[str, str], ...] = ((str(as_year.year), str(as_year.year)), (str(as_age.year), str(as_age.year)),
                   ("✏️ " + _("Neither: type again"), RETYPE))
    else:
        guess = guesses[0]
        if guess.age is not None:
            question = _("You are {age}, so you were born in {year}. Is that right?").format(age=guess.age, year=guess.year)
        else:
            question = _("Did you mean {year}?").format(year=guess.year)
        options = (("✅ " + _("Yes, {year}").format(year=guess.year), str(guess.year)), ("✏️ " + _("No"), RETYPE))
    return Confirm(question, options, tuple(str(g.year) for g in guesses) + (RETYPE,))


def year_problem_text(problem: YearProblem | None, year: int | None, context: AnswerContext) -> str:
    """Why the year cannot be taken, then (on the 2nd and 3rd refusal in a row) a
    different way to put it: never the same message three times running."""
    age = context.current_year - year if year is not None else None
    if problem == YearProblem.FUTURE:
        reason = _("The year {year} has not come yet.").format(year=year)
    elif problem == YearProblem.TOO_YOUNG:
        reason = _("Born in {year}, you would be {age} this year, and volunteers must be at least {min_age}.").format(
            year=year, age=age, min_age=MIN_AGE
        )
    elif problem == YearProblem.TOO_OLD:
        reason = _("Born in {year}, you would be {age} this year: more than {max_age}. Please check the year.").format(
            year=year, age=age, max_age=MAX_AGE
        )
    else:
        reason = _("I could not find a year of birth in that.")
    level = (context.tries - 1) % 3
    if level == 1:
        reason += " " + _("Type the year with four digits, for example 1987, or your age, for example 38.")
    elif level == 2:
        reason += " " + _("For example: “1987” or “38 years old”. To stop, send /cancel.")
    return reason


def _region(spec: FieldSpec, text: str, context: AnswerContext) -> Answer:
    match = context.vocabulary.region(text)
    if match.code is not None and match.exact:
        return Parsed(match.code)
    if not match.codes:
        return Invalid(
            _("I could not find a region called {typed}. Please choose it below, or type its name, for example "
              "Almaty, Shymkent or Karaganda Region.").format(typed=typed(text))
        )
    if match.exact:
        question = _("{typed} can mean more than one region. Which one?").format(typed=typed(text))
    else:
        question = _("Did you mean this region?") if len(match.codes) == 1 else _("Did you mean one of these regions?")
    options = tuple((spec.choice_name(code) or code, code) for code in match.codes)
    options += (("🗺 " + _("All regions"), ALL_REGIONS),)
    return Confirm(question, options, (*match.codes, ALL_REGIONS))


def _multi(spec: FieldSpec, text: str, context: AnswerContext) -> Answer:
    vocabulary = context.vocabulary
    selected = spec.known(context.selected)
    if vocabulary.is_done(text) or (spec.min_selected == 0 and vocabulary.is_skip(text)):
        return spec.finish(selected)
    picked = vocabulary.pick(spec.name, text)
    chosen = spec.known([*selected, *picked.codes])
    if picked.done and not picked.unknown:
        return spec.finish(chosen)
    if not picked.codes and not picked.unknown:
        return Invalid(buttons_expected_hint())
    notes = []
    if picked.codes:
        names = ", ".join(spec.choice_name(code) or code for code in spec.known(picked.codes))
        notes.append("✅ " + _("Ticked: {names}.").format(names=html.quote(names)))
    if picked.unknown:
        notes.append(
            _("I did not recognise {items}: choose with the buttons, or type the names again.").format(
                items=", ".join(typed(item) for item in picked.unknown)
            )
        )
    elif picked.codes:
        notes.append(_("Tick more, or press Done (you can also type “done”)."))
    return Ticked(chosen, "\n".join(notes))


@dataclass(frozen=True, slots=True)
class ContactCheck:
    phone: str | None  # E.164 when accepted
    hint: str | None  # translated refusal otherwise


def parse_contact(message: Message, *, own: bool = True) -> ContactCheck:
    """A shared contact: for one's own phone it must be the sender's own; for someone
    else's (a guardian's) any contact with a valid number."""
    contact = message.contact
    if contact is None or message.from_user is None:
        return ContactCheck(None, text_expected_hint())
    if own and contact.user_id != message.from_user.id:
        return ContactCheck(
            None,
            _("This is someone else's contact. Please share your own number with the button below, or type it."),
        )
    phone = normalize_phone(contact.phone_number)
    if phone is None:
        return ContactCheck(None, _("I could not read this number. Please type it, for example +7 701 234 56 78."))
    return ContactCheck(phone, None)
