"""Shared fixtures. End-to-end tests get `bot` (the running application) and `fake`
(the fake Telegram Bot API it talks to); nothing here needs Telegram or the internet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.fakeapi import FakeTelegram
from tests.e2e_support import RunningBot, make_settings

ADMIN_ID = 900_001


@pytest.fixture
def clock() -> ManualClock:
    # A Monday morning in Almaty (11:00 local).
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "birge.db"


@pytest.fixture
async def bot(fake: FakeTelegram, db_path: Path, clock: ManualClock) -> AsyncIterator[RunningBot]:
    running = RunningBot(make_settings(fake, db_path, admin_ids=frozenset({ADMIN_ID})), clock, fake=fake)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def paced_bot(fake: FakeTelegram, db_path: Path, clock: ManualClock) -> AsyncIterator[RunningBot]:
    """The bot at Telegram's pace, against a fake that enforces Telegram's flood limits
    (about 1 message a second per chat after a short burst, 30 a second overall)."""
    fake.enforce_telegram_limits()
    running = RunningBot(make_settings(fake, db_path, admin_ids=frozenset({ADMIN_ID})), clock, telegram_pace=True, fake=fake)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
