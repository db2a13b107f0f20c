"""PostgreSQL for the benchmarks (`--database-url`): the same SQLite file the benchmark
seeds, moved into a PostgreSQL database of its own with the project's own
`storage/copy.py` (what `birge copy-database` does), then ANALYZE.

The database named in the URL is created by the benchmark and dropped at its end; one
that exists already is refused (never a database of somebody else's: `test`, the
suite's `birge_t_*`), so a run cannot empty what it did not create.

    python -m benchmarks.matching_bench --volunteers 300000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/birge_bench
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import URL, make_url

from storage.copy import copy_database
from storage.db import Database
from storage.migrate import upgrade

T = TypeVar("T")


def bench_url(raw: str) -> URL:
    """The URL, checked: PostgreSQL, and a database name a benchmark may create and drop."""
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        raise SystemExit(f"--database-url must be a postgresql+asyncpg:// URL, not {url.get_backend_name()}")
    name = url.database or ""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in ("postgres", "test") or name.startswith("birge_t_"):
        raise SystemExit(f"--database-url: the benchmark creates and drops its database; {name!r} is not one it may "
                         "use (try .../birge_bench)")
    return url.set(drivername="postgresql+asyncpg")


async def _admin(url: URL, statement: str, database: str = "postgres") -> list[object]:
    """One statement outside a transaction, on the server's `postgres` database or another."""
    import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

    dsn = url.set(drivername="postgresql", database=database).render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        return list(await connection.fetch(statement))
    finally:
        await connection.close()


@asynccontextmanager
async def copied_to_postgres(sqlite_path: Path, raw_url: str) -> AsyncIterator[str]:
    """Create the database, migrate it, copy the seeded SQLite file into it, ANALYZE;
    yield its URL; drop it at the end (whatever happened)."""
    url = bench_url(raw_url)
    name = str(url.database)
    if await _admin(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        raise SystemExit(f"database {name} exists already: the benchmark creates its own (drop it, or name another)")
    await _admin(url, f'CREATE DATABASE "{name}"')
    text_url = url.render_as_string(hide_password=False)
    try:
        target = Database(text_url)
        source = Database(f"sqlite+aiosqlite:///{sqlite_path}")
        try:
            await upgrade(target)
            await upgrade(source)  # as `birge copy-database` does (a kept file may be older)
            started = time.perf_counter()
            copied = await copy_database(source, target)
            seconds = time.perf_counter() - started
            print(f"copied {sum(copied.values()):,} rows of {len(copied)} tables into PostgreSQL with storage/copy.py "
                  f"(birge copy-database) in {seconds:.1f} s ({sum(copied.values()) / seconds:,.0f} rows/s)")
        finally:
            await source.close()
            await target.close()
        # What autovacuum would do soon after a copy: the planner's statistics, and the
        # visibility map that lets covering indexes answer without reading the table.
        started = time.perf_counter()
        await _admin(url, "VACUUM ANALYZE", database=name)
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
        yield text_url
    finally:
        await _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def measure_on(sqlite_path: Path, database_url: str | None, measure: Callable[[str], Awaitable[T]]) -> T:
    """`measure(url)` on the seeded SQLite file, or with `database_url` on its copy in
    PostgreSQL."""
    if database_url is None:
        return await measure(f"sqlite+aiosqlite:///{sqlite_path}")
    async with copied_to_postgres(sqlite_path, database_url) as url:
        return await measure(url)
