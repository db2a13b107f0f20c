"""Fixtures every test may use; end-to-end fixtures are in tests/e2e/conftest.py.
Nothing here needs Telegram or the internet."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.support.clock import ManualClock
from tests.support.databases import BACKEND, ON_POSTGRESQL, TestDatabases, drop_session_databases


@pytest.fixture
def clock() -> ManualClock:
    # A Monday morning in Almaty (11:00 local).
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))


@pytest.fixture
async def databases(tmp_path: Path) -> AsyncIterator[TestDatabases]:
    """This test's databases (SQLite files, or PostgreSQL when TEST_DATABASE_URL is set)."""
    handed_out = TestDatabases(tmp_path)
    try:
        yield handed_out
    finally:
        await handed_out.close()


@pytest.fixture
async def database_url(databases: TestDatabases) -> str:
    """The URL of this test's migrated database."""
    return await databases.url()


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    yield
    asyncio.run(drop_session_databases())


def pytest_report_header() -> str:
    if ON_POSTGRESQL:
        return f"database backend: {BACKEND} (only the tests that use the per-test databases)"
    return f"database backend: {BACKEND}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run the tests that use a database of this run (the `databases`
    fixture, directly or through `bot`, `database_url`, ...). The rest (static checks,
    the wheel, the emulator, rules without I/O, and the few tests about SQLite itself or
    the sandbox's own SQLite file) do the same on either backend: the SQLite run has
    them."""
    if not ON_POSTGRESQL:
        return
    kept = [item for item in items if "databases" in getattr(item, "fixturenames", ())]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
