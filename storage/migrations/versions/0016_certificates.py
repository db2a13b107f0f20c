"""certificates: certificates of hours (volunteer levels and certificates)

* certificates (code primary key): the volunteer, the period ("2026" or "all"), the
  hours, tasks and level certified, the name as printed (erased by /delete_me, which
  also sets voided_at), when and in which language it was issued.

Revision ID: 0016_certificates
Revises: 0015_availability_statistics
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_certificates'
down_revision = '0015_availability_statistics'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('certificates',
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('tasks', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_certificates_volunteer_id_volunteers'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_certificates'))
    )
    op.create_index('ix_certificates_volunteer_period', 'certificates', ['volunteer_id', 'period'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_certificates_volunteer_period', table_name='certificates')
    op.drop_table('certificates')
