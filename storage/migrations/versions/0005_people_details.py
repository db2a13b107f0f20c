"""people details: a minor's guardian on record, spoken languages as rows

* volunteers.guardian_name, volunteers.guardian_phone (E.164): who agreed, next to the
  existing guardian_consent_at; coordinators of a minor's tasks see them.
* volunteer_languages (volunteer_id, code): the languages a volunteer speaks, ISO 639-1
  codes, one row each and indexed by code like directions and skills, because
  family-reconnection callers are chosen by them. The JSON column volunteers.languages
  is copied into it and dropped.

Revision ID: 0005_people_details
Revises: 0004
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_people_details'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('volunteers', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('guardian_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('guardian_phone', sa.String(length=20), nullable=True))
    op.create_table('volunteer_languages',
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_volunteer_languages_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('volunteer_id', 'code', name=op.f('pk_volunteer_languages'))
    )
    op.create_index('ix_volunteer_languages_code', 'volunteer_languages', ['code', 'volunteer_id'], unique=False)
    if dialect == 'postgresql':
        op.execute(
            "INSERT INTO volunteer_languages (volunteer_id, code) "
            "SELECT DISTINCT v.id, j.code FROM volunteers v, "
            "json_array_elements_text(v.languages) AS j(code) WHERE length(j.code) BETWEEN 1 AND 16"
        )
        op.drop_column('volunteers', 'languages')
    else:
        op.execute(
            "INSERT OR IGNORE INTO volunteer_languages (volunteer_id, code) "
            "SELECT v.id, j.value FROM volunteers v, json_each(v.languages) AS j "
            "WHERE j.type = 'text' AND length(j.value) BETWEEN 1 AND 16"
        )
        # SQLite 3.35+ drops a column in place; a batch copy of the table would lose the
        # region triggers of migration 0004.
        op.execute("ALTER TABLE volunteers DROP COLUMN languages")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column('volunteers', sa.Column('languages', sa.JSON(), nullable=False, server_default='[]'))
    if dialect == 'postgresql':
        op.execute(
            "UPDATE volunteers SET languages = coalesce((SELECT json_agg(code ORDER BY code) FROM volunteer_languages "
            "WHERE volunteer_id = volunteers.id), '[]'::json)"
        )
    else:
        op.execute(
            "UPDATE volunteers SET languages = coalesce((SELECT json_group_array(code) FROM volunteer_languages "
            "WHERE volunteer_id = volunteers.id), '[]')"
        )
    op.drop_index('ix_volunteer_languages_code', table_name='volunteer_languages')
    op.drop_table('volunteer_languages')
    for column in ('guardian_phone', 'guardian_name'):
        if dialect == 'postgresql':
            op.drop_column('volunteers', column)
        else:
            op.execute(f"ALTER TABLE volunteers DROP COLUMN {column}")
