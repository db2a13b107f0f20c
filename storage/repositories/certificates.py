"""Certificates of hours: the rows, the same one issued before, lookup by code (the
figures are FiguresRepository.approved)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Certificate


class CertificateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def same(self, volunteer_id: int, period: str, hours: float, tasks: int, level: str,
                   full_name: str) -> Certificate | None:
        """A valid certificate already issued with exactly these figures and name."""
        found = await self.session.scalars(
            select(Certificate).where(Certificate.volunteer_id == volunteer_id, Certificate.period == period,
                                      Certificate.tasks == tasks, Certificate.level == level,
                                      Certificate.full_name == full_name, Certificate.voided_at.is_(None))
            .order_by(Certificate.issued_at))
        return next((row for row in found if abs(row.hours - hours) < 0.005), None)

    async def add(self, certificate: Certificate) -> None:
        self.session.add(certificate)
        await self.session.flush()

    async def exists(self, code: str) -> bool:
        return await self.session.get(Certificate, code) is not None

    async def by_code(self, code: str) -> Certificate | None:
        return await self.session.get(Certificate, code)

    async def of_volunteer(self, volunteer_id: int) -> list[Certificate]:
        return list(await self.session.scalars(
            select(Certificate).where(Certificate.volunteer_id == volunteer_id).order_by(Certificate.issued_at)))


__all__ = ["CertificateRepository"]
