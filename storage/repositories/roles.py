"""Granted roles (admin, coordinator per region)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Role
from storage.repositories.results import affected_rows


class RoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, telegram_id: int) -> list[Role]:
        result = await self.session.scalars(select(Role).where(Role.telegram_id == telegram_id).order_by(Role.id))
        return list(result)

    async def coordinators_of(self, region: str) -> list[int]:
        """Telegram ids of the coordinators of `region`, once each."""
        result = await self.session.scalars(
            select(Role.telegram_id).where(Role.role == "coordinator", Role.region == region)
            .distinct().order_by(Role.telegram_id)
        )
        return list(result)

    async def all(self) -> list[Role]:
        result = await self.session.scalars(select(Role).order_by(Role.telegram_id, Role.role, Role.region))
        return list(result)

    async def grant(
        self,
        telegram_id: int,
        role: str,
        region: str,
        *,
        organisation: str | None,
        granted_by: int | None,
        now: datetime,
    ) -> bool:
        """Grant; False if that exact grant already existed (its organisation is updated)."""
        existing = await self.session.scalar(
            select(Role).where(Role.telegram_id == telegram_id, Role.role == role, Role.region == region)
        )
        if existing is not None:
            if organisation is not None:
                existing.organisation = organisation
            return False
        self.session.add(
            Role(
                telegram_id=telegram_id,
                role=role,
                region=region,
                organisation=organisation,
                granted_by=granted_by,
                created_at=now,
            )
        )
        return True

    async def revoke(self, telegram_id: int, role: str, region: str | None = None) -> int:
        """Revoke a role (in one region, or everywhere when region is None); returns rows removed."""
        query = delete(Role).where(Role.telegram_id == telegram_id, Role.role == role)
        if region is not None:
            query = query.where(Role.region == region)
        result = await self.session.execute(query)
        return affected_rows(result)
