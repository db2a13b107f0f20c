"""What a person's menu depends on, read in one go: chosen language, registration,
granted roles, and what was last shown to them (kept as a chat record of its own,
next to the chat's dialog state, under the FSM key the caller passes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.emergencies import EmergencyStatus
from storage.models import Emergency, Role
from storage.repositories.fsm import FsmRepository
from storage.repositories.who import WhoRepository


@dataclass(frozen=True, slots=True)
class MenuFacts:
    locale: str | None  # the language the person chose, if any
    registered: bool
    roles: tuple[str, ...]  # granted roles (admin, coordinator), without ADMIN_IDS
    shown: dict[str, Any] = field(default_factory=dict)  # what was last set for the chat
    own_regions: frozenset[str] = frozenset()  # where they volunteer and where they coordinate
    emergency_regions: frozenset[str] = frozenset()  # regions of the active emergencies (MenuService)


class MenuRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def facts(self, telegram_id: int, record_key: str) -> MenuFacts:
        who = await WhoRepository(self.session).who(telegram_id)  # shared with the other middlewares
        grants = (await self.session.execute(
            select(Role.role, Role.region).where(Role.telegram_id == telegram_id))).all()
        record = await FsmRepository(self.session).get(record_key)
        own = {region for _role, region in grants if region}
        if who.registered and who.region:
            own.add(who.region)
        return MenuFacts(
            locale=who.locale,
            registered=who.registered,
            roles=tuple(sorted({role for role, _region in grants})),
            shown=dict(record.data) if record is not None else {},
            own_regions=frozenset(own),
        )

    async def active_emergency_regions(self) -> frozenset[str]:
        """The regions of every active emergency (MenuService keeps them a few seconds)."""
        emergencies = await self.session.scalars(
            select(Emergency.regions).where(Emergency.status == EmergencyStatus.ACTIVE))
        return frozenset(region for regions in emergencies for region in regions or ())

    async def remember(self, record_key: str, shown: dict[str, Any], now: datetime) -> None:
        await FsmRepository(self.session).set_data(record_key, shown, now)
