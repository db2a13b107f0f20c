"""the task's life: reminders, coordinators' notices and digests, confirmations

* reminders: one row per sign-up and kind (day before, 2 hours before) with its due
  time and state; unique (signup_id, kind), so nothing is ever sent twice.
* task_notices: one row per task and kind (6 hours before: who has not confirmed).
* coordinator_digests: one row per coordinator and local day (the 08:00 digest).
* signups.confirmed_at: "Yes, I'm coming" on a reminder.
* delivery_messages.venue: a queued location pin (sendVenue), for the 2-hours reminder.
* tasks: indexes (status, starts_at) and (status, ends_at) for the job that moves
  tasks to started and done ("started" is a new status value; statuses are plain strings).

Revision ID: 0007_task_life
Revises: 0010_reconnection
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_task_life'
down_revision = '0010_reconnection'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('signup_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('planned_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['signup_id'], ['signups.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('signup_id', 'kind', name='uq_reminders_signup_kind'),
    )
    op.create_index('ix_reminders_state_due', 'reminders', ['state', 'due_at'], unique=False)
    op.create_index('ix_reminders_task_id', 'reminders', ['task_id'], unique=False)
    op.create_table(
        'task_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('planned_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('task_id', 'kind', name='uq_task_notices_task_kind'),
    )
    op.create_index('ix_task_notices_state_due', 'task_notices', ['state', 'due_at'], unique=False)
    op.create_table(
        'coordinator_digests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('coordinator_telegram_id', sa.BigInteger(), nullable=False),
        sa.Column('day', sa.String(length=10), nullable=False),
        sa.Column('tasks', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('coordinator_telegram_id', 'day', name='uq_coordinator_digests_day'),
    )
    op.add_column('signups', sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('delivery_messages', sa.Column('venue', sa.JSON(), nullable=True))
    op.create_index('ix_tasks_status_starts', 'tasks', ['status', 'starts_at'], unique=False)
    op.create_index('ix_tasks_status_ends', 'tasks', ['status', 'ends_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tasks_status_ends', table_name='tasks')
    op.drop_index('ix_tasks_status_starts', table_name='tasks')
    # In place on both backends (a batch copy of signups would cascade-delete reminders).
    op.execute("ALTER TABLE signups DROP COLUMN confirmed_at")
    op.execute("ALTER TABLE delivery_messages DROP COLUMN venue")
    op.drop_table('coordinator_digests')
    op.drop_index('ix_task_notices_state_due', table_name='task_notices')
    op.drop_table('task_notices')
    op.drop_index('ix_reminders_task_id', table_name='reminders')
    op.drop_index('ix_reminders_state_due', table_name='reminders')
    op.drop_table('reminders')
    # Tasks left "started" were open or full before this revision knew the status.
    op.execute("UPDATE tasks SET status = CASE WHEN taken >= slots THEN 'full' ELSE 'open' END "
               "WHERE status = 'started'")
