"""The database name search (bot/domain/names/stored.py through the repository) finds
exactly the records the in-memory NameIndex finds, on SQLite and on PostgreSQL; and
migration 0013 turns the old blocking keys into the new words and vocabulary."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from benchmarks.names_data import random_person
from bot.domain.names import NameIndex, fold_name, search_keys
from bot.domain.reconnection import RequestStatus
from bot.reconnection.matching import REQUEST, SAFE, add_name, open_requests_named, safe_reports_named
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import ReconnectionRequest, SafeReport
from storage.repositories.reconnection import ReconnectionRepository
from tests.support.databases import TestDatabases

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


def _request(name: str, n: int, status: RequestStatus = RequestStatus.OPEN) -> ReconnectionRequest:
    return ReconnectionRequest(full_name=name, phone=f"+7701{n:07d}", region="KZ-75", language="ru", status=status,
                               attempts=0, next_call_at=NOW, created_at=NOW, updated_at=NOW)


async def test_the_database_finds_what_the_index_finds(databases: TestDatabases) -> None:
    rng = random.Random(11)
    # Few given names and surnames among 400 people: many namesakes and near misses.
    people = [random_person(rng) for _ in range(400)]
    names = [person.written(rng) for person in people]
    names += ["Бекқайыров", "Н. Бекқайыров", "Aigul", "А. Сейітова Нұрланқызы", "Сейітова"]
    db = await databases.open()
    index = NameIndex()
    async with db.session() as session:
        repo = ReconnectionRepository(session)
        for n, name in enumerate(names):
            request = await repo.add_request(_request(name, n))
            await add_name(repo, REQUEST, request.id, fold_name(name))
            index.add(request.id, name)
            # A safe report of another name under the same id: kinds never mix.
            session.add(SafeReport(id=request.id, reporter_id=n, full_name="Айгүл Сейітова", created_at=NOW))
            await session.flush()
            await add_name(repo, SAFE, request.id, fold_name("Айгүл Сейітова"))
    queries = [person.written(rng, typo_rate=0.3) for person in rng.sample(people, 60)]
    queries += [random_person(rng).written(rng) for _ in range(30)]
    queries += [people[0].surname, f"{people[1].given[0]}. {people[1].surname}", "Нұрсұлтан Бекқайыров",
                "Бекқайыров Н.", "Айгүл", "Сейітова А.", "Айгүл Сейітова Нұрланқызы", "!!!"]
    compared = 0
    async with db.read() as session:
        repo = ReconnectionRepository(session)
        for query in queries:
            found = {request.id for request in await open_requests_named(repo, fold_name(query))}
            expected = {hit.record_id for hit in index.search(query)}
            assert found == expected, query
            compared += bool(expected)
    assert compared >= 60  # most queries find someone: the equality is not between empty sets


async def test_closed_requests_and_other_regions_are_left_out(databases: TestDatabases) -> None:
    db = await databases.open()
    async with db.session() as session:
        repo = ReconnectionRepository(session)
        for n, status in enumerate((RequestStatus.OPEN, RequestStatus.SAFE, RequestStatus.CLAIMED)):
            request = await repo.add_request(_request("Жанар Бекова", n, status))
            await add_name(repo, REQUEST, request.id, fold_name("Жанар Бекова"))
    async with db.read() as session:
        repo = ReconnectionRepository(session)
        assert [r.status for r in await open_requests_named(repo, fold_name("Zhanar Bekova"))] == [
            RequestStatus.OPEN, RequestStatus.CLAIMED]
        assert await open_requests_named(repo, fold_name("Zhanar Bekova"), "KZ-71") == []


async def test_safe_reports_named_are_not_erased_and_fit_the_region(databases: TestDatabases) -> None:
    """The search of a new request among the safe reports: a report in its region or in
    none fits, one in another region or erased does not, and requests never come up."""
    db = await databases.open()
    async with db.session() as session:
        repo = ReconnectionRepository(session)
        for n, (region, erased) in enumerate((("KZ-75", False), (None, False), ("KZ-23", False), ("KZ-75", True))):
            report = SafeReport(reporter_id=n, full_name="Жанар Бекова", region=region, created_at=NOW,
                                erased_at=NOW if erased else None)
            session.add(report)
            await session.flush()
            await add_name(repo, SAFE, report.id, fold_name("Жанар Бекова"))
        request = await repo.add_request(_request("Жанар Бекова", 9))
        await add_name(repo, REQUEST, request.id, fold_name("Жанар Бекова"))
    async with db.read() as session:
        repo = ReconnectionRepository(session)
        found = await safe_reports_named(repo, fold_name("Zhanar Bekova"), "KZ-75")
        assert sorted((r.region or "", r.erased_at is None) for r in found) == [("", True), ("KZ-75", True)]
        assert [r.region for r in await safe_reports_named(repo, fold_name("Zhanar Bekova"), "KZ-71")] == [None]
        assert await safe_reports_named(repo, fold_name("Aigerim Bekova"), "KZ-75") == []


async def test_migration_0013_turns_the_keys_into_words_and_back(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(database, "0012_walkins")
        async with database.engine.begin() as connection:
            for n, name in enumerate(("Айгүл Сейітова", "Нұрсұлтан Бекқайыров"), start=1):
                await connection.execute(text(
                    "INSERT INTO reconnection_requests (id, full_name, phone, region, language, elderly, medical, "
                    "status, attempts, next_call_at, created_at, updated_at) VALUES (:id, :name, '+77015550000', "
                    "'KZ-75', 'ru', 0, 0, 'open', 0, :now, :now, :now)"), {"id": n, "name": name, "now": NOW})
                for key in search_keys(name):
                    await connection.execute(text("INSERT INTO reconnection_name_keys (kind, key, record_id) "
                                                  "VALUES ('request', :key, :id)"), {"key": key, "id": n})
        await upgrade(database)
        async with database.read() as session:
            found = await open_requests_named(ReconnectionRepository(session), fold_name("Aigul Seitova"))
        assert [request.id for request in found] == [1]

        def downgrade(connection: object) -> list[str]:
            config = alembic_config(database.url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0012_walkins")
            return inspect(connection).get_table_names()

        async with database.engine.begin() as connection:
            tables = await connection.run_sync(downgrade)
            keys = (await connection.execute(text(
                "SELECT count(*) FROM reconnection_name_keys WHERE record_id = 2"))).scalar_one()
        assert "reconnection_name_words" not in tables and "reconnection_name_keys" in tables
        assert keys == len(search_keys("Нұрсұлтан Бекқайыров"))
    finally:
        await database.close()
