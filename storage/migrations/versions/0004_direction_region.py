"""volunteer_directions.region: a trigger-kept copy of volunteers.region for matching

Matching looks for "direction D in region R" among hundreds of thousands of volunteers.
With the region next to the direction code, that is one range of one index
(code, region, volunteer_id) instead of a scan of the whole region. The copy is kept by
triggers, so every writer (the bot, the spreadsheet import, SQL by hand) keeps it right.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    # A new direction row takes its volunteer's region.
    """CREATE TRIGGER trg_volunteer_directions_region AFTER INSERT ON volunteer_directions
       BEGIN
         UPDATE volunteer_directions SET region = (SELECT region FROM volunteers WHERE id = NEW.volunteer_id)
         WHERE volunteer_id = NEW.volunteer_id AND code = NEW.code;
       END""",
    # A volunteer who moves takes their direction rows along.
    """CREATE TRIGGER trg_volunteers_region AFTER UPDATE OF region ON volunteers
       WHEN NEW.region IS NOT OLD.region
       BEGIN
         UPDATE volunteer_directions SET region = NEW.region WHERE volunteer_id = NEW.id;
       END""",
)

POSTGRESQL_TRIGGERS = (
    """CREATE FUNCTION birge_volunteer_directions_region() RETURNS trigger AS $$
       BEGIN
         NEW.region := (SELECT region FROM volunteers WHERE id = NEW.volunteer_id);
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER trg_volunteer_directions_region BEFORE INSERT ON volunteer_directions
       FOR EACH ROW EXECUTE FUNCTION birge_volunteer_directions_region()""",
    """CREATE FUNCTION birge_volunteers_region() RETURNS trigger AS $$
       BEGIN
         IF NEW.region IS DISTINCT FROM OLD.region THEN
           UPDATE volunteer_directions SET region = NEW.region WHERE volunteer_id = NEW.id;
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER trg_volunteers_region AFTER UPDATE OF region ON volunteers
       FOR EACH ROW EXECUTE FUNCTION birge_volunteers_region()""",
)


def upgrade() -> None:
    with op.batch_alter_table('volunteer_directions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=8), nullable=True))
        batch_op.create_index('ix_volunteer_directions_match', ['code', 'region', 'volunteer_id'], unique=False)
    op.execute(
        "UPDATE volunteer_directions SET region = "
        "(SELECT region FROM volunteers WHERE volunteers.id = volunteer_directions.volunteer_id)"
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == 'postgresql' else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP TRIGGER IF EXISTS trg_volunteers_region" + (" ON volunteers" if dialect == 'postgresql' else ""))
    op.execute("DROP TRIGGER IF EXISTS trg_volunteer_directions_region"
               + (" ON volunteer_directions" if dialect == 'postgresql' else ""))
    if dialect == 'postgresql':
        op.execute("DROP FUNCTION IF EXISTS birge_volunteers_region()")
        op.execute("DROP FUNCTION IF EXISTS birge_volunteer_directions_region()")
    with op.batch_alter_table('volunteer_directions', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_directions_match')
        batch_op.drop_column('region')
