"""Audit log of privileged actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        *,
        at: datetime,
        actor: int | None,
        action: str,
        allowed: bool,
        target: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            AuditEntry(at=at, actor_telegram_id=actor, action=action, allowed=allowed, target=target, details=details or {})
        )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        result = await self.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return list(result)
