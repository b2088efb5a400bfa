"""The demo data: a penalty order forfeits from violated orders, a collection decision is
issued for them, a payment is recorded, and the report adds up (issue 11, done when)."""

from decimal import Decimal

import sqlalchemy as sa

from enforcement.cases.models import Decision
from enforcement.core.time import utcnow
from enforcement.letters.models import Letter, LetterStatus
from enforcement.sanctions.ledger import Outcome
from enforcement.sanctions.queries import penalty_ledger
from enforcement.sanctions.reports import report


def test_the_demo_forfeits_collects_and_is_paid(runner, session):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo money: a penalty order that forfeits" in result.output
    order = session.scalar(sa.select(Decision).where(Decision.kind == "penalty_order"))
    ledger = penalty_ledger(session, order, now=utcnow()).ledger
    outcomes = [line.outcome for line in ledger.lines]
    assert outcomes.count(Outcome.BEFORE_GRACE_END) == 2
    assert outcomes.count(Outcome.FORFEITED) == 4
    letter = session.scalar(sa.select(Letter).where(Letter.kind == "collection_decision"))
    assert letter.status == LetterStatus.ISSUED
    *rows, total = report(session)
    [kade] = [row for row in rows if row.hoster_name == "Kade Colo"]
    assert (kade.forfeited, kade.decided, kade.paid, kade.outstanding) == (
        Decimal("2000.00"), Decimal("2000.00"), Decimal("1000.00"), Decimal("1000.00"))  # fmt: skip
    # The rest is the fine the public pages' demo imposed on Jade Racks (EUR 3,000, unpaid).
    assert (total.decided, total.outstanding) == (Decimal("5000.00"), Decimal("4000.00"))
    again = runner.invoke(args=["seed-demo"])
    assert "Demo money: nothing added." in again.output
