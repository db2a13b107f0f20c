"""The application as `birge run` starts it: startup duties and a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from emulator import FakeTelegram
from tests.support.databases import ON_POSTGRESQL, TestDatabases
from tests.support.e2e import RunningBot

PROJECT_ROOT = Path(__file__).resolve().parents[2]


async def test_unknown_text_from_a_stranger_gets_a_hint(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(501, language_code="en")
    await user.send_text("hello?")
    reply = await user.wait_for_message()
    assert "/start" in reply.text


async def test_link_previews_are_disabled_with_link_preview_options_only(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(503, language_code="en")
    await user.send_text("/help")
    await user.wait_for_message()
    await user.send_text("/start")
    await user.wait_for_message()
    sends = fake.calls_of("sendMessage")
    assert sends and all(call.params.get("link_preview_options") == {"is_disabled": True} for call in sends)
    assert [call.method for call in fake.calls if "disable_web_page_preview" in call.params] == []


async def test_a_sigterm_stops_the_real_process_cleanly(fake: FakeTelegram, tmp_path: Path,
                                                        databases: TestDatabases) -> None:
    """On a new, empty database: `birge run` migrates it, answers, and stops on SIGTERM."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"BOT_TOKEN", "ADMIN_IDS", "DATABASE_URL", "BOT_API_URL", "DEFAULT_LOCALE"}
    }
    env.update(
        BOT_TOKEN=fake.token,
        BOT_API_URL=fake.base_url,
        DATABASE_URL=await databases.url(migrated=False),
        PYTHONPATH=str(PROJECT_ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with asyncio.timeout(60):
            while not fake.calls_of("getUpdates"):
                await asyncio.sleep(0.05)
        user = fake.user(502, language_code="ru")
        await user.send_text("/help")
        await user.wait_for_message()
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            output, _ = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = output.decode()
    assert process.returncode == 0, log
    assert "Birge is running as @" in log
    assert "Traceback" not in log
    if ON_POSTGRESQL:
        return
    # SQLite: a clean close checkpoints the write-ahead log and removes it.
    assert (tmp_path / "birge.db").exists()
    assert not (tmp_path / "birge.db-wal").exists()
