"""walk-ins: check-in scans by people without a confirmed place

* walk_ins (task_id, volunteer_id unique): when a registered volunteer who was not
  signed up opened the task's check-in link, and the coordinator's decision (pending,
  accepted - then marked present in attendance -, dismissed), by whom and when.

Revision ID: 0012_walkins
Revises: 0009_emergencies
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_walkins'
down_revision = '0009_emergencies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('walk_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_walk_ins_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_walk_ins_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_walk_ins')),
    sa.UniqueConstraint('task_id', 'volunteer_id', name='uq_walk_ins_task_volunteer')
    )
    op.create_index(op.f('ix_walk_ins_volunteer_id'), 'walk_ins', ['volunteer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_walk_ins_volunteer_id'), table_name='walk_ins')
    op.drop_table('walk_ins')
