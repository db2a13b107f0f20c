"""Fixtures every test may use; end-to-end fixtures are in tests/e2e/conftest.py.
Nothing here needs Telegram or the internet."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.support.clock import ManualClock
from tests.support.databases import BACKEND, TestDatabases, drop_session_databases


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
    return f"database backend: {BACKEND}"
