"""family reconnection: requests to check on someone and the requesters' asks, "I'm safe"
reports and the name matches offered from them, relay callers, folded name keys, and
"are you safe?" check-ins. New tables only.

Revision ID: 0010_reconnection
Revises: 0008_attendance
Create Date: 2026-11-30 08:04:02.482273
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_reconnection'
down_revision = '0008_attendance'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reconnection_name_keys',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'key', 'record_id', name=op.f('pk_reconnection_name_keys'))
    )
    with op.batch_alter_table('reconnection_name_keys', schema=None) as batch_op:
        batch_op.create_index('ix_reconnection_name_keys_record', ['kind', 'record_id'], unique=False)

    op.create_table('reconnection_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('region', sa.String(length=8), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('elderly', sa.Boolean(), nullable=False),
    sa.Column('medical', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_call_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.BigInteger(), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=400), nullable=True),
    sa.Column('safe_source', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconnection_requests'))
    )
    with op.batch_alter_table('reconnection_requests', schema=None) as batch_op:
        batch_op.create_index('ix_reconnection_requests_claims', ['status', 'claimed_until'], unique=False)
        batch_op.create_index('ix_reconnection_requests_closed', ['closed_at', 'erased_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reconnection_requests_phone'), ['phone'], unique=False)
        batch_op.create_index('ix_reconnection_requests_queue', ['status', 'next_call_at'], unique=False)

    op.create_table('safe_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.BigInteger(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=8), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('message', sa.String(length=600), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safe_reports'))
    )
    with op.batch_alter_table('safe_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safe_reports_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_safe_reports_reporter_id'), ['reporter_id'], unique=False)

    op.create_table('reconnection_asks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.BigInteger(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('relation', sa.String(length=80), nullable=True),
    sa.Column('message', sa.String(length=600), nullable=True),
    sa.Column('group_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['reconnection_requests.id'], name=op.f('fk_reconnection_asks_request_id_reconnection_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconnection_asks'))
    )
    with op.batch_alter_table('reconnection_asks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reconnection_asks_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reconnection_asks_requester_id'), ['requester_id'], unique=False)

    op.create_table('relay_callers',
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_relay_callers_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('volunteer_id', name=op.f('pk_relay_callers'))
    )
    op.create_table('safety_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=8), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name=op.f('fk_safety_checkins_volunteer_id_volunteers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_checkins'))
    )
    with op.batch_alter_table('safety_checkins', schema=None) as batch_op:
        batch_op.create_index('ix_safety_checkins_round', ['round_id', 'volunteer_id'], unique=True)

    op.create_table('safe_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ask_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ask_id'], ['reconnection_asks.id'], name=op.f('fk_safe_matches_ask_id_reconnection_asks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['safe_reports.id'], name=op.f('fk_safe_matches_report_id_safe_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safe_matches'))
    )
    with op.batch_alter_table('safe_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safe_matches_ask_id'), ['ask_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safe_matches_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('safe_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safe_matches_report_id'))
        batch_op.drop_index(batch_op.f('ix_safe_matches_ask_id'))

    op.drop_table('safe_matches')
    with op.batch_alter_table('safety_checkins', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_checkins_round')

    op.drop_table('safety_checkins')
    op.drop_table('relay_callers')
    with op.batch_alter_table('reconnection_asks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reconnection_asks_requester_id'))
        batch_op.drop_index(batch_op.f('ix_reconnection_asks_request_id'))

    op.drop_table('reconnection_asks')
    with op.batch_alter_table('safe_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safe_reports_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_safe_reports_phone'))

    op.drop_table('safe_reports')
    with op.batch_alter_table('reconnection_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_reconnection_requests_queue')
        batch_op.drop_index(batch_op.f('ix_reconnection_requests_phone'))
        batch_op.drop_index('ix_reconnection_requests_closed')
        batch_op.drop_index('ix_reconnection_requests_claims')

    op.drop_table('reconnection_requests')
    with op.batch_alter_table('reconnection_name_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_reconnection_name_keys_record')

    op.drop_table('reconnection_name_keys')
