"""The sanctions report: per hoster and over all, what was imposed, forfeited, decided, paid.

- ``imposed``: fines imposed by decisions that stand (not revoked);
- ``forfeited``: forfeitures a supervisor confirmed under penalty orders that stand;
- ``decided``: what the decisions made known make payable: fines and collection decisions;
- ``paid``: every payment received;
- ``outstanding``: what remains to be paid on those decisions;
- ``refund_due``: what was paid beyond them, or under a decision since revoked.
So ``decided - paid == outstanding - refund_due`` for every row, and the total row is the sum.
Amounts are Decimal; ``plain_rows`` gives them as decimal text, never floats.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.models import Decision
from enforcement.hosters.models import Hoster
from enforcement.sanctions.claims import FINE, all_claims
from enforcement.sanctions.models import Forfeiture
from enforcement.sanctions.queries import ZERO

AMOUNTS = ("imposed", "forfeited", "decided", "paid", "outstanding", "refund_due")
COLUMNS = ("hoster_kvk", "hoster_name", *AMOUNTS)
TOTAL = "total"


@dataclass
class Row:
    hoster_kvk: str
    hoster_name: str
    imposed: Decimal = ZERO
    forfeited: Decimal = ZERO
    decided: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    refund_due: Decimal = ZERO

    def plain(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in COLUMNS}


def report(session: Session, hoster_id: int | None = None) -> list[Row]:
    """Return one row per hoster with any sanction money, by name, and a total row last."""
    rows: dict[int, Row] = {}

    def row_of(hoster_id: int) -> Row:
        if hoster_id not in rows:
            hoster = session.get(Hoster, hoster_id)
            rows[hoster_id] = Row(hoster.kvk, hoster.trade_name)
        return rows[hoster_id]

    for claim in all_claims(session, hoster_id):
        row = row_of(claim.hoster_id)
        if claim.kind == FINE and not claim.revoked:
            row.imposed += claim.amount
        row.decided += claim.owed
        row.paid += claim.paid
        row.outstanding += claim.outstanding
        row.refund_due += claim.refund_due
    forfeited = (
        sa.select(Forfeiture.hoster_id, sa.func.sum(Forfeiture.amount))
        .join(Decision, Decision.id == Forfeiture.penalty_decision_id)
        .where(Decision.revoked.is_(False))
        .group_by(Forfeiture.hoster_id)
    )
    if hoster_id is not None:
        forfeited = forfeited.where(Forfeiture.hoster_id == hoster_id)
    for forfeit_hoster, amount in session.execute(forfeited):
        row_of(forfeit_hoster).forfeited += Decimal(amount).quantize(Decimal("0.01"))
    ordered = sorted(rows.values(), key=lambda row: (row.hoster_name.lower(), row.hoster_kvk))
    total = Row(TOTAL, "All hosters")
    for row in ordered:
        for name in AMOUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return [*ordered, total]


def plain_rows(rows: list[Row]) -> list[dict[str, Any]]:
    """Return the rows as plain values, amounts as decimal text."""
    return [row.plain() for row in rows]
