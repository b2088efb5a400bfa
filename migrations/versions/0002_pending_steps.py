"""Pending steps: a step that needs a letter completes when that letter is issued.

Adds pending_steps (a step decided on, waiting for its letter), letters.pending_step_id, and
one letter per pending step (two people deciding on it at once cannot both draft one).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 09:30:58.680081
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "trigger",
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
                name="pending_trigger",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_stage",
            sa.Enum(
                "notice",
                "warning",
                "naming_intent",
                "named",
                "penalty_intent",
                "penalty_order",
                "fine_report",
                "fine_intent",
                "fined",
                "closed",
                name="pending_stage",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("prepared_by_id", sa.Integer(), nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status = 'open' OR (closed_by_id IS NOT NULL AND closed_at IS NOT NULL)",
            name=op.f("ck_pending_steps_closed_has_closer"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'completed', 'withdrawn')",
            name=op.f("ck_pending_steps_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_pending_steps_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_pending_steps_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["prepared_by_id"], ["users.id"], name=op.f("fk_pending_steps_prepared_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_pending_steps_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_steps")),
    )
    with op.batch_alter_table("pending_steps", schema=None) as batch_op:
        batch_op.create_index(
            "uq_pending_steps_one_open_per_case",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_step_id", sa.Integer(), nullable=True))
        batch_op.create_index("uq_letters_pending_step_id", ["pending_step_id"], unique=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_letters_pending_step_id_pending_steps"),
            "pending_steps",
            ["pending_step_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("letters", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_letters_pending_step_id_pending_steps"), type_="foreignkey"
        )
        batch_op.drop_index("uq_letters_pending_step_id")
        batch_op.drop_column("pending_step_id")

    with op.batch_alter_table("pending_steps", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_pending_steps_one_open_per_case",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.drop_table("pending_steps")
