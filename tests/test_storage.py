"""Storage: migrations, the DB-backed FSM storage and the volunteer service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from bot.clock import ManualClock
from bot.fsm_storage import DatabaseStorage
from bot.volunteers import PhoneTakenError, Registration, VolunteerService
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base, Volunteer, VolunteerStatus


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    await upgrade(database)
    yield database
    await database.close()


def registration(**overrides: object) -> Registration:
    values: dict[str, object] = {
        "full_name": "Айгүл Нұрланқызы",
        "phone": "+77011234567",
        "birth_year": 1995,
        "region": "KZ-75",
        "locale": "kk",
        "city": "Алматы",
        "directions": ["health", "ecology"],
        "skills": ["medical"],
        "availability": ["weekends"],
    }
    values.update(overrides)
    return Registration(**values)  # type: ignore[arg-type]


async def test_migrations_match_the_models(db: Database) -> None:
    async with db.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert diff == []


async def test_sqlite_pragmas_are_set_on_every_connection(db: Database) -> None:
    async with db.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 10_000


async def test_upgrade_is_idempotent(db: Database) -> None:
    await upgrade(db)
    async with db.engine.connect() as connection:
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_fsm_state_and_data_survive_a_new_storage(db: Database, clock: ManualClock) -> None:
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    storage = DatabaseStorage(db, clock)
    await storage.set_state(key, "Registration:phone")
    await storage.update_data(key, {"full_name": "<b>&", "directions": ["health"]})
    again = DatabaseStorage(db, clock)  # as after a restart
    assert await again.get_state(key) == "Registration:phone"
    assert await again.get_data(key) == {"full_name": "<b>&", "directions": ["health"]}
    await again.set_state(key, None)
    await again.set_data(key, {})
    assert await again.get_state(key) is None
    assert await again.get_data(key) == {}
    async with db.sessionmaker() as session:
        assert (await session.execute(text("SELECT count(*) FROM fsm_records"))).scalar() == 0


async def test_register_then_update_pause_resume_delete(db: Database, clock: ManualClock) -> None:
    service = VolunteerService(db, clock)
    result = await service.register(10, registration())
    assert not result.linked_to_import
    volunteer = await service.get(10)
    assert volunteer is not None
    assert sorted(volunteer.directions) == ["ecology", "health"]
    assert volunteer.languages == ["kk"]
    assert volunteer.consent_at == clock.now()

    await service.update(10, full_name="Aigul N.", directions=["education", "bogus"])
    volunteer = await service.get(10)
    assert volunteer.full_name == "Aigul N."
    assert volunteer.directions == ["education"]

    await service.pause(10, clock.now() + timedelta(days=7))
    assert (await service.get(10)).status == VolunteerStatus.PAUSED
    clock.advance(days=8)
    assert (await service.get(10)).status == VolunteerStatus.ACTIVE  # lapsed pause lifted

    assert await service.delete(10)
    assert await service.get(10) is None
    async with db.sessionmaker() as session:
        row = (await session.scalars(select(Volunteer))).one()
    assert (row.full_name, row.phone, row.telegram_id, row.city) == (None, None, None, None)
    assert row.status == VolunteerStatus.DELETED
    assert row.region == "KZ-75" and row.directions == ["education"]

    # The same person can register again: a new record, the anonymous one stays.
    await service.register(10, registration())
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Volunteer)) == 2


async def test_registration_links_an_imported_record_by_phone(db: Database, clock: ManualClock) -> None:
    async with db.session() as session:
        session.add(
            Volunteer(full_name="Imported", phone="+77011234567", region="KZ-71", source="import",
                      status=VolunteerStatus.ACTIVE, created_at=clock.now(), updated_at=clock.now(), hours=12.5)
        )
    service = VolunteerService(db, clock)
    result = await service.register(10, registration())
    assert result.linked_to_import
    async with db.sessionmaker() as session:
        rows = list(await session.scalars(select(Volunteer)))
    assert len(rows) == 1
    assert rows[0].telegram_id == 10 and rows[0].hours == 12.5 and rows[0].region == "KZ-75"


async def test_a_phone_of_another_account_is_refused(db: Database, clock: ManualClock) -> None:
    service = VolunteerService(db, clock)
    await service.register(10, registration())
    assert await service.phone_taken_by_other(11, "+77011234567")
    with pytest.raises(PhoneTakenError):
        await service.register(11, registration())


async def test_concurrent_writers_do_not_fail_with_locked_database(db: Database, clock: ManualClock) -> None:
    service = VolunteerService(db, clock)
    await asyncio.gather(*(service.register(100 + i, registration(phone=f"+7701555{i:04d}")) for i in range(40)))
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Volunteer)) == 40
