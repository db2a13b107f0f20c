"""Declaring and closing emergencies, and which are active for a person.

Rights are checked here too (the handlers refuse politely first): an admin, or a
coordinator of every affected region. Every declaration and close, allowed or refused,
is in the audit log. Closing is announced (emergency lane) to everyone who said they
were coming to one of its call-outs; closing its call-outs (stand-down and hours) is
the call-out feature's part, done by the caller first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiogram import html
from aiogram.utils.i18n import I18n

from bot.access.roles import UserRoles
from bot.domain.catalog import REGION_BY_CODE, REGIONS
from bot.domain.delivery import DeliveryLane
from bot.domain.emergencies import MAX_NAME_LENGTH, MAX_NOTES_LENGTH, MIN_NAME_LENGTH, EmergencyStatus
from bot.domain.people import clean_text
from bot.domain.subjects import Subject, SubjectType
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.infra.delivery.outbox import after_commit
from storage.db import Database
from storage.models import Emergency
from storage.repositories.audit import AuditRepository
from storage.repositories.emergencies import EmergencyRepository

CLOSED_KIND = "emergency_closed"


def parse_name(text: str) -> str | None:
    value = clean_text(text or "")
    return value if MIN_NAME_LENGTH <= len(value) <= MAX_NAME_LENGTH else None


def parse_notes(text: str) -> str | None:
    value = (text or "").strip()
    return value if 1 <= len(value) <= MAX_NOTES_LENGTH else None


def regions_of(roles: UserRoles) -> list[str]:
    """The regions this person may declare an emergency for, in catalog order."""
    return [r.code for r in REGIONS if roles.is_admin or r.code in roles.coordinator_regions]


@dataclass(frozen=True, slots=True)
class Closed:
    emergency: Emergency
    announced: int  # people told it is over


class EmergencyService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, delivery: DeliveryService) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.delivery = delivery
        # Called once a declaration or a close is committed (the menus read them again).
        self.on_change: Callable[[], None] | None = None

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def declare(self, actor: int, roles: UserRoles, name: str, regions: list[str],
                      notes: str) -> Emergency | None:
        """None (and a refusal in the audit log) when a region is not theirs or unknown."""
        now = self.clock.now()
        allowed = bool(regions) and all(r in REGION_BY_CODE and roles.can_coordinate(r) for r in regions)
        async with self.db.session() as session:
            audit = AuditRepository(session)
            if not allowed:
                audit.record(at=now, actor=actor, action="emergency.declare", allowed=False,
                             target=",".join(regions)[:200])
                return None
            emergency = await EmergencyRepository(session).add(Emergency(
                name=name, regions=list(dict.fromkeys(regions)), safety_notes=notes, status=EmergencyStatus.ACTIVE,
                declared_by=actor, declared_at=now))
            audit.record(at=now, actor=actor, action="emergency.declare", allowed=True, target=str(emergency.id),
                         details={"name": name, "regions": emergency.regions})
            after_commit(session, self._changed)
            return emergency

    async def get(self, emergency_id: int) -> Emergency | None:
        async with self.db.read() as session:
            return await EmergencyRepository(session).get(emergency_id)

    async def active_in(self, regions: list[str] | set[str] | frozenset[str]) -> list[Emergency]:
        async with self.db.read() as session:
            return await EmergencyRepository(session).active_in(regions)

    async def active_for(self, telegram_id: int, roles: UserRoles) -> list[Emergency]:
        """Active emergencies of the person's regions: where they volunteer, and where they
        coordinate (every one for an admin)."""
        async with self.db.read() as session:
            repo = EmergencyRepository(session)
            if roles.is_admin:
                return await repo.active()
            home = await repo.home_region(telegram_id)
            regions = set(roles.coordinator_regions) | ({home} if home else set())
            return await repo.active_in(regions) if regions else []

    def may_manage(self, emergency: Emergency, roles: UserRoles) -> bool:
        return roles.is_admin or any(roles.can_coordinate(region) for region in emergency.regions)

    async def close(self, emergency_id: int, actor: int, roles: UserRoles) -> Closed | None:
        """None when it is not active any more, or not theirs (refusal audited)."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = EmergencyRepository(session)
            emergency = await repo.get(emergency_id)
            audit = AuditRepository(session)
            if emergency is None or not self.may_manage(emergency, roles):
                audit.record(at=now, actor=actor, action="emergency.close", allowed=False, target=str(emergency_id))
                return None
            if not await repo.close(emergency_id, actor, now):
                return None
            audit.record(at=now, actor=actor, action="emergency.close", allowed=True, target=str(emergency_id))
            after_commit(session, self._changed)
            people = await repo.participants(emergency_id)
            messages = [OutgoingMessage(row.telegram_id, self._over_text(emergency, row.locale), None, row.id)
                        for row in people]
            if messages:
                await self.delivery.add_broadcast(
                    session, CLOSED_KIND, DeliveryLane.EMERGENCY, actor, messages, title=emergency.name,
                    key=f"emergency:{emergency_id}:closed", subject=Subject(SubjectType.EMERGENCY, emergency_id))
                self.delivery.wake_after_commit(session, DeliveryLane.EMERGENCY)
            await session.refresh(emergency)
            return Closed(emergency, len(messages))

    def _over_text(self, emergency: Emergency, locale: str | None) -> str:
        locale = locale or self.i18n.default_locale
        return "🏁 " + self.i18n.gettext(
            "The emergency “{name}” is over. Thank you for coming when you were needed!", locale=locale,
        ).format(name=html.quote(emergency.name))


__all__ = ["CLOSED_KIND", "Closed", "EmergencyService", "parse_name", "parse_notes", "regions_of"]
