"""End-to-end fixtures: `fake` (the Bot API emulator) and `bot` (the application as
`birge run` wires it, talking to `fake`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from emulator import FakeTelegram
from tests.support.clock import ManualClock
from tests.support.e2e import ADMIN_ID, RunningBot, make_settings


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram, database_url: str, clock: ManualClock) -> AsyncIterator[RunningBot]:
    running = RunningBot(make_settings(fake, database_url, admin_ids=frozenset({ADMIN_ID})), clock, fake=fake)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def paced_bot(fake: FakeTelegram, database_url: str, clock: ManualClock) -> AsyncIterator[RunningBot]:
    """The bot at Telegram's pace, against a fake that enforces Telegram's flood limits
    (about 1 message a second per chat after a short burst, 30 a second overall)."""
    fake.enforce_telegram_limits()
    running = RunningBot(make_settings(fake, database_url, admin_ids=frozenset({ADMIN_ID})), clock, telegram_pace=True, fake=fake)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
