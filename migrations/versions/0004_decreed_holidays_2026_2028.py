"""Pre-load the extra holidays decreed for 2026-2028 (Atw art. 3(3); Stcrt. 2025, 24713).

A fresh install then computes the same deadlines as the authority. A day is added only where
the table has no row for it at all, so a day an admin removed (with a reason) stays removed;
admins correct the list as before (`flask holidays`, the holidays page). The downgrade removes
only the rows this migration added and nobody touched since.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:10:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DECREE = "Stcrt. 2025, 24713"
DAYS = [
    (date(2026, 1, 2), "Vrijdag na Nieuwjaarsdag (brugdag)"),
    (date(2026, 5, 15), "Vrijdag na Hemelvaartsdag"),
    (date(2027, 5, 7), "Vrijdag na Hemelvaartsdag"),
    (date(2028, 4, 28), "Vrijdag na Koningsdag (brugdag)"),
    (date(2028, 5, 26), "Vrijdag na Hemelvaartsdag"),
]

holidays = sa.table(
    "decreed_holidays",
    sa.column("id", sa.Integer),
    sa.column("day", sa.Date),
    sa.column("name", sa.String),
    sa.column("decree", sa.String),
    sa.column("added_by_id", sa.Integer),
    sa.column("added_at", sa.DateTime(timezone=True)),
    sa.column("removed_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    connection = op.get_bind()
    known = set(connection.execute(sa.select(holidays.c.day)).scalars())
    now = datetime.now(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # the app stores UTC without a zone on SQLite
    rows = [
        {"day": day, "name": name, "decree": DECREE, "added_by_id": None, "added_at": now}
        for day, name in DAYS
        if day not in known
    ]
    if rows:
        op.bulk_insert(holidays, rows)


def downgrade() -> None:
    op.execute(
        holidays.delete().where(
            holidays.c.day.in_([day for day, _ in DAYS]),
            holidays.c.decree == DECREE,
            holidays.c.added_by_id.is_(None),
            holidays.c.removed_at.is_(None),
        )
    )
