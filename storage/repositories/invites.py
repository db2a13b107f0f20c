"""One-time invite codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite
from storage.repositories.results import affected_rows


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, invite: Invite) -> None:
        self.session.add(invite)

    async def get(self, code: str) -> Invite | None:
        return await self.session.get(Invite, code)

    async def claim(self, code: str, telegram_id: int, now: datetime) -> Invite | None:
        """Mark an unused, unexpired invite as used by this person, atomically.

        Returns the invite when this call claimed it; None when it is unknown, used or expired.
        """
        result = await self.session.execute(
            update(Invite)
            .where(Invite.code == code, Invite.used_by.is_(None), Invite.expires_at > now)
            .values(used_by=telegram_id, used_at=now)
        )
        if not affected_rows(result):
            return None
        return await self.session.scalar(select(Invite).where(Invite.code == code).execution_options(populate_existing=True))
