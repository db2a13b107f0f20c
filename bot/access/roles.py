"""The one place that decides roles and regions.

Rights are checked here, on the server, for every privileged update; hiding buttons is
only a convenience. Admins are everyone in ADMIN_IDS plus those granted the role.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.catalog import REGION_BY_CODE
from bot.domain.people import clean_text
from bot.infra.clock import Clock
from storage.db import Database
from storage.models import Invite, Role
from storage.repositories.audit import AuditRepository
from storage.repositories.invites import InviteRepository
from storage.repositories.roles import RoleRepository

ADMIN = "admin"
COORDINATOR = "coordinator"
ROLES = (ADMIN, COORDINATOR)
INVITE_PREFIX = "inv_"  # deep-link payload: /start inv_<code>
MAX_ORGANISATION_LENGTH = 100


def parse_organisation(text: str) -> str | None:
    """An organisation name: 2..MAX_ORGANISATION_LENGTH characters with a letter, else None."""
    name = clean_text(text)
    if not (2 <= len(name) <= MAX_ORGANISATION_LENGTH) or not any(ch.isalpha() for ch in name):
        return None
    return name


class AccessError(ValueError):
    """A role change that cannot be made (unknown role or region)."""


@dataclass(frozen=True, slots=True)
class UserRoles:
    telegram_id: int
    is_admin: bool = False
    coordinator_regions: frozenset[str] = frozenset()
    organisations: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_coordinator(self) -> bool:
        return self.is_admin or bool(self.coordinator_regions)

    def can_coordinate(self, region: str) -> bool:
        return self.is_admin or region in self.coordinator_regions


@dataclass(frozen=True, slots=True)
class ClaimedInvite:
    region: str
    organisation: str | None


class AccessService:
    def __init__(self, db: Database, clock: Clock, admin_ids: frozenset[int], invite_ttl: timedelta) -> None:
        self.db = db
        self.clock = clock
        self.admin_ids = admin_ids
        self.invite_ttl = invite_ttl

    async def roles_of(self, telegram_id: int) -> UserRoles:
        async with self.db.session() as session:
            rows = await RoleRepository(session).of_user(telegram_id)
        is_admin = telegram_id in self.admin_ids or any(r.role == ADMIN for r in rows)
        coordinating = [r for r in rows if r.role == COORDINATOR]
        return UserRoles(
            telegram_id=telegram_id,
            is_admin=is_admin,
            coordinator_regions=frozenset(r.region for r in coordinating),
            organisations=tuple(dict.fromkeys(r.organisation for r in coordinating if r.organisation)),
        )

    async def grant(
        self,
        telegram_id: int,
        role: str,
        *,
        region: str | None = None,
        organisation: str | None = None,
        granted_by: int | None = None,
    ) -> bool:
        """Grant a role; True if it is new. Coordinators need a region, admins have none."""
        region_key = self._check(role, region)
        async with self.db.session() as session:
            created = await RoleRepository(session).grant(
                telegram_id, role, region_key, organisation=organisation, granted_by=granted_by, now=self.clock.now()
            )
            AuditRepository(session).record(
                at=self.clock.now(),
                actor=granted_by,
                action="role.grant",
                allowed=True,
                target=str(telegram_id),
                details={"role": role, "region": region_key, "organisation": organisation, "new": created},
            )
        return created

    async def revoke(self, telegram_id: int, role: str, *, region: str | None = None, revoked_by: int | None = None) -> int:
        if role not in ROLES:
            raise AccessError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        if region is not None and region not in REGION_BY_CODE:
            raise AccessError(f"unknown region {region!r}; use an ISO 3166-2:KZ code such as KZ-75")
        async with self.db.session() as session:
            removed = await RoleRepository(session).revoke(telegram_id, role, region)
            AuditRepository(session).record(
                at=self.clock.now(),
                actor=revoked_by,
                action="role.revoke",
                allowed=True,
                target=str(telegram_id),
                details={"role": role, "region": region, "removed": removed},
            )
        return removed

    async def all_grants(self) -> list[Role]:
        async with self.db.session() as session:
            return await RoleRepository(session).all()

    async def create_invite(self, admin_id: int, region: str, organisation: str | None = None) -> Invite:
        """A one-time coordinator invite; the caller must already have checked admin rights."""
        self._check(COORDINATOR, region)
        now = self.clock.now()
        invite = Invite(
            code=secrets.token_urlsafe(12),
            role=COORDINATOR,
            region=region,
            organisation=organisation,
            created_by=admin_id,
            created_at=now,
            expires_at=now + self.invite_ttl,
        )
        async with self.db.session() as session:
            InviteRepository(session).add(invite)
            AuditRepository(session).record(
                at=now, actor=admin_id, action="invite.create", allowed=True, target=region,
                details={"organisation": organisation, "expires_at": invite.expires_at.isoformat()},
            )
        return invite

    async def claim_invite(self, code: str, telegram_id: int) -> ClaimedInvite | None:
        """Use an invite: the person becomes a coordinator of its region. None if the code
        is unknown, expired or already used (a second press of the same link changes nothing)."""
        now = self.clock.now()
        async with self.db.session() as session:
            invite = await InviteRepository(session).claim(code, telegram_id, now)
            audit = AuditRepository(session)
            if invite is None:
                audit.record(at=now, actor=telegram_id, action="invite.claim", allowed=False, target=code[:16])
                return None
            await RoleRepository(session).grant(
                telegram_id, invite.role, invite.region, organisation=invite.organisation,
                granted_by=invite.created_by, now=now,
            )
            audit.record(
                at=now, actor=telegram_id, action="invite.claim", allowed=True, target=invite.region,
                details={"invited_by": invite.created_by},
            )
            return ClaimedInvite(region=invite.region, organisation=invite.organisation)

    async def record(self, actor: int | None, action: str, *, allowed: bool, target: str | None = None,
                     details: dict | None = None) -> None:
        async with self.db.session() as session:
            AuditRepository(session).record(
                at=self.clock.now(), actor=actor, action=action, allowed=allowed, target=target, details=details
            )

    async def recent_audit(self, limit: int = 50) -> list:
        async with self.db.session() as session:
            return await AuditRepository(session).recent(limit)

    @staticmethod
    def _check(role: str, region: str | None) -> str:
        if role not in ROLES:
            raise AccessError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        if role == COORDINATOR:
            if not region:
                raise AccessError("a coordinator needs a region, e.g. --region KZ-75")
            if region not in REGION_BY_CODE:
                raise AccessError(f"unknown region {region!r}; use an ISO 3166-2:KZ code such as KZ-75")
            return region
        if region:
            raise AccessError("an admin has every region; do not pass --region")
        return ""
