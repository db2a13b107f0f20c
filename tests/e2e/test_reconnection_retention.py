"""Retention counted from the emergency's close: phones and messages of requests and
"I'm safe" reports made while an emergency was active in their region are erased
RECONNECTION_RETENTION_DAYS after it closes; with no emergency, that long after the
request closes. Time moved with the injected clock."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.reconnection.requests import NewRequest
from storage.models import ReconnectionRequest, SafeReport
from tests.support.callouts import declare
from tests.support.clock import ManualClock
from tests.support.e2e import RunningBot

ADMIN = 695_000


async def _request(bot: RunningBot, requester: int, region: str, phone: str) -> int:
    created = await bot.services.requests.create(requester, "ru", NewRequest(
        full_name=f"Person {requester}", phone=phone, region=region, language="ru", message="Позвоните маме"))
    assert created.request_id is not None
    [mine] = await bot.services.requests.mine(requester)
    assert await bot.services.requests.withdraw(mine.ask.id, requester)  # closed now
    return created.request_id


async def _erased(bot: RunningBot) -> set[str]:
    async with bot.services.db.sessionmaker() as session:
        requests = list(await session.scalars(select(ReconnectionRequest)))
        reports = list(await session.scalars(select(SafeReport)))
    for request in requests:
        assert (request.phone is None) == (request.erased_at is not None)
    return ({r.full_name for r in requests if r.erased_at is not None}
            | {r.full_name for r in reports if r.erased_at is not None})


async def test_retention_waits_for_the_emergency_of_the_region_to_close(
    bot: RunningBot, clock: ManualClock
) -> None:
    await bot.services.access.grant(ADMIN, "coordinator", region="KZ-75")
    emergency = await declare(bot, ADMIN, regions=("KZ-75",))
    await _request(bot, 695_001, "KZ-75", "+77015551001")  # during the emergency, in its region
    await _request(bot, 695_002, "KZ-71", "+77015551002")  # another region: no emergency there
    await bot.services.safe.report(695_003, "Safe Almaty", "Медеу", "KZ-75", "+77015551003", "Всё хорошо")
    await bot.services.safe.report(695_004, "Safe Astana", "Астана", "KZ-71", None, "Всё хорошо")

    clock.advance(timedelta(days=29))
    assert await bot.services.retention.erase_due() == 0
    clock.advance(timedelta(days=1, minutes=1))
    # 30 days after closing: only what no emergency holds.
    assert await bot.services.retention.erase_due() == 2
    assert await _erased(bot) == {"Person 695002", "Safe Astana"}

    clock.advance(timedelta(days=10))  # day 40: still active, still kept
    assert await bot.services.retention.erase_due() == 0
    roles = await bot.services.access.roles_of(ADMIN)
    assert await bot.services.emergencies.close(emergency.id, ADMIN, roles) is not None
    # A request made after the close counts from its own close again.
    clock.advance(timedelta(days=5))  # day 45
    await _request(bot, 695_005, "KZ-75", "+77015551005")

    clock.advance(timedelta(days=24, hours=23))  # day 70 minus an hour: 30 days after the close not yet
    assert await bot.services.retention.erase_due() == 0
    clock.advance(timedelta(hours=1, minutes=1))
    assert await bot.services.retention.erase_due() == 2
    assert await _erased(bot) == {"Person 695002", "Safe Astana", "Person 695001", "Safe Almaty"}

    clock.advance(timedelta(days=4, hours=23))  # day 75 minus an hour
    assert await bot.services.retention.erase_due() == 0
    clock.advance(timedelta(hours=1))
    assert await bot.services.retention.erase_due() == 1
    assert "Person 695005" in await _erased(bot)


async def test_a_request_still_open_when_the_emergency_closed_counts_from_its_own_close(
    bot: RunningBot, clock: ManualClock
) -> None:
    await bot.services.access.grant(ADMIN, "coordinator", region="KZ-75")
    emergency = await declare(bot, ADMIN, regions=("KZ-75",))
    created = await bot.services.requests.create(695_010, "ru", NewRequest(
        full_name="Person 695010", phone="+77015551010", region="KZ-75", language="ru"))
    assert created.request_id is not None
    roles = await bot.services.access.roles_of(ADMIN)
    assert await bot.services.emergencies.close(emergency.id, ADMIN, roles) is not None
    clock.advance(timedelta(days=10))
    [mine] = await bot.services.requests.mine(695_010)
    assert await bot.services.requests.withdraw(mine.ask.id, 695_010)  # closed 10 days after the emergency
    clock.advance(timedelta(days=29))
    assert await bot.services.retention.erase_due() == 0  # 39 days after the emergency, 29 after the request
    clock.advance(timedelta(days=1, minutes=1))
    assert await bot.services.retention.erase_due() == 1
