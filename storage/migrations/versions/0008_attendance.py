"""attendance: check-in codes, attendance and hours, and when a task's attendance was written

* checkin_codes (task_id, code): a task's unguessable check-in code (QR code and deep link).
* attendance (task_id, volunteer_id unique): check-in, check-out, the coordinator's hand
  mark, when a held place was given up, the outcome and hours written once the task has
  ended, the approved hours and the volunteer's rating of the task.
* task_closings (task_id): the task's attendance has been written (once).

Revision ID: 0008_attendance
Revises: 0011_stats
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_attendance'
down_revision = '0011_stats'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checkin_codes',
    sa.Column('task_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_checkin_codes_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_checkin_codes')),
    sa.UniqueConstraint('code', name=op.f('uq_checkin_codes_code'))
    )
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mark', sa.String(length=16), nullable=True),
    sa.Column('marked_by', sa.BigInteger(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('hours', sa.Double(), nullable=True),
    sa.Column('approved_hours', sa.Double(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.BigInteger(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_attendance_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_attendance_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('task_id', 'volunteer_id', name='uq_attendance_task_volunteer')
    )
    op.create_index('ix_attendance_volunteer_id', 'attendance', ['volunteer_id'], unique=False)
    op.create_index('ix_attendance_volunteer_outcome', 'attendance', ['volunteer_id', 'outcome'], unique=False)
    op.create_table('task_closings',
    sa.Column('task_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_closings_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_task_closings'))
    )


def downgrade() -> None:
    op.drop_table('task_closings')
    op.drop_index('ix_attendance_volunteer_outcome', table_name='attendance')
    op.drop_index('ix_attendance_volunteer_id', table_name='attendance')
    op.drop_table('attendance')
    op.drop_table('checkin_codes')
