"""`birge copy-database`: an existing database (the SQLite file) copied whole into a new
one (PostgreSQL when scaling out); here SQLite into SQLite, every table and row."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.domain.delivery import DeliveryLane
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.infra.i18n import make_i18n
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base
from storage.repositories.fsm import FsmRepository


async def fill(url: str) -> dict[str, int]:
    db = Database(url)
    await upgrade(db)
    delivery = DeliveryService(db, Clock(), make_i18n("en"))
    await delivery.enqueue_broadcast("test", DeliveryLane.ROUTINE, None, [OutgoingMessage(n, f"m{n}") for n in range(1, 51)])
    async with db.session() as session:
        await FsmRepository(session).set_state("fsm:1:1", "Registration:name", Clock().now())
    counts = await count(db)
    await db.close()
    return counts


async def count(db: Database) -> dict[str, int]:
    async with db.engine.connect() as connection:
        return {table.name: (await connection.execute(select(func.count()).select_from(table))).scalar_one()
                for table in Base.metadata.sorted_tables}


def run(monkeypatch: pytest.MonkeyPatch, target: str, source: str) -> int:
    monkeypatch.setenv("DATABASE_URL", target)
    with pytest.raises(SystemExit) as exited:
        main(["copy-database", source])
    return int(exited.value.code or 0)


def test_every_row_is_copied_and_a_filled_target_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123456:TEST-TOKEN")
    source = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    target = f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"
    before = asyncio.run(fill(source))
    assert before["delivery_messages"] == 50 and before["fsm_records"] == 1

    assert run(monkeypatch, target, source) == 0
    assert f"Copied {sum(before.values())} rows" in capsys.readouterr().out

    async def after() -> dict[str, int]:
        db = Database(target)
        try:
            return await count(db)
        finally:
            await db.close()

    assert asyncio.run(after()) == before
    assert run(monkeypatch, target, source) == 1
    assert "the target is not empty" in capsys.readouterr().err


def test_a_copy_into_postgresql_continues_its_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where PostgreSQL answers on 127.0.0.1:5432 and asyncpg is installed (extra `scale`)."""
    asyncpg = pytest.importorskip("asyncpg", reason="asyncpg not installed (pip install -e '.[scale]'): copy into PostgreSQL not tried")
    name = f"birge_copy_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/postgres", timeout=3)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as error:
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({error}): copy into PostgreSQL not tried")
    try:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("BOT_TOKEN", "123456:TEST-TOKEN")
        source = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        target = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        before = asyncio.run(fill(source))
        assert run(monkeypatch, target, source) == 0

        async def after() -> tuple[dict[str, int], int]:
            db = Database(target)
            try:
                delivery = DeliveryService(db, Clock(), make_i18n("en"))
                await delivery.enqueue_one(77, "after the copy", lane=DeliveryLane.PERSONAL)  # a new id, no clash
                return await count(db), before["delivery_messages"]
            finally:
                await db.close()

        counts, old = asyncio.run(after())
        assert counts["delivery_messages"] == old + 1
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"'))
