"""Forfeiture from the database: the ledger of a penalty order, confirmation, lifting."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from enforcement.cases.models import CaseEvent
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.sanctions.ledger import Outcome
from enforcement.sanctions.models import Forfeiture
from enforcement.sanctions.queries import penalty_ledger
from enforcement.sanctions.services import confirm_forfeitures
from tests.cases.conftest import weeks
from tests.sanctions.conftest import AFTER_GRACE, NOW


def outcomes(session, order, now=NOW):
    ledger = penalty_ledger(session, order, now=now).ledger
    return [(line.violation.order_reference, line.outcome, line.amount) for line in ledger.lines]


def test_the_ledger_reads_the_orders_terms_and_the_hosters_violations(session, order):
    d = Decimal
    assert outcomes(session, order) == [
        *[("EXT-BEVEL-1", Outcome.BEFORE_GRACE_END, d("0.00"))] * 3,
        *[("EXT-BEVEL-2", Outcome.BEFORE_GRACE_END, d("0.00"))] * 3,
        ("EXT-BEVEL-3", Outcome.FORFEITED, d("500.00")),
        ("EXT-BEVEL-3", Outcome.FORFEITED, d("500.00")),
        ("EXT-BEVEL-3", Outcome.CAPPED, d("200.00")),
    ]
    ledger = penalty_ledger(session, order, now=NOW).ledger
    assert (ledger.total, ledger.remaining) == (d("1200.00"), d("0.00"))


def test_a_supervisor_confirms_and_the_row_is_frozen(session, order, staff):
    ids = penalty_ledger(session, order, now=NOW).unconfirmed()
    confirmed = confirm_forfeitures(session, order, ids[:2], actor=staff["supervisor"], now=NOW)
    session.commit()
    assert [f.amount for f in confirmed] == [Decimal("500.00")] * 2
    event = session.scalar(sa.select(CaseEvent).where(CaseEvent.kind == "forfeitures_confirmed"))
    assert event.data["amount"] == "1000.00"
    confirmed[0].amount = Decimal("1.00")
    with pytest.raises(RuntimeError, match="never changes"):
        session.flush()
    session.rollback()


def test_confirming_twice_says_who_did_it_first(session, order, staff):
    first = penalty_ledger(session, order, now=NOW).unconfirmed()[0]
    confirm_forfeitures(session, order, [first], actor=staff["supervisor"], now=NOW)
    session.commit()
    with pytest.raises(Conflict, match="already confirmed by supervisor"):
        confirm_forfeitures(session, order, [first], actor=staff["supervisor2"], now=NOW)


@pytest.mark.parametrize("role", ["officer", "legal", "admin"])
def test_only_supervisors_confirm(session, order, staff, role):
    first = penalty_ledger(session, order, now=NOW).unconfirmed()[0]
    with pytest.raises(PermissionDenied):
        confirm_forfeitures(session, order, [first], actor=staff[role], now=NOW)


def test_a_line_that_forfeits_nothing_cannot_be_confirmed(session, order, staff):
    before = penalty_ledger(session, order, now=NOW).ledger.lines[0].violation.id
    with pytest.raises(DomainError, match="before the grace period ended"):
        confirm_forfeitures(session, order, [before], actor=staff["supervisor"], now=NOW)
    assert session.scalar(sa.select(sa.func.count()).select_from(Forfeiture)) == 0


def test_lifting_stops_forfeiture_from_that_moment(session, order):
    order.lifted_at = AFTER_GRACE  # lifted (Awb 5:34) at the very moment of the third order
    session.commit()
    assert {outcome for _, outcome, _ in outcomes(session, order)[6:]} == {Outcome.AFTER_LIFTING}


def test_a_revoked_order_forfeits_nothing(session, order):
    order.revoked = True
    session.commit()
    assert {outcome for _, outcome, _ in outcomes(session, order)} == {Outcome.ORDER_REVOKED}


def test_violations_after_now_are_not_yet_forfeited(session, order):
    assert outcomes(session, order, now=weeks(14.5))[6:] == []  # not yet established
