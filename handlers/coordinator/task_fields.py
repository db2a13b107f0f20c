"""A task's fields as the dialogs ask them, on the field mechanism of handlers/fields:
/newtask asks every one, /mytasks asks the start, the end and the place again.

Each `TaskField` has a `FieldSpec` (the step's keyboard: choices, Done, Skip, Back,
Cancel; `pick`/`toggle`/`finish` for its buttons), its question (which may depend on the
moment and on the draft: the examples of a start, the end after the start), and for a
typed field `read(text, draft, moment)`: `Parsed(value)` for the draft attribute
`attr`, or `Invalid(hint)` to ask again. The rules themselves are in bot/tasks/drafts.py.
Call inside a handler: texts are translated when built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.config import Settings
from bot.domain.catalog import DIRECTIONS, REGIONS, SKILLS
from bot.domain.texts import N_
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from bot.tasks import drafts
from bot.tasks.drafts import TaskDraft, TimeError
from handlers.fields.specs import FieldSpec, Invalid, Parsed, ParseResult


@dataclass(frozen=True, slots=True)
class Moment:
    """What typed times are read against and shown in: now, the zone, the reader's language."""

    clock: Clock
    settings: Settings
    local_time: LocalTime
    locale: str

    def now(self) -> datetime:
        return self.clock.now()


Question = Callable[[TaskDraft, Moment], str]
Reader = Callable[[str, TaskDraft, Moment], ParseResult]


@dataclass(frozen=True, slots=True)
class TaskField:
    name: str  # the dialog step
    spec: FieldSpec
    question: Question
    attr: str | None = None  # the draft attribute a typed answer sets
    read: Reader | None = None  # None: answered with buttons only

    def keyboard(self, selected: Any = None, *, back: bool = True, choices: tuple[Any, ...] | None = None) -> Any:
        """The step's keyboard; `choices` narrows a choice step (the regions in scope)."""
        spec = self.spec if choices is None else replace(self.spec, choices=choices)
        return spec.keyboard(selected, back=back)


def _fixed(msgid: str, **values: Any) -> Question:
    return lambda draft, moment: _(msgid).format(**values) if values else _(msgid)


def _simple(parse: Callable[[str], Any], hint: Callable[[], str]) -> Reader:
    def read(text: str, draft: TaskDraft, moment: Moment) -> ParseResult:
        value = parse(text)
        return Invalid(hint()) if value is None else Parsed(value)

    return read


# --- the start and the end: typed in local time --------------------------------------


def start_examples(moment: Moment) -> dict[str, str]:
    tomorrow = (moment.now().astimezone(moment.settings.tz) + timedelta(days=1)).replace(hour=10, minute=0)
    return {"example": tomorrow.strftime("%d.%m.%Y %H:%M"), "short_example": tomorrow.strftime("%d.%m %H:%M")}


def past_hint() -> str:
    return _("This moment has already passed. Please type a date and time in the future.")


def time_hint(error: TimeError, draft: TaskDraft, moment: Moment) -> str:
    if error.code == TimeError.PAST:
        return past_hint()
    if error.code == TimeError.TOO_FAR:
        return _("This is more than a year ahead. Please check the date.")
    if error.code == TimeError.NO_SUCH_DATE:
        return _("There is no such date or time. Please check it and type it again.")
    if error.code == TimeError.BEFORE_START and draft.starts_at is not None:
        start = moment.local_time.datetime(draft.starts_at, moment.locale, fmt="short")
        return _("The end must be after the start ({start}). Please type it again.").format(start=start)
    if error.code == TimeError.TOO_LONG:
        days = drafts.MAX_DURATION.days
        return ngettext("A task can last at most {days} day. Please check the end.",
                        "A task can last at most {days} days. Please check the end.", days).format(days=days)
    return _("I could not read this date and time. Please type it like {example}.").format(
        example=start_examples(moment)["example"])


def _start_question(draft: TaskDraft, moment: Moment) -> str:
    return _("When does it start? Type the date and time ({timezone}), for example {example} "
             "or {short_example}.").format(timezone=moment.settings.timezone, **start_examples(moment))


def _end_question(draft: TaskDraft, moment: Moment) -> str:
    end_example = ((draft.starts_at or moment.now()) + timedelta(hours=3)).astimezone(moment.settings.tz)
    return _("When does it end? Type the time, for example {example}, or the date and time if it ends "
             "on another day.").format(example=end_example.strftime("%H:%M"))


def _read_start(text: str, draft: TaskDraft, moment: Moment) -> ParseResult:
    try:
        return Parsed(drafts.parse_start(text, moment.now(), moment.settings.tz))
    except TimeError as error:
        return Invalid(time_hint(error, draft, moment))


def _read_end(text: str, draft: TaskDraft, moment: Moment) -> ParseResult:
    if draft.starts_at is None:  # damaged dialog data: the caller asks the start again
        return Invalid("")
    try:
        return Parsed(drafts.parse_end(text, draft.starts_at, moment.settings.tz))
    except TimeError as error:
        return Invalid(time_hint(error, draft, moment))


# --- the fields -----------------------------------------------------------------------


def place_hint() -> str:
    return _("Please type the address or a landmark ({min} to {max} characters), "
             "or send a location pin.").format(min=drafts.MIN_PLACE, max=drafts.MAX_PLACE)


REGION = TaskField("region", FieldSpec("task_region", "single", N_("Region"), N_("Which region is the task in?"),
                                       choices=REGIONS), _fixed(N_("Which region is the task in?")))
TITLE = TaskField(
    "title", FieldSpec("task_title", "text", N_("Title"), ""),
    _fixed(N_("What is the task? Type a short title ({min} to {max} characters)."),
           min=drafts.MIN_TITLE, max=drafts.MAX_TITLE),
    "title",
    _simple(drafts.parse_title, lambda: _("The title should be {min} to {max} characters long. Please type it "
                                          "again.").format(min=drafts.MIN_TITLE, max=drafts.MAX_TITLE)))
DESCRIPTION = TaskField(
    "description", FieldSpec("task_description", "text", N_("Description"), "", optional=True),
    _fixed(N_("Describe the task: what volunteers will do, what to bring, whom to ask for "
              "(up to {max} characters). Or press Skip."), max=drafts.MAX_DESCRIPTION),
    "description",
    _simple(drafts.parse_description, lambda: _("The description can be up to {max} characters long. Please "
                                                "shorten it, or press Skip.").format(max=drafts.MAX_DESCRIPTION)))
DIRECTION = TaskField("direction", FieldSpec("task_direction", "single", N_("Direction"), "", choices=DIRECTIONS,
                                             columns=1), _fixed(N_("Which direction does the task belong to?")))
PLACE = TaskField(
    "place", FieldSpec("task_place", "text", N_("Place"), ""),
    _fixed(N_("Where? Type the address or a landmark, or send a location pin (📎 → Location).")),
    "place", _simple(drafts.parse_place, place_hint))
START = TaskField("start", FieldSpec("task_start", "text", N_("Time"), ""), _start_question, "starts_at", _read_start)
END = TaskField("end", FieldSpec("task_end", "text", N_("Time"), ""), _end_question, "ends_at", _read_end)
SLOTS = TaskField(
    "slots", FieldSpec("task_slots", "text", N_("Volunteers needed"), ""),
    _fixed(N_("How many volunteers are needed? Type a number from {min} to {max}."),
           min=drafts.MIN_SLOTS, max=drafts.MAX_SLOTS),
    "slots",
    _simple(drafts.parse_slots, lambda: _("Please type the number of volunteers needed: a whole number from {min} "
                                          "to {max}.").format(min=drafts.MIN_SLOTS, max=drafts.MAX_SLOTS)))
SKILLS_FIELD = TaskField("skills", FieldSpec("task_skills", "multi", N_("Required skills"), "", choices=SKILLS),
                         _fixed(N_("Which skills must volunteers have? Tick any (or none), then press Done.")))
MIN_AGE = TaskField(
    "min_age", FieldSpec("task_min_age", "text", N_("Minimum age"), ""),
    _fixed(N_("What is the minimum age of volunteers? Type a number from {min} to {max}."),
           min=drafts.MIN_TASK_AGE, max=drafts.MAX_TASK_AGE),
    "min_age",
    _simple(drafts.parse_min_age, lambda: _("Please type the minimum age as a number from {min} to {max}.").format(
        min=drafts.MIN_TASK_AGE, max=drafts.MAX_TASK_AGE)))
ORGANISATION = TaskField(
    "organisation", FieldSpec("task_organisation", "text", N_("Organisation"), "", optional=True),
    _fixed(N_("Which organisation runs the task? Type its name, or press Skip if none.")),
    "organisation",
    _simple(drafts.parse_organisation, lambda: _("The organisation name should be 2 to {max} characters long and "
                                                 "contain letters. Please type it again, or press Skip.").format(
        max=drafts.MAX_ORGANISATION)))

TASK_FIELDS: dict[str, TaskField] = {field.name: field for field in (
    REGION, TITLE, DESCRIPTION, DIRECTION, PLACE, START, END, SLOTS, SKILLS_FIELD, MIN_AGE, ORGANISATION)}
