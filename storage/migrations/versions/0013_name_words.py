"""reconnection name search: words and a vocabulary instead of every blocking key

* reconnection_name_words (kind, word, record_id): a request's or safe report's typed
  folded words, the word of a one-word name marked (bot/domain/names/stored.py);
* reconnection_name_vocabulary (key, word): every stored word under each blocking key.
* reconnection_name_keys (every blocking key of every record) is dropped: a search
  through it loaded every record sharing one word with the name (thousands for a
  common given name among 100,000) and compared them all.
The new tables are filled from the names kept: every request, and the safe reports
whose name keys were still there (not erased).

Revision ID: 0013_name_words
Revises: 0012_walkins
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_name_words'
down_revision = '0012_walkins'
branch_labels = None
depends_on = None

_BATCH = 2000


def _names(connection: sa.Connection, query: str) -> list[tuple[str, int, str]]:
    return [(kind, int(record_id), name) for kind, record_id, name in connection.execute(sa.text(query)).all()]


def upgrade() -> None:
    from bot.domain.names import fold_name
    from bot.domain.names.stored import stored_words, vocabulary

    op.create_table('reconnection_name_words',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'word', 'record_id', name=op.f('pk_reconnection_name_words'))
    )
    with op.batch_alter_table('reconnection_name_words', schema=None) as batch_op:
        batch_op.create_index('ix_reconnection_name_words_record', ['kind', 'record_id'], unique=False)
    op.create_table('reconnection_name_vocabulary',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('key', 'word', name=op.f('pk_reconnection_name_vocabulary'))
    )

    connection = op.get_bind()
    records = _names(connection, "SELECT DISTINCT k.kind, k.record_id, r.full_name FROM reconnection_name_keys k "
                                 "JOIN reconnection_requests r ON k.kind = 'request' AND r.id = k.record_id")
    records += _names(connection, "SELECT DISTINCT k.kind, k.record_id, s.full_name FROM reconnection_name_keys k "
                                  "JOIN safe_reports s ON k.kind = 'safe' AND s.id = k.record_id")
    words_table = sa.table('reconnection_name_words', sa.column('kind'), sa.column('word'), sa.column('record_id'))
    vocabulary_table = sa.table('reconnection_name_vocabulary', sa.column('key'), sa.column('word'))
    words: list[dict[str, object]] = []
    entries: set[tuple[str, str]] = set()
    for kind, record_id, full_name in records:
        folded = fold_name(full_name)
        words.extend({"kind": kind, "word": word, "record_id": record_id} for word in stored_words(folded))
        entries |= vocabulary(folded)
    rows = [{"key": key, "word": word} for key, word in sorted(entries)]
    for start in range(0, len(words), _BATCH):
        connection.execute(words_table.insert(), words[start:start + _BATCH])
    for start in range(0, len(rows), _BATCH):
        connection.execute(vocabulary_table.insert(), rows[start:start + _BATCH])

    with op.batch_alter_table('reconnection_name_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_reconnection_name_keys_record')
    op.drop_table('reconnection_name_keys')


def downgrade() -> None:
    from bot.domain.names import search_keys

    op.create_table('reconnection_name_keys',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'key', 'record_id', name=op.f('pk_reconnection_name_keys'))
    )
    with op.batch_alter_table('reconnection_name_keys', schema=None) as batch_op:
        batch_op.create_index('ix_reconnection_name_keys_record', ['kind', 'record_id'], unique=False)
    connection = op.get_bind()
    records = _names(connection, "SELECT DISTINCT w.kind, w.record_id, r.full_name FROM reconnection_name_words w "
                                 "JOIN reconnection_requests r ON w.kind = 'request' AND r.id = w.record_id")
    records += _names(connection, "SELECT DISTINCT w.kind, w.record_id, s.full_name FROM reconnection_name_words w "
                                  "JOIN safe_reports s ON w.kind = 'safe' AND s.id = w.record_id")
    keys_table = sa.table('reconnection_name_keys', sa.column('kind'), sa.column('key'), sa.column('record_id'))
    rows = [{"kind": kind, "key": key[:64], "record_id": record_id}
            for kind, record_id, full_name in records for key in search_keys(full_name)]
    for start in range(0, len(rows), _BATCH):
        connection.execute(keys_table.insert(), rows[start:start + _BATCH])
    op.drop_table('reconnection_name_vocabulary')
    with op.batch_alter_table('reconnection_name_words', schema=None) as batch_op:
        batch_op.drop_index('ix_reconnection_name_words_record')
    op.drop_table('reconnection_name_words')
