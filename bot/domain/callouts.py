"""Call-outs: an urgent request for N people now (or later today), sent in waves on the
delivery engine's emergency lane. No I/O: statuses, waves, templates, the quick form.

A call-out's life: open -> filled (as many said "coming" as needed; a cancel can reopen
it) -> closed (the coordinator stood everyone down). Waves:

    1  volunteers of the call-out's region whose directions include emergencies
    2  every other volunteer of the region
    3  the volunteers of the neighbouring regions (bot/domain/emergencies.py)

A wave goes out by itself after `wave_wait_minutes` (default 5) when fewer than needed
have said "coming"; the coordinator can send the next one at once, or stop the waves.
Nobody under CALLOUT_MIN_AGE ever receives a call-out. At night (23:00-07:00) only
volunteers who chose "any time for emergencies" are woken, unless the coordinator widens
the call-out.

A volunteer's answer: invited (no answer yet) -> coming (with an arrival estimate) |
declined | standby (said "coming" after it filled); coming -> arrived | cancelled
(coming, then "can't" after all); any answer may change while the call-out is open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.texts import N_

CALLOUT_MIN_AGE = 18
MIN_PEOPLE = 1
MAX_PEOPLE = 1000
MIN_TEXT_LENGTH = 3
MAX_TEXT_LENGTH = 500
MAX_PLACE_LENGTH = 300
DEFAULT_WAVE_WAIT_MINUTES = 5
WAVE_WAIT_CHOICES = (5, 10, 15, 30)
ETA_CHOICES = (15, 30, 60)  # minutes
LAST_WAVE = 3


class CalloutStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class AnswerStatus(StrEnum):
    INVITED = "invited"  # sent, no answer yet
    COMING = "coming"
    DECLINED = "declined"
    STANDBY = "standby"  # offered to come after the call-out filled
    ARRIVED = "arrived"
    CANCELLED = "cancelled"  # said coming, then could not


# Answers that count towards the people needed.
COUNTED = (AnswerStatus.COMING, AnswerStatus.ARRIVED)
# Answers of people who said they would come at some point (stand-down goes to them).
TOOK_PART = (AnswerStatus.COMING, AnswerStatus.ARRIVED, AnswerStatus.STANDBY)


@dataclass(frozen=True, slots=True)
class Template:
    code: str
    text: str  # msgid: the call-out's "what", in the coordinator's language


TEMPLATES: tuple[Template, ...] = (
    Template("search", N_("Search for a missing person")),
    Template("flood", N_("Flood help")),
    Template("fire", N_("Fire help")),
    Template("sandbags", N_("Filling and carrying sandbags")),
    Template("deliver", N_("Deliver food or medicine")),
    Template("blood", N_("Blood donors needed")),
    Template("firstaid", N_("First aid")),
    Template("translation", N_("Translation")),
)
TEMPLATE_BY_CODE = {template.code: template for template in TEMPLATES}


def wave_is_due(status: str, waves_stopped: bool, wave: int, coming: int, needed: int) -> bool:
    """Should the next wave go out (when its time has come)?"""
    return status == CalloutStatus.OPEN and not waves_stopped and wave < LAST_WAVE and coming < needed


def is_filled(coming: int, needed: int) -> bool:
    return coming >= needed


@dataclass(frozen=True, slots=True)
class QuickForm:
    people: int
    text: str


class QuickFormError(StrEnum):
    EMPTY = "empty"  # nothing after the command
    NO_NUMBER = "no_number"  # no number of people first
    PEOPLE = "people"  # 0, or more than MAX_PEOPLE
    TEXT = "text"  # no text, or too long


_QUICK = re.compile(r"^\s*(\d{1,9})\s*(.*)$", re.S)


def parse_quick(args: str | None) -> QuickForm | QuickFormError:
    """`/callout 20 Sandbags needed at Sairan dam` -> QuickForm(20, "Sandbags ...")."""
    if args is None or not args.strip():
        return QuickFormError.EMPTY
    match = _QUICK.match(args)
    if match is None:
        return QuickFormError.NO_NUMBER
    people = int(match.group(1))
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        return QuickFormError.PEOPLE
    text = " ".join(match.group(2).split())
    if not MIN_TEXT_LENGTH <= len(text) <= MAX_TEXT_LENGTH:
        return QuickFormError.TEXT
    return QuickForm(people, text)


@dataclass(frozen=True, slots=True)
class BoardCounts:
    """What the coordinator's board shows."""

    invited: int = 0
    delivered: int = 0
    coming: int = 0
    arrived: int = 0
    declined: int = 0
    standby: int = 0
    cancelled: int = 0

    @property
    def no_answer(self) -> int:
        return self.invited - self.coming - self.arrived - self.declined - self.standby - self.cancelled

    @property
    def counted(self) -> int:
        return self.coming + self.arrived
