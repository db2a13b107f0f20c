"""Alembic environment. The application runs migrations itself on start
(`storage.migrate.upgrade`), handing a live connection in `config.attributes`;
the `alembic` command line works too, with DATABASE_URL or sqlalchemy.url."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

from storage.backends import create_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copes
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online_async() -> None:
    url = os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Set DATABASE_URL (or sqlalchemy.url in alembic.ini) to say which database to migrate.")
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_configure_and_run)
    await engine.dispose()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
    else:
        asyncio.run(_run_online_async())


if context.is_offline_mode():
    run_offline()
else:
    run_online()
