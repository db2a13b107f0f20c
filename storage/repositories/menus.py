"""What a person's menu depends on, read in one go: chosen language, registration,
granted roles, and what was last shown to them (kept as a chat record of its own,
next to the chat's dialog state, under the FSM key the caller passes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Role
from storage.repositories.fsm import FsmRepository
from storage.repositories.who import WhoRepository


@dataclass(frozen=True, slots=True)
class MenuFacts:
    locale: str | None  # the language the person chose, if any
    registered: bool
    roles: tuple[str, ...]  # granted roles (admin, coordinator), without ADMIN_IDS
    shown: dict[str, Any] = field(default_factory=dict)  # what was last set for the chat


class MenuRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def facts(self, telegram_id: int, record_key: str) -> MenuFacts:
        who = await WhoRepository(self.session).who(telegram_id)  # shared with the other middlewares
        roles = await self.session.scalars(select(Role.role).where(Role.telegram_id == telegram_id).distinct())
        record = await FsmRepository(self.session).get(record_key)
        return MenuFacts(
            locale=who.locale,
            registered=who.registered,
            roles=tuple(sorted(roles)),
            shown=dict(record.data) if record is not None else {},
        )

    async def remember(self, record_key: str, shown: dict[str, Any], now: datetime) -> None:
        await FsmRepository(self.session).set_data(record_key, shown, now)
