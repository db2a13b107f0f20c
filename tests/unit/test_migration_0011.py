"""Migration 0011 on a database with volunteers erased before it: each gets its
anonymous record (region, directions, registration and erasure times; the age band and
language were already gone), the statistics count them, and a new erasure after it gets
an id of its own; a downgrade removes the tables and indexes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import inspect, text

from bot.stats.periods import Period
from bot.stats.service import StatsService
from bot.volunteers.service import VolunteerService
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from tests.support.clock import ManualClock

ROWS = [
    # id, telegram_id, region, status, created_at, deleted_at
    (1, 7001, "KZ-75", "active", "2026-01-10 06:00:00.000000", None),
    (2, None, "KZ-75", "deleted", "2026-01-11 06:00:00.000000", "2026-05-01 06:00:00.000000"),
    (3, None, "KZ-71", "deleted", "2026-02-11 06:00:00.000000", "2026-08-01 06:00:00.000000"),
]


async def test_migration_0011_keeps_the_erased_in_the_figures(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(database, "0006_broadcast_subjects")
        async with database.engine.begin() as connection:
            for volunteer_id, telegram_id, region, status, created, deleted in ROWS:
                await connection.execute(text(
                    "INSERT INTO volunteers (id, telegram_id, region, availability, status, source, hours, "
                    "created_at, updated_at, deleted_at, birth_year, locale) VALUES (:id, :tg, :region, '[]', "
                    ":status, 'bot', 0, :created, :created, :deleted, :year, :locale)"),
                    {"id": volunteer_id, "tg": telegram_id, "region": region, "status": status, "created": created,
                     "deleted": deleted, "year": 1990 if status == "active" else None,
                     "locale": "kk" if status == "active" else None})
                await connection.execute(text(
                    "INSERT INTO volunteer_directions (volunteer_id, code) VALUES (:id, 'health')"),
                    {"id": volunteer_id})
        await upgrade(database)
        async with database.engine.begin() as connection:
            records = (await connection.execute(text(
                "SELECT id, region, age_band, locale, registered_at, erased_at FROM erased_volunteers ORDER BY id"
            ))).all()
            directions = (await connection.execute(text(
                "SELECT record_id, code FROM erased_volunteer_directions ORDER BY record_id"))).all()
        assert [tuple(row)[:4] for row in records] == [(2, "KZ-75", None, None), (3, "KZ-71", None, None)]
        assert [tuple(row) for row in directions] == [(2, "health"), (3, "health")]

        clock = ManualClock(datetime(2026, 9, 1, 6, 0, tzinfo=timezone.utc))
        stats = StatsService(database, clock, ZoneInfo("Asia/Almaty"))
        first_half = await stats.compute(None, Period(date(2026, 1, 1), date(2026, 6, 30)))
        volunteers = {figure.key: figure.value for figure in first_half.section("volunteers").figures}
        # 1 and 3 were on record on 30 June (3 was erased in August); all three are new.
        assert (volunteers["registered"], volunteers["new"]) == (2, 3)
        assert await VolunteerService(database, clock).delete(7001)
        async with database.engine.begin() as connection:
            ids = (await connection.execute(text("SELECT id FROM erased_volunteers ORDER BY id"))).scalars().all()
        assert ids == [2, 3, 4]
        again = await stats.compute(None, Period(date(2026, 1, 1), date(2026, 6, 30)))
        assert again.sections == first_half.sections

        def down(connection: object) -> None:
            config = alembic_config(database.url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0006_broadcast_subjects")

        async with database.engine.begin() as connection:
            await connection.run_sync(down)
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            indexes = await connection.run_sync(
                lambda sync: {ix["name"] for table in ("signups", "volunteers") for ix in inspect(sync).get_indexes(table)})
            volunteers = (await connection.execute(text("SELECT count(*) FROM volunteers"))).scalar()
        assert "erased_volunteers" not in tables and "erased_volunteer_directions" not in tables
        assert not indexes & {"ix_signups_created", "ix_volunteers_stats"}
        assert volunteers == 3
        await upgrade(database)  # and up again
    finally:
        await database.close()
