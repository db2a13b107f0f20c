"""Storage: migrations, the DB-backed FSM storage and the volunteer service."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
from aiogram.fsm.storage.base import StorageKey
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from bot.domain.volunteers import VolunteerStatus
from bot.infra.fsm_storage import DatabaseStorage
from bot.volunteers.service import PhoneTakenError, Registration, VolunteerService
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import Base, Volunteer
from tests.support.clock import ManualClock
from tests.support.databases import ON_POSTGRESQL, TestDatabases


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


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
        "languages": ["kk", "ru"],
    }
    values.update(overrides)
    return Registration(**values)  # type: ignore[arg-type]  # test values of mixed types


async def test_migrations_match_the_models(db: Database) -> None:
    async with db.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert diff == []


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's own settings (WAL, pragmas): PostgreSQL has none of them")
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
    assert volunteer.languages == ["kk", "ru"]
    assert volunteer.consent_at == clock.now()

    await service.update(10, full_name="Aigul N.", directions=["education", "bogus"], languages=["uz", "xx", "kk"])
    volunteer = await service.get(10)
    assert volunteer.full_name == "Aigul N."
    assert volunteer.directions == ["education"]
    assert volunteer.languages == ["kk", "uz"]  # ISO 639-1 codes only

    await service.pause(10, clock.now() + timedelta(days=7))
    assert (await service.get(10)).status == VolunteerStatus.PAUSED
    clock.advance(days=8)
    assert (await service.get(10)).status == VolunteerStatus.ACTIVE  # lapsed pause lifted

    assert await service.delete(10)
    assert await service.get(10) is None
    async with db.sessionmaker() as session:
        row = (await session.scalars(select(Volunteer))).one()
    assert (row.full_name, row.phone, row.telegram_id, row.city) == (None, None, None, None)
    assert row.languages == []
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


async def test_a_minors_guardian_is_stored_with_the_consent_and_erased_with_the_data(
    db: Database, clock: ManualClock
) -> None:
    service = VolunteerService(db, clock)
    await service.register(
        20,
        registration(birth_year=2011, guardian_consent=True, guardian_name="Сәуле Серікова", guardian_phone="+77017770011"),
    )
    volunteer = await service.get(20)
    assert (volunteer.guardian_name, volunteer.guardian_phone, volunteer.guardian_consent_at) == (
        "Сәуле Серікова", "+77017770011", clock.now()
    )
    await service.update(20, guardian_name="Ерлан Серіков", guardian_phone="+77017770022")
    assert (await service.get(20)).guardian_phone == "+77017770022"
    # An adult's registration keeps no guardian, whatever the dialog had.
    await service.register(21, registration(phone="+77011110000", guardian_name="X Y", guardian_phone="+77011110001"))
    assert (await service.get(21)).guardian_name is None
    await service.delete(20)
    async with db.sessionmaker() as session:
        row = await session.scalar(select(Volunteer).where(Volunteer.birth_year.is_(None)))
    assert (row.guardian_name, row.guardian_phone, row.guardian_consent_at) == (None, None, None)


async def test_migration_0005_moves_spoken_languages_into_rows(databases: TestDatabases) -> None:
    """A database at 0004 with languages in a JSON column: after 0005 they are rows, the
    region trigger of 0004 still works, and a downgrade puts them back."""
    database = await databases.open("old", migrated=False)
    try:
        await upgrade(database, "0004")
        async with database.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO volunteers (id, languages, availability, status, source, hours, created_at, updated_at, region) "
                "VALUES (1, '[\"kk\", \"ru\"]', '[]', 'active', 'bot', 0, '2026-01-01', '2026-01-01', 'KZ-75'), "
                "(2, '[]', '[]', 'active', 'bot', 0, '2026-01-01', '2026-01-01', 'KZ-71')"
            ))
            await connection.execute(text("INSERT INTO volunteer_directions (volunteer_id, code) VALUES (1, 'health')"))
        await upgrade(database)
        async with database.engine.begin() as connection:
            rows = (await connection.execute(text("SELECT volunteer_id, code FROM volunteer_languages ORDER BY 1, 2"))).all()
            assert [tuple(r) for r in rows] == [(1, "kk"), (1, "ru")]
            await connection.execute(text("UPDATE volunteers SET region = 'KZ-79' WHERE id = 1"))
            region = (await connection.execute(text("SELECT region FROM volunteer_directions"))).scalar()
            assert region == "KZ-79"  # the 0004 trigger survived the column drop

        def down(connection: object) -> None:
            config = alembic_config(database.url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")

        async with database.engine.begin() as connection:
            await connection.run_sync(down)
            languages = (await connection.execute(text("SELECT languages FROM volunteers WHERE id = 1"))).scalar()
            # SQLite hands the JSON text back, asyncpg decodes a json column itself.
            assert sorted(json.loads(languages) if isinstance(languages, str) else languages) == ["kk", "ru"]
    finally:
        await database.close()
