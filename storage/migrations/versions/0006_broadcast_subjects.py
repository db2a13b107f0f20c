"""broadcast subjects: what a broadcast is about, and when it completed

* delivery_broadcasts.subject_type, subject_id: what the broadcast is about (task 17;
  later a call-out or a reconnection request), set by whoever enqueues it and indexed,
  so a feature finds its broadcasts without reading keys (keys stay idempotency keys).
* delivery_broadcasts.completed_at: when every message reached its end and the
  delivery engine published "broadcast finished" (finished_at stays the moment the
  coordinator's progress message said so).

Broadcasts written before this revision name their task only in their key
("task:<id>:offer", "task:<id>:cancel", ...). They are given their subject here, once,
so that cancelling a task still withdraws cards held for the quiet hours and the
progress message of an unfinished broadcast still shows "accepted so far". This is the
last place that reads a key. Broadcasts with no open message are marked completed.

Plain SQL both backends run (SQLite and PostgreSQL); no table is copied.

Revision ID: 0006_broadcast_subjects
Revises: 0005_people_details
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_broadcast_subjects'
down_revision = '0005_people_details'
branch_labels = None
depends_on = None

# The task feature's broadcast kinds and the shape of their keys before subjects existed.
TASK_KINDS = ('task_offer', 'task_change', 'task_message')
TASK_KEY_PREFIX = 'task:'

broadcasts = sa.table(
    'delivery_broadcasts',
    sa.column('id', sa.Integer), sa.column('key', sa.String), sa.column('kind', sa.String),
    sa.column('subject_type', sa.String), sa.column('subject_id', sa.Integer),
)
tasks = sa.table('tasks', sa.column('id', sa.Integer))


def upgrade() -> None:
    op.add_column('delivery_broadcasts', sa.Column('subject_type', sa.String(length=32), nullable=True))
    op.add_column('delivery_broadcasts', sa.Column('subject_id', sa.Integer(), nullable=True))
    op.add_column('delivery_broadcasts', sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_delivery_broadcasts_subject', 'delivery_broadcasts', ['subject_type', 'subject_id'],
                    unique=False)
    _subjects_from_old_keys()
    op.execute(
        "UPDATE delivery_broadcasts SET completed_at = COALESCE(finished_at, created_at) "
        "WHERE NOT EXISTS (SELECT 1 FROM delivery_messages m WHERE m.broadcast_id = delivery_broadcasts.id "
        "AND m.status IN ('queued', 'sending'))"
    )


def _subjects_from_old_keys() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(broadcasts.c.id, broadcasts.c.key)
        .where(broadcasts.c.kind.in_(TASK_KINDS), broadcasts.c.key.like(TASK_KEY_PREFIX + '%'))
    ).all()
    task_of: dict[int, int] = {}
    for broadcast_id, key in rows:
        number = key[len(TASK_KEY_PREFIX):].partition(':')[0]
        if number.isdigit():
            task_of[broadcast_id] = int(number)
    known: set[int] = set()
    wanted = sorted(set(task_of.values()))
    for start in range(0, len(wanted), 500):
        known.update(bind.execute(sa.select(tasks.c.id).where(tasks.c.id.in_(wanted[start:start + 500]))).scalars())
    updates = [{'b_id': broadcast_id, 'b_task': task_id} for broadcast_id, task_id in task_of.items()
               if task_id in known]
    if updates:
        bind.execute(
            broadcasts.update().where(broadcasts.c.id == sa.bindparam('b_id'))
            .values(subject_type='task', subject_id=sa.bindparam('b_task')),
            updates,
        )


def downgrade() -> None:
    op.drop_index('ix_delivery_broadcasts_subject', table_name='delivery_broadcasts')
    # Both backends drop a column in place (SQLite 3.35+); a batch copy of the table
    # would delete the queue's rows through their ON DELETE CASCADE.
    for column in ('completed_at', 'subject_id', 'subject_type'):
        op.execute(f"ALTER TABLE delivery_broadcasts DROP COLUMN {column}")
