"""Fixtures every test may use; end-to-end fixtures are in tests/e2e/conftest.py.
Nothing here needs Telegram or the internet."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.support.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    # A Monday morning in Almaty (11:00 local).
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))
