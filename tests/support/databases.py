"""Each test's databases: SQLite files in the test's tmp_path, or, when TEST_DATABASE_URL
names a PostgreSQL server (`postgresql+asyncpg://postgres@127.0.0.1:5432/test`), databases
of their own on that server.

Migrations run once per test session into a template (a SQLite file kept in memory; a
PostgreSQL database). A test's migrated database is a copy of it:
- SQLite: the template's bytes written to the test's file;
- PostgreSQL: the first one a test asks for is this process's working database,
  emptied (every table's rows deleted, sequences restarted: about 0.07 s, where
  CREATE DATABASE ... TEMPLATE and DROP DATABASE cost about 0.5 s); any further or
  unmigrated one is created for the test and dropped after it.
Every PostgreSQL name starts with `birge_t_<pid>_`, so test runs sharing a server do not
meet; the session drops its own at the end, and those of runs whose process is gone."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base

ENV_VAR = "TEST_DATABASE_URL"
PREFIX = "birge_t_"
MINE = f"{PREFIX}{os.getpid()}_"
TEMPLATE = f"{MINE}template"
WORKING = f"{MINE}working"


def _server() -> URL | None:
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        raise RuntimeError(f"{ENV_VAR} must be a postgresql+asyncpg:// URL, not {url.get_backend_name()}")
    return url.set(drivername="postgresql+asyncpg")


SERVER = _server()
ON_POSTGRESQL = SERVER is not None
BACKEND = "postgresql" if ON_POSTGRESQL else "sqlite"

_numbers = itertools.count(1)
_state: dict[str, Any] = {}  # "sqlite_template": bytes, "pg_template": True once migrated


def postgresql_url(database: str) -> str:
    assert SERVER is not None
    return SERVER.set(database=database).render_as_string(hide_password=False)


async def _admin(*statements: str) -> list[Any]:
    """Run statements on the server's own database (TEST_DATABASE_URL's)."""
    import asyncpg

    assert SERVER is not None
    connection = await asyncpg.connect(_dsn(SERVER.database or "postgres"))
    try:
        results = []
        for statement in statements:
            results.append(await connection.fetch(statement))
        return results
    finally:
        await connection.close()


def _dsn(database: str) -> str:
    assert SERVER is not None
    return SERVER.set(drivername="postgresql", database=database).render_as_string(hide_password=False)


def _quoted(name: str) -> str:
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    return f'"{name}"'


async def _create(name: str, *, template: str | None) -> None:
    source = f" TEMPLATE {_quoted(template)}" if template else ""
    # Tests do not need their commits on disk before the reply; the server's other
    # databases keep their own setting.
    await _admin(f"CREATE DATABASE {_quoted(name)}{source}",
                 f"ALTER DATABASE {_quoted(name)} SET synchronous_commit = off")


async def _drop(*names: str) -> None:
    if names:
        await _admin(*(f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)" for name in names))


async def _drop_left_behind() -> None:
    """Databases of earlier runs on this machine whose process is gone."""
    rows = (await _admin(f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"))[0]
    stale = []
    for row in rows:
        match = re.match(rf"{PREFIX}(\d+)_", row["datname"])
        if match is None or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            stale.append(row["datname"])
        except PermissionError:
            pass
    await _drop(*stale)


async def _postgresql_template() -> None:
    if _state.get("pg_template"):
        return
    await _drop_left_behind()
    await _drop(TEMPLATE, WORKING)
    await _create(TEMPLATE, template=None)
    database = Database(postgresql_url(TEMPLATE))
    try:
        await upgrade(database)
    finally:
        await database.close()
    await _create(WORKING, template=TEMPLATE)
    _state["pg_template"] = True


async def _empty_working() -> None:
    """The working database as the template left it: no rows, sequences from 1."""
    import asyncpg

    connection = await asyncpg.connect(_dsn(WORKING))
    try:
        # A connection an earlier test left open must not hold a lock we need.
        await connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        # Children before parents (foreign keys), then every sequence back to 1.
        await connection.execute(
            "".join(f"DELETE FROM {_quoted(table.name)};" for table in reversed(Base.metadata.sorted_tables))
            + "SELECT setval(c.oid, 1, false) FROM pg_class c "
            "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace;"
        )
    finally:
        await connection.close()


async def _sqlite_template(directory: Path) -> bytes:
    if "sqlite_template" not in _state:
        path = directory / "template.db"
        database = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(database)
        finally:
            await database.close()
        _state["sqlite_template"] = path.read_bytes()
        path.unlink()
    data: bytes = _state["sqlite_template"]
    return data


class TestDatabases:
    """The databases of one test (fixture `databases`): `url(name)` is the same database
    for the same name; everything is closed and dropped after the test."""

    __test__ = False  # not a test class

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self._urls: dict[str, str] = {}
        self._created: list[str] = []
        self._opened: list[Database] = []
        self._working_taken = False

    async def url(self, name: str = "birge", *, migrated: bool = True) -> str:
        """A database URL; migrated to the head revision unless `migrated=False` (empty)."""
        if name in self._urls:
            return self._urls[name]
        if not ON_POSTGRESQL:
            path = self.tmp_path / f"{name}.db"
            if migrated:
                path.write_bytes(await _sqlite_template(self.tmp_path))
            url = f"sqlite+aiosqlite:///{path}"
        elif migrated and not self._working_taken:
            await _postgresql_template()
            await _empty_working()
            self._working_taken = True
            url = postgresql_url(WORKING)
        else:
            if migrated:
                await _postgresql_template()
            database = f"{MINE}{next(_numbers)}"
            await _create(database, template=TEMPLATE if migrated else None)
            self._created.append(database)
            url = postgresql_url(database)
        self._urls[name] = url
        return url

    async def open(self, name: str = "birge", *, migrated: bool = True) -> Database:
        """A Database on `url(name)`, closed after the test."""
        database = Database(await self.url(name, migrated=migrated))
        self._opened.append(database)
        return database

    async def close(self) -> None:
        for database in self._opened:
            await database.close()
        self._opened.clear()
        created, self._created = self._created, []
        await _drop(*created)


async def drop_session_databases() -> None:
    """At the end of the session: this process's template and working databases."""
    if ON_POSTGRESQL and _state.get("pg_template"):
        await _drop(WORKING, TEMPLATE)
        _state.pop("pg_template")
