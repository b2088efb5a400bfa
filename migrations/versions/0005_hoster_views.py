"""Hoster views: the hoster's view (zienswijze, Awb 4:8) on an intent, stored, not a checkbox.

A decision that follows an intent either waits for the end of the view term or answers the
view recorded here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 17:05:34.866578
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hoster_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "intent",
            sa.Enum(
                "send_warning",
                "intend_naming",
                "name_publicly",
                "intend_penalty",
                "impose_penalty",
                "draw_fine_report",
                "intend_fine",
                "impose_fine",
                "close",
                "reopen",
                "revoke",
                name="view_intent",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("oral", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_hoster_views_has_text")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_hoster_views_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_hoster_views_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hoster_views")),
    )
    with op.batch_alter_table("hoster_views", schema=None) as batch_op:
        batch_op.create_index("ix_hoster_views_case_id", ["case_id"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("hoster_views", schema=None) as batch_op:
        batch_op.drop_index("ix_hoster_views_case_id")

    op.drop_table("hoster_views")
