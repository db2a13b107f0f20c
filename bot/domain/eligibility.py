"""Who gets a task: the eligibility rules and the order of sending, with no I/O.

Eligible for a task (every rule must hold):

1. **active** – status "active", or "paused" with a pause that has already ended (a
   lapsed pause counts as active); never "unreachable" or "deleted";
2. **registered** – consent given through the bot (`consent_at`) and a Telegram id;
3. **direction** – the task's direction is among the volunteer's directions;
4. **region** – the same region as the task;
5. **old enough** – `task start year (in settings.tz) - birth year >= task.min_age`
   (only the birth year is known, so a person counts as having had this year's birthday);
   no birth year -> not eligible;
6. **skills** – has every skill in `task.required_skills`;
7. **available** – the task's START, in local time (settings.tz), falls in one of their
   availability slots:
     weekdays  – Monday to Friday, starting 08:00 to 17:59;
     evenings  – Monday to Friday, starting 18:00 to 22:59;
     weekends  – Saturday or Sunday, any time;
     emergency – any day, any time, but ONLY for tasks whose direction is "emergency"
                 (ticking "Any time for emergencies" does not make someone available
                 for a routine task at 3 a.m.);
8. **free** – not signed up ("going" or "offered") for another task that overlaps this
   one in time, and not already signed up for this task (going, offered, waitlisted).

Order of sending (best first):

1. **skill match** – how many of the volunteer's skills are relevant to the task: the
   required ones (equal for everyone eligible) plus those useful for its direction
   (`USEFUL_SKILLS`, e.g. first aid for "health", driving for "emergency");
2. **reliability** – attended / (attended + no-shows + ½ × late cancellations) over the
   attendance written after their past tasks (bot/domain/attendance.py); with no
   history the neutral 0.5;
3. **fairness** – fewer task offers (TaskOffer rows) in the last 7 days first;
4. **recently active** – the later of their last message to the bot
   (telegram_users.last_seen_at) and their profile's updated_at, newest first;
5. the volunteer id, so the order is total and stable.

(A call-out's waves are ordered by skills, then nearness, then reliability:
bot/domain/nearness.py.)

Every rule but "free" also runs in SQL (storage/repositories/matching.py, through
bot/tasks/matching.py); availability becomes the codes that qualify for the task's start
(`availability_codes_for`). Overlaps and the ordering are done in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.volunteers import is_active

EMERGENCY_DIRECTION = "emergency"
NEUTRAL_RELIABILITY = 0.5
LATE_CANCEL_WEIGHT = 0.5  # a place given up under 24 h before the start counts as half a no-show
FAIRNESS_WINDOW = timedelta(days=7)
WEEKDAY_HOURS = (8, 18)  # [08:00, 18:00)
EVENING_HOURS = (18, 23)  # [18:00, 23:00)

# Skills that make someone a better fit for a direction, beyond the task's required ones.
USEFUL_SKILLS: dict[str, frozenset[str]] = {
    "health": frozenset({"medical", "psychology"}),
    "ecology": frozenset({"driving", "media"}),
    "heritage": frozenset({"media", "languages", "construction"}),
    "emergency": frozenset({"medical", "driving", "psychology"}),
    "mentoring": frozenset({"teaching", "psychology"}),
    "elderly": frozenset({"medical", "cooking", "psychology", "driving"}),
    "education": frozenset({"teaching", "languages", "it"}),
    "social": frozenset({"psychology", "legal", "cooking", "driving"}),
}


class TaskLike(Protocol):
    """What the rules read of a task (the stored row has these)."""

    id: int
    direction: str
    region: str
    starts_at: datetime
    ends_at: datetime
    min_age: int
    required_skills: list[str]


class VolunteerLike(Protocol):
    """What the rules read of a volunteer (the stored row has these)."""

    @property
    def status(self) -> str: ...  # a property: the stored row's VolunteerStatus (a str) fits

    paused_until: datetime | None
    consent_at: datetime | None
    telegram_id: int | None
    region: str | None
    birth_year: int | None
    availability: list[str]

    @property
    def directions(self) -> Sequence[str]: ...

    @property
    def skills(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """What matching needs of a task (so pure checks need no ORM object)."""

    id: int
    direction: str
    region: str
    starts_at: datetime
    ends_at: datetime
    min_age: int
    required_skills: tuple[str, ...]

    @classmethod
    def of(cls, task: TaskLike) -> TaskFacts:
        return cls(task.id, task.direction, task.region, task.starts_at, task.ends_at, task.min_age,
                   tuple(task.required_skills or ()))


@dataclass(frozen=True, slots=True)
class Candidate:
    """An eligible volunteer, with the keys they are ordered by."""

    volunteer_id: int
    telegram_id: int
    locale: str | None
    skill_score: int
    reliability: float
    offers_last_week: int
    last_active: datetime

    def sort_key(self) -> tuple[int, float, int, float, int]:
        return (-self.skill_score, -self.reliability, self.offers_last_week, -self.last_active.timestamp(),
                self.volunteer_id)


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The order of sending (see the module docstring)."""
    return sorted(candidates, key=Candidate.sort_key)


def skill_score(task: TaskFacts, skills: Iterable[str]) -> int:
    relevant = set(task.required_skills) | USEFUL_SKILLS.get(task.direction, frozenset())
    return len(relevant & set(skills))


def reliability(attended: int, no_show: int, cancelled_late: int = 0) -> float:
    """attended / (attended + no-shows + half the late cancellations), from the attendance
    written after each task (bot/domain/attendance.py); with none of these, 0.5."""
    total = attended + no_show + LATE_CANCEL_WEIGHT * cancelled_late
    return attended / total if total else NEUTRAL_RELIABILITY


def is_available(availability: Iterable[str], task: TaskFacts, tz: ZoneInfo) -> bool:
    """Does the task's local start time fall in one of these availability slots?"""
    slots = set(availability)
    if task.direction == EMERGENCY_DIRECTION and "emergency" in slots:
        return True
    local = task.starts_at.astimezone(tz)
    weekend = local.weekday() >= 5
    if weekend:
        return "weekends" in slots
    if "weekdays" in slots and WEEKDAY_HOURS[0] <= local.hour < WEEKDAY_HOURS[1]:
        return True
    return "evenings" in slots and EVENING_HOURS[0] <= local.hour < EVENING_HOURS[1]


def max_birth_year(task: TaskFacts, tz: ZoneInfo) -> int:
    return task.starts_at.astimezone(tz).year - task.min_age


def ineligibility(task: TaskFacts, volunteer: VolunteerLike, *, now: datetime, tz: ZoneInfo,
                  busy: bool = False) -> str | None:
    """Why this volunteer is not eligible (a rule name from the docstring), or None.
    `busy`: they hold a place on an overlapping task (or already on this one)."""
    if not is_active(volunteer.status, volunteer.paused_until, now):
        return "active"
    if volunteer.consent_at is None or volunteer.telegram_id is None:
        return "registered"
    if task.direction not in volunteer.directions:
        return "direction"
    if volunteer.region != task.region:
        return "region"
    if volunteer.birth_year is None or volunteer.birth_year > max_birth_year(task, tz):
        return "age"
    if not set(task.required_skills) <= set(volunteer.skills):
        return "skills"
    if not is_available(volunteer.availability or (), task, tz):
        return "available"
    if busy:
        return "free"
    return None


def availability_codes_for(task: TaskFacts, tz: ZoneInfo) -> list[str]:
    """The availability codes that can make someone available for this task."""
    return [code for code in ("weekdays", "evenings", "weekends", "emergency") if is_available((code,), task, tz)]
