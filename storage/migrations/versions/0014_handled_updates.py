"""handled updates: the webhook's update ids in the database when there is no Redis

* handled_updates (update_id primary key, seen_at indexed): a `birge web` process
  without REDIS_URL remembers here the ids of the updates it took, so one Telegram
  delivers again (a retry) is handled once, also after a restart; rows older than a day
  are deleted by the scheduler job "forget-handled-updates".

Revision ID: 0014_handled_updates
Revises: 0013_name_words
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_handled_updates'
down_revision = '0013_name_words'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handled_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_handled_updates'))
    )
    op.create_index(op.f('ix_handled_updates_seen_at'), 'handled_updates', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_handled_updates_seen_at'), table_name='handled_updates')
    op.drop_table('handled_updates')
