"""statistics: anonymous records of erased volunteers

* erased_volunteers (region, age band, interface language, source, registered_at,
  erased_at) and erased_volunteer_directions (record_id, code): written by /delete_me in
  the same transaction as the erasure, so the figures of a past period do not change
  when someone erases their data. Nothing in them points back at the person.
* ix_volunteers_stats (region, locale, birth_year, status, created_at, paused_until):
  the volunteers grouped by region, language and birth year from the index alone.
* ix_signups_created (created_at, task_id, volunteer_id) on signups: the sign-ups of a
  period, and who made them, read from the index alone.
* Volunteers erased before this revision get their record here, from what their row
  still holds (region, directions, registration and erasure times); their age band and
  language were already erased and stay unknown.

Plain SQL both backends run (SQLite and PostgreSQL).

Revision ID: 0011_stats
Revises: 0006_broadcast_subjects
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_stats'
down_revision = '0006_broadcast_subjects'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('erased_volunteers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=8), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erased_volunteers'))
    )
    op.create_index('ix_erased_volunteers_region_erased', 'erased_volunteers', ['region', 'erased_at'], unique=False)
    op.create_table('erased_volunteer_directions',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['erased_volunteers.id'],
                            name=op.f('fk_erased_volunteer_directions_record_id_erased_volunteers'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'code', name=op.f('pk_erased_volunteer_directions'))
    )
    op.create_index('ix_volunteers_stats', 'volunteers',
                    ['region', 'locale', 'birth_year', 'status', 'created_at', 'paused_until'], unique=False)
    op.create_index('ix_signups_created', 'signups', ['created_at', 'task_id', 'volunteer_id'], unique=False)
    # Volunteers erased before: one record each, numbered like their row (only here, so
    # the directions can follow; records written later get ids of their own).
    op.execute(
        "INSERT INTO erased_volunteers (id, region, age_band, locale, source, registered_at, erased_at) "
        "SELECT id, region, NULL, NULL, source, created_at, coalesce(deleted_at, updated_at) "
        "FROM volunteers WHERE status = 'deleted'"
    )
    op.execute(
        "INSERT INTO erased_volunteer_directions (record_id, code) "
        "SELECT d.volunteer_id, d.code FROM volunteer_directions d "
        "JOIN volunteers v ON v.id = d.volunteer_id WHERE v.status = 'deleted'"
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "SELECT setval(pg_get_serial_sequence('erased_volunteers', 'id'), "
            "coalesce((SELECT max(id) FROM erased_volunteers), 0) + 1, false)"
        )


def downgrade() -> None:
    op.drop_index('ix_signups_created', table_name='signups')
    op.drop_index('ix_volunteers_stats', table_name='volunteers')
    op.drop_table('erased_volunteer_directions')
    op.drop_index('ix_erased_volunteers_region_erased', table_name='erased_volunteers')
    op.drop_table('erased_volunteers')
