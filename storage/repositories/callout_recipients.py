"""Who may receive a call-out, in SQL: registered, active (a lapsed pause included),
reachable, 18 or older, in the given regions, with every required skill, not invited to
this call-out yet; optionally only those whose directions include emergencies (wave 1)
or only those whose do not (wave 2). Each row says whether the person chose "any time
for emergencies" (the night rule is applied by the service) and carries the ordering
keys (relevant skills, attended, no-shows)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.signups import SignupStatus
from bot.domain.volunteers import VolunteerStatus
from storage.models import CalloutAnswer, Signup, Volunteer, VolunteerDirection, VolunteerSkill


@dataclass(frozen=True, slots=True)
class RecipientQuery:
    callout_id: int | None  # those already invited to it are left out
    regions: Sequence[str]
    max_birth_year: int
    required_skills: Sequence[str]
    relevant_skills: Sequence[str]
    emergency_direction: bool | None  # True: has it; False: has not; None: either
    direction_code: str = "emergency"
    any_time_code: str = "emergency"


class CalloutRecipientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def recipients(self, query: RecipientQuery, now: datetime) -> list[Any]:
        """Rows: id, telegram_id, locale, region, any_time, skill_score, attended, no_show."""
        v = Volunteer

        def count(statement: Any, name: str) -> Any:
            return func.coalesce(statement.correlate(v).scalar_subquery(), 0).label(name)

        any_time = cast(v.availability, Text).like(f'%"{query.any_time_code}"%').label("any_time")
        statement = select(
            v.id, v.telegram_id, v.locale, v.region, any_time,
            count(select(func.count()).select_from(VolunteerSkill).where(
                VolunteerSkill.volunteer_id == v.id,
                VolunteerSkill.code.in_(list(query.relevant_skills) or [""])), "skill_score"),
            count(select(func.count()).select_from(Signup).where(
                Signup.volunteer_id == v.id, Signup.status == SignupStatus.ATTENDED), "attended"),
            count(select(func.count()).select_from(Signup).where(
                Signup.volunteer_id == v.id, Signup.status == SignupStatus.NO_SHOW), "no_show"),
        ).where(
            v.region.in_(list(query.regions)),
            or_(v.status == VolunteerStatus.ACTIVE,
                and_(v.status == VolunteerStatus.PAUSED, v.paused_until.is_not(None), v.paused_until <= now)),
            v.consent_at.is_not(None),
            v.telegram_id.is_not(None),
            v.birth_year.is_not(None),
            v.birth_year <= query.max_birth_year,
        )
        has_direction = exists().where(VolunteerDirection.volunteer_id == v.id,
                                       VolunteerDirection.code == query.direction_code)
        if query.emergency_direction is True:
            statement = statement.where(has_direction)
        elif query.emergency_direction is False:
            statement = statement.where(~has_direction)
        for code in dict.fromkeys(query.required_skills):
            statement = statement.where(exists().where(VolunteerSkill.volunteer_id == v.id,
                                                       VolunteerSkill.code == code))
        if query.callout_id is not None:
            statement = statement.where(~exists().where(CalloutAnswer.callout_id == query.callout_id,
                                                        CalloutAnswer.volunteer_id == v.id))
        return list((await self.session.execute(statement)).all())
