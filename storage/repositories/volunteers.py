"""Volunteers and their directions and skills."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.statistics import age_band
from bot.domain.volunteers import VolunteerStatus
from storage.models import Certificate, ErasedVolunteer, Volunteer
from storage.repositories.results import affected_rows


class VolunteerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Volunteer | None:
        return await self.session.scalar(select(Volunteer).where(Volunteer.telegram_id == telegram_id))

    async def by_phone(self, phone: str) -> Volunteer | None:
        return await self.session.scalar(select(Volunteer).where(Volunteer.phone == phone))

    async def by_id(self, volunteer_id: int) -> Volunteer | None:
        return await self.session.get(Volunteer, volunteer_id)

    def add(self, volunteer: Volunteer) -> Volunteer:
        self.session.add(volunteer)
        return volunteer

    async def flush(self) -> None:
        await self.session.flush()

    async def erase_personal_data(self, volunteer: Volunteer, now: datetime) -> None:
        """Forget who the person is; keep anonymous figures (region, directions, skills, hours).

        The statistics count the person from now on from an anonymous record written here,
        in the same transaction (region, directions, age band, interface language, when
        they registered and left), so past figures stay as they were."""
        if volunteer.status != VolunteerStatus.DELETED:
            self.session.add(ErasedVolunteer(
                region=volunteer.region, age_band=age_band(volunteer.birth_year, now.year),
                locale=volunteer.locale, source=volunteer.source, registered_at=volunteer.created_at,
                erased_at=now, directions=volunteer.directions))
        # Certificates of hours keep no name and are void from now on (verification says so).
        await self.session.execute(
            update(Certificate).where(Certificate.volunteer_id == volunteer.id)
            .values(full_name=None, voided_at=func.coalesce(Certificate.voided_at, now))
            .execution_options(synchronize_session=False))
        volunteer.full_name = None
        volunteer.phone = None
        volunteer.telegram_id = None
        volunteer.city = None
        volunteer.birth_year = None
        volunteer.languages = []
        volunteer.guardian_name = None
        volunteer.guardian_phone = None
        volunteer.guardian_consent_at = None
        volunteer.locale = None
        volunteer.paused_until = None
        volunteer.status = VolunteerStatus.DELETED
        volunteer.deleted_at = now
        volunteer.updated_at = now

    async def change_status(self, *, volunteer_id: int | None = None, telegram_id: int | None = None,
                            from_status: VolunteerStatus, to_status: VolunteerStatus, now: datetime) -> bool:
        """from_status -> to_status for one volunteer (by id, else Telegram id); False if
        the volunteer is not in from_status."""
        query = update(Volunteer).where(Volunteer.status == from_status)
        if volunteer_id is not None:
            query = query.where(Volunteer.id == volunteer_id)
        elif telegram_id is not None:
            query = query.where(Volunteer.telegram_id == telegram_id)
        else:
            return False
        result = await self.session.execute(query.values(status=to_status, updated_at=now))
        return bool(affected_rows(result))
