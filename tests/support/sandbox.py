"""The sandbox (`birge sandbox`) started in the test's event loop on a free port, with
its own database in the test's folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.cli.sandbox import Sandbox, SandboxOptions
from bot.config import Settings


def production_settings(tmp_path: Path) -> Settings:
    """What `birge run` would use on this machine (its database is not the sandbox's)."""
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'birge.db'}")  # type: ignore[call-arg]  # pydantic-settings' own argument


@asynccontextmanager
async def running_sandbox(tmp_path: Path, **options: Any) -> AsyncIterator[Sandbox]:
    values: dict[str, Any] = {"database": tmp_path / "sandbox.db", "port": 0, "telegram_pace": False}
    values.update(options)
    sandbox = Sandbox(SandboxOptions(**values), production_settings(tmp_path))
    try:
        await sandbox.start()
        yield sandbox
    finally:
        await sandbox.stop()
