"""A task's life, written once.

    draft ──> open <──> full          (full: every place taken; a freed place reopens it)
                │         │
                └────┬────┘
                     ├──> started     (its start time reached: the lifecycle job, bot/lifecycle/)
                     │       │
                     ├───────┴──> cancelled   (by a coordinator; final)
                     └───────────> done        (its end time reached, or closed by the coordinator; final)

Stored as the strings of `TaskStatus` in `tasks.status`. The lifecycle job moves open
and full tasks to started at their start, and every live task to done at its end
(`due_status`); between its passes an open or full task whose start has passed already
counts as started (`phase`). What may happen in each
state is read from here, never from a list of statuses at the call site:
volunteers sign up only while `open_for_signups` (the status `accepts_signups` and the
task has not started); coordinators change, message and cancel
only while `is_live`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class TaskStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FULL = "full"
    STARTED = "started"
    CANCELLED = "cancelled"
    DONE = "done"

    @property
    def accepts_signups(self) -> bool:
        """Open or full: people may sign up, join the waitlist or confirm a place (until
        the start: `open_for_signups`), and its cards show their buttons."""
        return self in SIGNUP_STATUSES

    @property
    def is_live(self) -> bool:
        """Not cancelled or done: its coordinator may still change, message or cancel it."""
        return self in LIVE_STATUSES

    @property
    def has_ended(self) -> bool:
        """Cancelled or done: it holds nobody's time any more."""
        return self in ENDED_STATUSES

    def may_become(self, other: TaskStatus) -> bool:
        return other in TRANSITIONS[self]


TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.DRAFT: frozenset({TaskStatus.OPEN, TaskStatus.CANCELLED}),
    TaskStatus.OPEN: frozenset({TaskStatus.FULL, TaskStatus.STARTED, TaskStatus.CANCELLED, TaskStatus.DONE}),
    TaskStatus.FULL: frozenset({TaskStatus.OPEN, TaskStatus.STARTED, TaskStatus.CANCELLED, TaskStatus.DONE}),
    TaskStatus.STARTED: frozenset({TaskStatus.CANCELLED, TaskStatus.DONE}),
    TaskStatus.CANCELLED: frozenset(),
    TaskStatus.DONE: frozenset(),
}
# The same sets as tuples for SQL (`Task.status.in_(...)`).
SIGNUP_STATUSES: tuple[TaskStatus, ...] = (TaskStatus.OPEN, TaskStatus.FULL)
LIVE_STATUSES: tuple[TaskStatus, ...] = tuple(s for s in TaskStatus if TRANSITIONS[s])
ENDED_STATUSES: tuple[TaskStatus, ...] = tuple(s for s in TaskStatus if not TRANSITIONS[s])
# Cancelling is allowed from these (a second cancel changes nothing).
CANCELLABLE_STATUSES: tuple[TaskStatus, ...] = tuple(s for s in TaskStatus if s.may_become(TaskStatus.CANCELLED))


class TaskPhase(StrEnum):
    """Where a task is in its life at a given moment (the stored status plus the clock)."""

    DRAFT = "draft"
    OPEN = "open"
    FULL = "full"
    STARTED = "started"
    CANCELLED = "cancelled"
    DONE = "done"


def phase(status: str, starts_at: datetime, now: datetime) -> TaskPhase:
    status = TaskStatus(status)
    if status.accepts_signups and starts_at <= now:
        return TaskPhase.STARTED
    return TaskPhase(status.value)


def due_status(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> TaskStatus | None:
    """The status time has brought the task to, if it differs from the stored one (the
    lifecycle job writes it): started at its start, done at its end; None if nothing is due."""
    status = TaskStatus(status)
    if status.is_live and status != TaskStatus.DRAFT and ends_at <= now:
        return TaskStatus.DONE
    if status.accepts_signups and starts_at <= now:
        return TaskStatus.STARTED
    return None


# What the lifecycle job looks at: tasks time may still move (SQL `in_`).
TIMED_STATUSES: tuple[TaskStatus, ...] = (TaskStatus.OPEN, TaskStatus.FULL, TaskStatus.STARTED)


def open_for_signups(status: str, starts_at: datetime, now: datetime) -> bool:
    """May anyone sign up, join the waitlist or confirm a held place right now."""
    return phase(status, starts_at, now) in (TaskPhase.OPEN, TaskPhase.FULL)


def has_free_place(status: str, slots: int, taken: int) -> bool:
    """Open with a place left: "I'll go" rather than "Join the waitlist"."""
    return status == TaskStatus.OPEN and taken < slots


class Timeline(StrEnum):
    """Where a task stands for a volunteer's /my: coming, under way, or over."""

    UPCOMING = "upcoming"
    RUNNING = "running"
    FINISHED = "finished"


def timeline(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> Timeline | None:
    """None for a draft or cancelled task (it is not shown)."""
    status = TaskStatus(status)
    if status in (TaskStatus.DRAFT, TaskStatus.CANCELLED):
        return None
    if status == TaskStatus.DONE or ends_at <= now:
        return Timeline.FINISHED
    if status == TaskStatus.STARTED or starts_at <= now:
        return Timeline.RUNNING
    return Timeline.UPCOMING
