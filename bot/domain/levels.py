"""Volunteer levels: from the approved hours (all time) and the tasks attended or
call-outs arrived at with approved hours (`Figures`, read by
storage/repositories/figures.py). Pure rules, no I/O.

A level needs both thresholds: many hours on one long task do not make a Mentor, nor
many short visits. Correcting hours down may lower the level (silently); only a rise
is congratulated (bot/attendance/levels.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.texts import N_


@dataclass(frozen=True, slots=True)
class Level:
    code: str
    rank: int
    name: str  # msgid, translated when shown
    min_hours: float
    min_tasks: int


LEVELS: tuple[Level, ...] = (
    Level("newcomer", 0, N_("Newcomer"), 0, 0),
    Level("active", 1, N_("Active"), 10, 3),
    Level("experienced", 2, N_("Experienced"), 50, 10),
    Level("mentor", 3, N_("Mentor"), 150, 30),
)
LEVEL_BY_CODE = {level.code: level for level in LEVELS}


@dataclass(frozen=True, slots=True)
class Figures:
    """Approved hours, and how many tasks and call-outs they come from ("done")."""

    hours: float
    done: int


def add_figures(*parts: Figures) -> Figures:
    """Tasks' and call-outs' figures together; hours rounded to 2 decimals like the stored ones."""
    return Figures(round(sum(part.hours for part in parts), 2), sum(part.done for part in parts))


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a person stands: their level, and what is left to the next one (None at the top)."""

    level: Level
    next: Level | None
    hours_left: float
    tasks_left: int


def level_for(hours: float, tasks: int) -> Level:
    """The highest level whose hours and tasks are both reached."""
    reached = LEVELS[0]
    for level in LEVELS:
        # Hours are stored rounded to 2 decimals; compare with the same rounding.
        if round(hours, 2) >= level.min_hours and tasks >= level.min_tasks:
            reached = level
    return reached


def progress(hours: float, tasks: int) -> Progress:
    level = level_for(hours, tasks)
    following = next((candidate for candidate in LEVELS if candidate.rank == level.rank + 1), None)
    if following is None:
        return Progress(level, None, 0.0, 0)
    return Progress(level, following, max(0.0, round(following.min_hours - hours, 2)),
                    max(0, following.min_tasks - tasks))


def raised(before: Level, after: Level) -> bool:
    return after.rank > before.rank
