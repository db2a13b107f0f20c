"""Migration 0006 on a database with broadcasts written before subjects existed: the
task feature's broadcasts get their task as subject (a task that is gone, or another
kind, gets none), the ones with no open message are completed, and a downgrade removes
the columns without losing a row of the queue."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from storage.migrate import alembic_config, upgrade
from tests.support.databases import TestDatabases

BROADCASTS = [
    # id, key, kind, status of its one message (None: no message)
    (1, "task:17:offer", "task_offer", "queued"),  # cards held for the quiet hours
    (2, "task:17:time:0a1b2c3d", "task_change", "sent"),
    (3, "task:17:msg:abc", "task_message", "sending"),
    (4, "task:99:cancel", "task_change", "sent"),  # the task is gone
    (5, "task:17:offer-copy", "callout", "failed"),  # not a task kind
    (6, None, "task_offer", None),  # no key, no message
]


async def test_migration_0006_gives_old_broadcasts_their_subject_and_goes_down_cleanly(databases: TestDatabases) -> None:
    database = await databases.open("old", migrated=False)
    try:
        await upgrade(database, "0005_people_details")
        async with database.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO tasks (id, title, description, direction, region, starts_at, ends_at, slots, taken, "
                "required_skills, min_age, coordinator_telegram_id, status, created_at, updated_at) VALUES "
                "(17, 'Park', '', 'ecology', 'KZ-75', '2026-03-05 05:00:00', '2026-03-05 08:00:00', 5, 0, '[]', "
                "16, 500, 'open', '2026-03-01 00:00:00', '2026-03-01 00:00:00')"))
            for broadcast_id, key, kind, status in BROADCASTS:
                await connection.execute(text(
                    "INSERT INTO delivery_broadcasts (id, key, kind, lane, created_at, total) "
                    "VALUES (:id, :key, :kind, 2, '2026-03-01 00:00:00', :total)"),
                    {"id": broadcast_id, "key": key, "kind": kind, "total": 0 if status is None else 1})
                if status is not None:
                    await connection.execute(text(
                        "INSERT INTO delivery_messages (broadcast_id, lane, chat_id, text, paid, status, attempts, "
                        "next_attempt_at, created_at) VALUES (:id, 2, :chat, 'hi', FALSE, :status, 0, "
                        "'2026-03-01 00:00:00', '2026-03-01 00:00:00')"),
                        {"id": broadcast_id, "chat": 1000 + broadcast_id, "status": status})
        await upgrade(database)
        async with database.engine.begin() as connection:
            rows = (await connection.execute(text(
                "SELECT id, subject_type, subject_id, completed_at IS NOT NULL FROM delivery_broadcasts ORDER BY id"
            ))).all()
        assert [tuple(row) for row in rows] == [
            (1, "task", 17, False),
            (2, "task", 17, True),
            (3, "task", 17, False),
            (4, None, None, True),
            (5, None, None, True),
            (6, None, None, True),
        ]

        def down(connection: object) -> None:
            config = alembic_config(database.url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0005_people_details")

        async with database.engine.begin() as connection:
            await connection.run_sync(down)
            columns = await connection.run_sync(
                lambda sync: {column["name"] for column in inspect(sync).get_columns("delivery_broadcasts")})
            indexes = await connection.run_sync(
                lambda sync: {index["name"] for index in inspect(sync).get_indexes("delivery_broadcasts")})
            messages = (await connection.execute(text("SELECT count(*) FROM delivery_messages"))).scalar()
        assert not columns & {"subject_type", "subject_id", "completed_at"}
        assert "ix_delivery_broadcasts_subject" not in indexes
        assert messages == 5  # nothing lost on the way down
        await upgrade(database)  # and up again
    finally:
        await database.close()
