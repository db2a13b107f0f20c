"""Copy a whole database into another (an SQLite file into PostgreSQL when a front office
scales out): every table of the models, in the order foreign keys need, in batches, into
an empty target at the same migration; PostgreSQL's id sequences are moved past the
copied ids afterwards."""

from __future__ import annotations

from sqlalchemy import Integer, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database
from storage.models import Base

BATCH = 2000


class CopyError(Exception):
    """The target is not empty, or the two databases are not at the same migration."""


async def _revision(connection: AsyncConnection) -> str | None:
    result = await connection.execute(text("SELECT version_num FROM alembic_version"))
    return result.scalar_one_or_none()


async def copy_database(source: Database, target: Database) -> dict[str, int]:
    """Both already migrated to head. Returns the rows copied per table."""
    tables = Base.metadata.sorted_tables
    copied: dict[str, int] = {}
    async with source.engine.connect() as reader, target.engine.begin() as writer:
        if await _revision(reader) != await _revision(writer):
            raise CopyError("the two databases are at different migrations: run `birge migrate` on both")
        for table in tables:
            if (await writer.execute(select(func.count()).select_from(table))).scalar_one():
                raise CopyError(f"the target is not empty (table {table.name} has rows): copy into a new database")
        for table in tables:
            copied[table.name] = 0
            rows = await reader.stream(select(table))
            async for batch in rows.mappings().partitions(BATCH):
                await writer.execute(table.insert(), [dict(row) for row in batch])
                copied[table.name] += len(batch)
        if writer.dialect.name == "postgresql":
            for table in tables:
                for column in table.primary_key.columns:
                    if isinstance(column.type, Integer) and len(table.primary_key.columns) == 1:
                        await writer.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                            f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 1))"))
    return copied


