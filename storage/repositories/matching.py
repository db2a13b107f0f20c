"""The SQL of matching (the rules themselves are explained in bot/domain/eligibility.py).

Every SQL-checkable rule is one statement that starts from one index range of
volunteer_directions (code, region, volunteer_id) - `region` there is a trigger-kept
copy of the volunteer's (migration 0004) - and the ordering keys are correlated
subqueries, each answered from an index for the rows that passed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, and_, case, cast, exists, func, literal, or_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.domain.attendance import AttendanceOutcome
from bot.domain.signups import ACTIVE_SIGNUPS, HOLDS_SLOT
from bot.domain.tasks import ENDED_STATUSES, TaskStatus
from bot.domain.volunteers import VolunteerStatus
from storage.models import Attendance, Signup, Task, TaskOffer, TelegramUser, Volunteer, VolunteerDirection, VolunteerSkill


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """A task's matching criteria, already worked out by the service."""

    task_id: int
    direction: str
    region: str
    starts_at: datetime
    ends_at: datetime
    max_birth_year: int  # start year (local) - minimum age
    slot_codes: Sequence[str]  # availability codes that make someone available at the start
    required_skills: Sequence[str]
    relevant_skills: Sequence[str]  # counted for the skill score


def _count(query: Select[Any], name: str) -> Any:
    return func.coalesce(query.correlate(Volunteer).scalar_subquery(), 0).label(name)


class MatchingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _eligible(self, match: MatchQuery, now: datetime, *, ranked: bool, since: datetime | None) -> Select[Any]:
        """Eligible volunteers by every rule but "free" (overlaps). Availability: the codes
        in `slot_codes` are looked up in the stored JSON list as '"code"' (exact for our codes)."""
        v = Volunteer
        columns: list[Any] = [v.id, v.telegram_id, v.locale]
        if ranked:
            columns += [
                _count(select(func.count()).select_from(VolunteerSkill).where(
                    VolunteerSkill.volunteer_id == v.id, VolunteerSkill.code.in_(list(match.relevant_skills) or [""])),
                    "skill_score"),
                # Reliability: the attendance written after each task (ix_attendance_volunteer_outcome).
                _count(select(func.count()).select_from(Attendance).where(
                    Attendance.volunteer_id == v.id, Attendance.outcome == AttendanceOutcome.ATTENDED), "attended"),
                _count(select(func.count()).select_from(Attendance).where(
                    Attendance.volunteer_id == v.id, Attendance.outcome == AttendanceOutcome.NO_SHOW), "no_show"),
                _count(select(func.count()).select_from(Attendance).where(
                    Attendance.volunteer_id == v.id, Attendance.outcome == AttendanceOutcome.CANCELLED_LATE),
                    "cancelled_late"),
                _count(select(func.count()).select_from(TaskOffer).where(
                    TaskOffer.volunteer_id == v.id, TaskOffer.offered_at >= since), "offers"),
                # Compared as stored (UTC, one fixed format); read raw, parsed by the service.
                type_coerce(case((TelegramUser.last_seen_at > v.updated_at, TelegramUser.last_seen_at),
                                 else_=v.updated_at), String).label("last_active"),
            ]
        query = (
            select(*columns)
            .select_from(VolunteerDirection)
            .join(v, v.id == VolunteerDirection.volunteer_id)
            .where(
                VolunteerDirection.code == match.direction,
                VolunteerDirection.region == match.region,
                v.region == match.region,
                # bot.domain.volunteers.is_active in SQL: active, a lapsed pause included.
                or_(v.status == VolunteerStatus.ACTIVE,
                    and_(v.status == VolunteerStatus.PAUSED, v.paused_until.is_not(None), v.paused_until <= now)),
                v.consent_at.is_not(None),
                v.telegram_id.is_not(None),
                v.birth_year.is_not(None),
                v.birth_year <= match.max_birth_year,
                or_(*[cast(v.availability, Text).like(f'%"{code}"%') for code in match.slot_codes]
                    or [literal(False).is_(True)]),
            )
        )
        if ranked:
            query = query.outerjoin(TelegramUser, TelegramUser.telegram_id == v.telegram_id)
        for code in dict.fromkeys(match.required_skills):
            query = query.where(exists().where(VolunteerSkill.volunteer_id == v.id, VolunteerSkill.code == code))
        return query

    async def eligible_ranked(self, match: MatchQuery, now: datetime, since: datetime) -> list[Any]:
        """Rows: id, telegram_id, locale, skill_score, attended, no_show, cancelled_late, offers (since
        `since`), last_active (raw)."""
        return list((await self.session.execute(self._eligible(match, now, ranked=True, since=since))).all())

    async def is_eligible(self, match: MatchQuery, now: datetime, volunteer_id: int) -> bool:
        query = self._eligible(match, now, ranked=False, since=None).where(Volunteer.id == volunteer_id)
        return (await self.session.execute(query)).first() is not None

    async def busy(self, match: MatchQuery) -> set[int]:
        """Volunteers holding a place on an overlapping task, or any place on this one."""
        overlapping = await self.session.scalars(
            select(Signup.volunteer_id)
            .join(Task, Task.id == Signup.task_id)
            .where(Signup.status.in_(HOLDS_SLOT), Task.id != match.task_id, Task.status.not_in(ENDED_STATUSES),
                   Task.starts_at < match.ends_at, Task.ends_at > match.starts_at)
        )
        own = await self.session.scalars(
            select(Signup.volunteer_id).where(Signup.task_id == match.task_id, Signup.status.in_(ACTIVE_SIGNUPS))
        )
        return set(overlapping) | set(own)

    async def open_tasks(self, region: str, directions: Sequence[str], now: datetime, limit: int) -> list[Task]:
        """Open tasks not started yet in a region and these directions, soonest first."""
        return list(await self.session.scalars(
            select(Task)
            .where(Task.region == region, Task.status == TaskStatus.OPEN, Task.starts_at > now,
                   Task.direction.in_(list(directions)))
            .order_by(Task.starts_at, Task.id)
            .limit(limit)
        ))

    async def places_of(self, volunteer_id: int) -> list[Any]:
        """(id, starts_at, ends_at, status) of the tasks this person is signed up for."""
        return list((await self.session.execute(
            select(Task.id, Task.starts_at, Task.ends_at, Signup.status)
            .join(Signup, Signup.task_id == Task.id)
            .where(Signup.volunteer_id == volunteer_id, Signup.status.in_(ACTIVE_SIGNUPS),
                   Task.status.not_in(ENDED_STATUSES))
        )).all())
