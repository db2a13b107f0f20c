"""The unit of work (storage/db.py): inside one, reads and writes share one session;
reads take no write lock; a write holds SQLite's write lock until the unit of work
commits; after-commit hooks run after that commit and never after a rollback; outside
one, `session()` commits at the end of its block as before."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.infra.delivery.outbox import after_commit
from storage.db import Database, current_unit_of_work
from storage.migrate import upgrade
from storage.models import TelegramUser
from tests.support.clock import ManualClock


def may_write_now(path: Path) -> bool:
    """Could another process take the write lock at once?"""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


async def users(db: Database) -> int:
    """Committed rows, as another process sees them (a plain read: no lock to wait for)."""
    assert db.engine.url.database is not None
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        return int(other.execute("SELECT count(*) FROM telegram_users").fetchone()[0])
    finally:
        other.close()


@pytest.fixture
async def db(tmp_path: Path):  # noqa: ANN201
    # SQLite's locks are what these tests are about (the suite's PostgreSQL run included).
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'uow.db'}")
    await upgrade(database)
    yield database
    await database.close()


async def test_reads_take_no_write_lock_and_a_write_holds_it_until_the_commit(
        db: Database, tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "uow.db"
    committed: list[str] = []
    async with db.unit_of_work() as uow:
        async with db.read() as session:
            assert session is uow.session
            assert await session.scalar(select(func.count()).select_from(TelegramUser)) == 0
        assert may_write_now(path)  # a read transaction is open, without the write lock
        async with db.session() as session:
            assert session is uow.session
            session.add(TelegramUser(telegram_id=1, locale="kk", created_at=clock.now(), last_seen_at=clock.now()))
            after_commit(session, lambda: committed.append("hook"))
        assert uow.writing and not may_write_now(path)
        assert committed == [] and await users(db) == 0  # not committed at the end of the block
        async with db.read() as session:  # reads after the write see it (same transaction)
            assert await session.scalar(select(func.count()).select_from(TelegramUser)) == 1
    assert committed == ["hook"] and await users(db) == 1 and may_write_now(path)


async def test_an_error_rolls_the_unit_of_work_back_and_no_hook_runs(db: Database, clock: ManualClock) -> None:
    committed: list[str] = []
    with pytest.raises(RuntimeError):
        async with db.unit_of_work():
            async with db.session() as session:
                session.add(TelegramUser(telegram_id=2, locale="ru", created_at=clock.now(), last_seen_at=clock.now()))
                after_commit(session, lambda: committed.append("hook"))
            raise RuntimeError("the handler failed")
    assert committed == [] and await users(db) == 0


async def test_commit_before_a_reply_then_reads_go_on(db: Database, clock: ManualClock) -> None:
    async with db.unit_of_work() as uow:
        async with db.session() as session:
            session.add(TelegramUser(telegram_id=3, locale="en", created_at=clock.now(), last_seen_at=clock.now()))
        await uow.commit()  # what CommitBeforeSending does before a request goes out
        assert await users(db) == 1 and not uow.writing
        async with db.read() as session:
            assert await session.scalar(select(TelegramUser.locale)) == "en"


async def test_outside_a_unit_of_work_each_block_is_its_own(db: Database, clock: ManualClock) -> None:
    assert current_unit_of_work() is None
    async with db.session() as session:
        session.add(TelegramUser(telegram_id=4, locale="kk", created_at=clock.now(), last_seen_at=clock.now()))
    assert await users(db) == 1  # committed at the end of the block


async def test_a_task_spawned_in_an_update_does_not_share_its_session(db: Database) -> None:
    async with db.unit_of_work() as uow:
        assert current_unit_of_work() is uow
        async def elsewhere() -> object:
            return current_unit_of_work()

        assert await asyncio.create_task(elsewhere()) is None


async def test_a_failed_write_is_rolled_back_and_the_update_reads_on(db: Database, clock: ManualClock) -> None:
    async with db.session() as session:
        session.add(TelegramUser(telegram_id=5, locale="kk", created_at=clock.now(), last_seen_at=clock.now()))
    async with db.unit_of_work() as uow:
        with pytest.raises(IntegrityError):  # raised by the block, where a caller can catch it
            async with db.session() as session:
                session.add(TelegramUser(telegram_id=5, locale="ru", created_at=clock.now(), last_seen_at=clock.now()))
        assert not uow.writing
        async with db.read() as session:
            assert await session.scalar(select(TelegramUser.locale)) == "kk"
    assert await users(db) == 1
