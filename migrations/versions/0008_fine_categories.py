"""Fine category amounts (art. 23 Sr) as dated data that supervisors keep, with their source.

Pre-loads the 2018 indexation (EUR 4,150 and EUR 830,000, verified); later indexations are
added as they are published (art. 23(9) Sr: every two years).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:28:52.472630
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SOURCE_2018 = "Art. 23 Sr, amounts indexed as of 1 January 2018 (art. 23(9) Sr)"


def upgrade() -> None:
    op.create_table('fine_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('second', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('sixth', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removal_reason', sa.Text(), nullable=True),
    sa.CheckConstraint('(removed_at IS NULL AND removed_by_id IS NULL AND removal_reason IS NULL) OR (removed_at IS NOT NULL AND removal_reason IS NOT NULL)', name=op.f('ck_fine_categories_removal_complete')),
    sa.CheckConstraint('length(source) > 0', name=op.f('ck_fine_categories_has_source')),
    sa.CheckConstraint('second > 0 AND sixth >= second', name=op.f('ck_fine_categories_amounts_ordered')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_fine_categories_added_by_id_users')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_fine_categories_removed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fine_categories'))
    )
    with op.batch_alter_table('fine_categories', schema=None) as batch_op:
        batch_op.create_index('uq_fine_categories_from_in_force', ['effective_from'], unique=True, sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))


    table = sa.table(
        "fine_categories",
        sa.column("effective_from", sa.Date),
        sa.column("second", sa.Numeric(12, 2)),
        sa.column("sixth", sa.Numeric(14, 2)),
        sa.column("source", sa.String),
        sa.column("added_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # the app stores UTC without a zone on SQLite
    op.bulk_insert(table, [{
        "effective_from": date(2018, 1, 1), "second": Decimal("4150.00"),
        "sixth": Decimal("830000.00"), "source": SOURCE_2018, "added_at": now,
    }])  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table('fine_categories', schema=None) as batch_op:
        batch_op.drop_index('uq_fine_categories_from_in_force', sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))

    op.drop_table('fine_categories')
