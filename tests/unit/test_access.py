"""AccessService on a real database: roles, regions, invites, and the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.access.roles import (
    ADMIN,
    COORDINATOR,
    MAX_ORGANISATION_LENGTH,
    AccessError,
    AccessService,
    UserRoles,
    parse_organisation,
)
from storage.db import Database
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases

ENV_ADMIN = 111
ADMIN_IDS = frozenset({ENV_ADMIN})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


@pytest.fixture
def access(db: Database, clock: ManualClock) -> AccessService:
    return AccessService(db, clock, ADMIN_IDS, timedelta(hours=48))


async def audit_rows(access: AccessService) -> list:
    return list(reversed(await access.recent_audit(1000)))  # oldest first


async def test_nobody_has_a_role_by_default(access: AccessService) -> None:
    roles = await access.roles_of(5)
    assert roles == UserRoles(telegram_id=5)
    assert not roles.is_admin and not roles.is_coordinator
    assert not roles.can_coordinate("KZ-75")


async def test_admin_ids_are_admins_without_a_row(access: AccessService) -> None:
    roles = await access.roles_of(ENV_ADMIN)
    assert roles.is_admin and roles.is_coordinator
    assert roles.can_coordinate("KZ-75") and roles.can_coordinate("KZ-27")
    assert await access.all_grants() == []


async def test_grant_and_revoke_admin(access: AccessService) -> None:
    assert await access.grant(7, ADMIN, granted_by=ENV_ADMIN) is True
    assert await access.grant(7, ADMIN, granted_by=ENV_ADMIN) is False  # idempotent
    assert (await access.roles_of(7)).is_admin
    assert [(g.telegram_id, g.role, g.region) for g in await access.all_grants()] == [(7, ADMIN, "")]

    assert await access.revoke(7, ADMIN, revoked_by=ENV_ADMIN) == 1
    assert not (await access.roles_of(7)).is_admin
    assert await access.revoke(7, ADMIN) == 0


async def test_coordinator_in_two_regions(access: AccessService) -> None:
    await access.grant(8, COORDINATOR, region="KZ-75", organisation="Red Crescent")
    await access.grant(8, COORDINATOR, region="KZ-71")
    roles = await access.roles_of(8)
    assert roles.is_coordinator and not roles.is_admin
    assert roles.coordinator_regions == {"KZ-75", "KZ-71"}
    assert roles.organisations == ("Red Crescent",)
    assert roles.can_coordinate("KZ-75") and roles.can_coordinate("KZ-71")
    assert not roles.can_coordinate("KZ-79")

    # Revoking one region keeps the other; revoking without a region removes all.
    assert await access.revoke(8, COORDINATOR, region="KZ-75") == 1
    roles = await access.roles_of(8)
    assert roles.coordinator_regions == {"KZ-71"} and roles.organisations == ()
    await access.grant(8, COORDINATOR, region="KZ-79")
    assert await access.revoke(8, COORDINATOR) == 2
    assert not (await access.roles_of(8)).is_coordinator


async def test_granting_again_updates_the_organisation(access: AccessService) -> None:
    await access.grant(9, COORDINATOR, region="KZ-75")
    assert await access.grant(9, COORDINATOR, region="KZ-75", organisation="Birge Almaty") is False
    assert (await access.roles_of(9)).organisations == ("Birge Almaty",)


@pytest.mark.parametrize(
    ("role", "region", "message"),
    [
        ("owner", None, "unknown role"),
        (COORDINATOR, None, "needs a region"),
        (COORDINATOR, "KZ-99", "unknown region"),
        (COORDINATOR, "kz-75", "unknown region"),  # codes are upper case; the CLI upper-cases
        (ADMIN, "KZ-75", "every region"),
    ],
)
async def test_invalid_grants_are_refused(access: AccessService, role: str, region: str | None, message: str) -> None:
    with pytest.raises(AccessError, match=message):
        await access.grant(10, role, region=region)
    assert await access.all_grants() == []
    assert await access.recent_audit() == []


async def test_invalid_revokes_are_refused(access: AccessService) -> None:
    with pytest.raises(AccessError, match="unknown role"):
        await access.revoke(10, "owner")
    with pytest.raises(AccessError, match="unknown region"):
        await access.revoke(10, COORDINATOR, region="KZ-00")


async def test_grants_and_revokes_are_audited(access: AccessService) -> None:
    await access.grant(12, COORDINATOR, region="KZ-75", organisation="Org", granted_by=ENV_ADMIN)
    await access.revoke(12, COORDINATOR, region="KZ-75", revoked_by=ENV_ADMIN)
    grant, revoke = await audit_rows(access)
    assert (grant.actor_telegram_id, grant.action, grant.allowed, grant.target) == (ENV_ADMIN, "role.grant", True, "12")
    assert grant.details["region"] == "KZ-75" and grant.details["organisation"] == "Org" and grant.details["new"]
    assert (revoke.action, revoke.allowed, revoke.details["removed"]) == ("role.revoke", True, 1)


async def test_a_refusal_is_written_to_the_audit_log(access: AccessService, clock: ManualClock) -> None:
    await access.record(42, "admin.menu", allowed=False, details={"text": "/admin"})
    (row,) = await audit_rows(access)
    assert (row.actor_telegram_id, row.action, row.allowed, row.at) == (42, "admin.menu", False, clock.now())
    assert row.details == {"text": "/admin"}


async def test_invite_is_claimed_once(access: AccessService, clock: ManualClock) -> None:
    invite = await access.create_invite(ENV_ADMIN, "KZ-75", "Birge <Almaty> & Co")
    assert invite.expires_at == clock.now() + timedelta(hours=48)
    assert len(invite.code) >= 16 and invite.code.replace("-", "").replace("_", "").isalnum()

    claimed = await access.claim_invite(invite.code, 20)
    assert claimed is not None and claimed.region == "KZ-75" and claimed.organisation == "Birge <Almaty> & Co"
    roles = await access.roles_of(20)
    assert roles.coordinator_regions == {"KZ-75"} and roles.organisations == ("Birge <Almaty> & Co",)
    (grant,) = await access.all_grants()
    assert grant.granted_by == ENV_ADMIN

    # The same person again, and somebody else: both refused, nothing changes.
    assert await access.claim_invite(invite.code, 20) is None
    assert await access.claim_invite(invite.code, 21) is None
    assert not (await access.roles_of(21)).is_coordinator
    assert len(await access.all_grants()) == 1

    rows = await audit_rows(access)
    assert [(r.action, r.allowed, r.actor_telegram_id) for r in rows] == [
        ("invite.create", True, ENV_ADMIN),
        ("invite.claim", True, 20),
        ("invite.claim", False, 20),
        ("invite.claim", False, 21),
    ]
    assert rows[1].target == "KZ-75" and rows[1].details == {"invited_by": ENV_ADMIN}


async def test_invite_expires(access: AccessService, clock: ManualClock) -> None:
    invite = await access.create_invite(ENV_ADMIN, "KZ-71")
    clock.advance(hours=47, minutes=59)
    fresh = await access.create_invite(ENV_ADMIN, "KZ-79")
    clock.advance(minutes=2)  # 48 h and 1 min after the first one
    assert await access.claim_invite(invite.code, 30) is None
    assert not (await access.roles_of(30)).is_coordinator
    assert await access.claim_invite(fresh.code, 30) is not None
    assert (await access.roles_of(30)).coordinator_regions == {"KZ-79"}


async def test_unknown_invite_code_is_refused(access: AccessService) -> None:
    assert await access.claim_invite("no-such-code", 31) is None
    (row,) = await audit_rows(access)
    assert (row.action, row.allowed, row.target) == ("invite.claim", False, "no-such-code")


async def test_invite_needs_a_known_region(access: AccessService) -> None:
    with pytest.raises(AccessError, match="unknown region"):
        await access.create_invite(ENV_ADMIN, "KZ-00")


async def test_two_invites_add_two_regions(access: AccessService) -> None:
    first = await access.create_invite(ENV_ADMIN, "KZ-75")
    second = await access.create_invite(ENV_ADMIN, "KZ-19", "Org")
    assert first.code != second.code
    await access.claim_invite(first.code, 40)
    await access.claim_invite(second.code, 40)
    roles = await access.roles_of(40)
    assert roles.coordinator_regions == {"KZ-75", "KZ-19"} and roles.organisations == ("Org",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Red   Crescent ", "Red Crescent"),
        ("Қазақстан Қызыл Жарты Ай", "Қазақстан Қызыл Жарты Ай"),
        ("<b>&", "<b>&"),  # kept as typed; escaped wherever it is shown
        ("<&> 123", None),  # no letters
        ("A", None),
        ("12345", None),
        ("x" * MAX_ORGANISATION_LENGTH, "x" * MAX_ORGANISATION_LENGTH),
        ("x" * (MAX_ORGANISATION_LENGTH + 1), None),
    ],
)
def test_parse_organisation(text: str, expected: str | None) -> None:
    assert parse_organisation(text) == expected
