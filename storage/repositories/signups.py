"""Sign-ups, slots and task offers: the volunteer side of tasks.

A slot is taken or freed only by one conditional UPDATE of tasks.taken, so the number
of places held can never exceed the slots however many people press at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, case, exists, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.signups import ACTIVE_SIGNUPS, HOLDS_SLOT, OfferResponse, SignupStatus
from bot.domain.tasks import ENDED_STATUSES, SIGNUP_STATUSES, TaskStatus
from storage.backends import has_row_locks
from storage.models import Signup, Task, TaskOffer, Volunteer
from storage.repositories.results import affected_rows


class SignupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- tasks and slots -------------------------------------------------------------------

    async def task(self, task_id: int) -> Task | None:
        return await self.session.get(Task, task_id, populate_existing=True)

    async def task_for_update(self, task_id: int) -> Task | None:
        """The task, its row locked until the transaction ends: the presses on one task
        take turns, so each sees the sign-ups of those before it (PostgreSQL; on SQLite
        every writer already waits at BEGIN IMMEDIATE)."""
        return await self.session.get(Task, task_id, populate_existing=True, with_for_update=True)

    async def lock_task(self, task_id: int) -> None:
        """The task's row locked until the transaction ends, when the backend has row
        locks (PostgreSQL); SQLite's writers already take turns at BEGIN IMMEDIATE, so
        nothing is sent there."""
        if has_row_locks(self.session):
            await self.session.execute(select(Task.id).where(Task.id == task_id).with_for_update())

    async def take_slot(self, task_id: int, now: datetime) -> tuple[int, TaskStatus] | None:
        """One place more is held, if one is free on an open task that has not started;
        the task becomes "full" with its last place. Returns the task's places taken and
        status afterwards, or None if no place was taken."""
        row = (await self.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.taken < Task.slots, Task.status == TaskStatus.OPEN, Task.starts_at > now)
            .values(taken=Task.taken + 1,
                    status=case((Task.taken + 1 >= Task.slots, TaskStatus.FULL), else_=Task.status),
                    updated_at=now)
            .returning(Task.taken, Task.status)
            .execution_options(synchronize_session=False)
        )).first()
        return (int(row[0]), TaskStatus(row[1])) if row is not None else None

    async def task_offered_to(self, task_id: int, volunteer_id: int | None) -> tuple[Task | None, bool]:
        """The task, and whether its card was sent to this volunteer, in one query."""
        offered = exists().where(TaskOffer.task_id == Task.id, TaskOffer.volunteer_id == volunteer_id)
        row = (await self.session.execute(
            select(Task, offered if volunteer_id is not None else literal(False))
            .where(Task.id == task_id)
            .execution_options(populate_existing=True)
        )).first()
        return (row[0], bool(row[1])) if row is not None else (None, False)

    async def free_slot(self, task_id: int, now: datetime) -> None:
        """One place less is held; a full task opens again."""
        await self.session.execute(
            update(Task)
            .where(Task.id == task_id, Task.taken > 0)
            .values(taken=Task.taken - 1,
                    status=case((Task.status == TaskStatus.FULL, TaskStatus.OPEN), else_=Task.status),
                    updated_at=now)
            .execution_options(synchronize_session=False)
        )

    # -- sign-ups ----------------------------------------------------------------------------

    async def signup(self, task_id: int, volunteer_id: int) -> Signup | None:
        return await self.session.scalar(
            select(Signup).where(Signup.task_id == task_id, Signup.volunteer_id == volunteer_id)
            .execution_options(populate_existing=True)
        )

    async def put_signup(self, task_id: int, volunteer_id: int, status: SignupStatus, now: datetime,
                         offered_until: datetime | None = None) -> Signup:
        """Create the sign-up, or reuse the old row (cancelled, expired...) with a new status.
        A reused row goes to the end of the waitlist (created_at = now)."""
        return await self.put_signup_over(await self.signup(task_id, volunteer_id), task_id, volunteer_id, status, now,
                                          offered_until)

    async def put_signup_over(self, signup: Signup | None, task_id: int, volunteer_id: int, status: SignupStatus,
                              now: datetime, offered_until: datetime | None = None) -> Signup:
        """put_signup() when the caller has just read the person's sign-up (`signup`, or None)."""
        if signup is None:
            signup = Signup(task_id=task_id, volunteer_id=volunteer_id, status=status, offered_until=offered_until,
                            created_at=now, updated_at=now)
            self.session.add(signup)
        else:
            signup.status = status
            signup.offered_until = offered_until
            signup.created_at = now
            signup.updated_at = now
        await self.session.flush()
        return signup

    async def set_status(self, signup_id: int, from_statuses: Sequence[SignupStatus], to_status: SignupStatus,
                         now: datetime,
                         offered_until: datetime | None = None) -> bool:
        result = await self.session.execute(
            update(Signup)
            .where(Signup.id == signup_id, Signup.status.in_(list(from_statuses)))
            .values(status=to_status, offered_until=offered_until, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(affected_rows(result))

    async def waitlist(self, task_id: int) -> list[tuple[Signup, Volunteer]]:
        """The waitlist in order (first come first), with each person."""
        rows = await self.session.execute(
            select(Signup, Volunteer)
            .join(Volunteer, Volunteer.id == Signup.volunteer_id)
            .where(Signup.task_id == task_id, Signup.status == SignupStatus.WAITLISTED)
            .order_by(Signup.created_at, Signup.id)
        )
        return [(signup, volunteer) for signup, volunteer in rows.all()]

    async def signup_and_overlap(self, volunteer_id: int, task: Task) -> tuple[Signup | None, bool]:
        """In one query: the person's sign-up for this task (any status), and whether they
        hold a place on another task at the same time (holds_overlapping)."""
        rows = await self.session.scalars(
            select(Signup)
            .join(Task, Task.id == Signup.task_id)
            .where(Signup.volunteer_id == volunteer_id,
                   or_(Signup.task_id == task.id,
                       and_(Signup.status.in_(HOLDS_SLOT), Task.id != task.id, Task.status.not_in(ENDED_STATUSES),
                            Task.starts_at < task.ends_at, Task.ends_at > task.starts_at)))
            .execution_options(populate_existing=True)
        )
        mine: Signup | None = None
        overlap = False
        for signup in rows:
            if signup.task_id == task.id:
                mine = signup
            else:
                overlap = True
        return mine, overlap

    async def holds_overlapping(self, volunteer_id: int, task: Task) -> bool:
        """Does this person hold a place (going/offered) on another task at the same time?"""
        found = await self.session.scalar(
            select(Signup.id)
            .join(Task, Task.id == Signup.task_id)
            .where(Signup.volunteer_id == volunteer_id, Signup.status.in_(HOLDS_SLOT),
                   Task.id != task.id, Task.status.not_in(ENDED_STATUSES),
                   Task.starts_at < task.ends_at, Task.ends_at > task.starts_at)
            .limit(1)
        )
        return found is not None

    async def due_offers(self, now: datetime, limit: int = 100) -> list[Signup]:
        """Promotions not confirmed in time."""
        rows = await self.session.scalars(
            select(Signup)
            .where(Signup.status == SignupStatus.OFFERED, Signup.offered_until <= now)
            .order_by(Signup.offered_until, Signup.id)
            .limit(limit)
        )
        return list(rows)

    async def upcoming_of(self, volunteer_id: int, now: datetime) -> list[tuple[Signup, Task]]:
        """My sign-ups (going, offered, waitlisted) on tasks that have not ended, soonest first."""
        rows = await self.session.execute(
            select(Signup, Task)
            .join(Task, Task.id == Signup.task_id)
            .where(Signup.volunteer_id == volunteer_id, Signup.status.in_(ACTIVE_SIGNUPS),
                   Task.status.in_(SIGNUP_STATUSES), Task.ends_at > now)
            .order_by(Task.starts_at, Task.id)
        )
        return [(signup, task) for signup, task in rows.all()]

    async def count(self, task_id: int, statuses: Sequence[str]) -> int:
        return int(await self.session.scalar(
            select(func.count()).select_from(Signup)
            .where(Signup.task_id == task_id, Signup.status.in_(list(statuses)))) or 0)

    # -- task offers -----------------------------------------------------------------------

    async def has_offer(self, task_id: int, volunteer_id: int) -> bool:
        found = await self.session.scalar(
            select(TaskOffer.id).where(TaskOffer.task_id == task_id, TaskOffer.volunteer_id == volunteer_id))
        return found is not None

    async def offered_volunteers(self, task_id: int) -> set[int]:
        return set(await self.session.scalars(select(TaskOffer.volunteer_id).where(TaskOffer.task_id == task_id)))

    async def routine_offers_between(self, volunteer_ids: Sequence[int], start: datetime,
                                     end: datetime, emergency_direction: str) -> dict[int, int]:
        """Routine (non-emergency) offers per volunteer with offered_at in [start, end)."""
        counts: dict[int, int] = {}
        ids = list(volunteer_ids)
        for first in range(0, len(ids), 900):
            rows = await self.session.execute(
                select(TaskOffer.volunteer_id, func.count())
                .join(Task, Task.id == TaskOffer.task_id)
                .where(TaskOffer.volunteer_id.in_(ids[first:first + 900]), TaskOffer.offered_at >= start,
                       TaskOffer.offered_at < end, Task.direction != emergency_direction)
                .group_by(TaskOffer.volunteer_id)
            )
            counts.update({volunteer_id: int(count) for volunteer_id, count in rows})
        return counts

    async def add_offers(self, task_id: int, volunteer_ids: Sequence[int], offered_at: datetime) -> None:
        if volunteer_ids:
            await self.session.execute(insert(TaskOffer), [
                {"task_id": task_id, "volunteer_id": volunteer_id, "offered_at": offered_at, "response": None}
                for volunteer_id in volunteer_ids
            ])

    async def set_offer_response(self, task_id: int, volunteer_id: int, response: OfferResponse) -> None:
        await self.session.execute(
            update(TaskOffer)
            .where(TaskOffer.task_id == task_id, TaskOffer.volunteer_id == volunteer_id)
            .values(response=response)
        )


__all__ = ["SignupRepository"]
