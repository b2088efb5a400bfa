"""Decisions record when a penalty-payment order was lifted by decision (Awb 5:34).

Closing a case with a penalty order in force lifts it, or states why it stays.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:25:33.492741
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('lifted_at')

