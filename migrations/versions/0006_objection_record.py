"""Objections record who objects, the grounds (Awb 6:5) and the hearing (7:2) or why none (7:3).

Objections registered before keep these empty; the app requires them for new ones.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 17:15:19.817160
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("objector", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("grounds", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("hearing_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("hearing_report", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("no_hearing_ground", sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_objections_hearing_has_report"),
            "(hearing_on IS NULL) = (hearing_report IS NULL)",
        )



def downgrade() -> None:
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_objections_hearing_has_report"), type_="check")
        batch_op.drop_column("no_hearing_ground")
        batch_op.drop_column("hearing_report")
        batch_op.drop_column("hearing_on")
        batch_op.drop_column("grounds")
        batch_op.drop_column("objector")

