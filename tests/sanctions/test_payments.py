"""Payments against a claim: partial, over-payment, refunds, the term, reminders."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Decision
from enforcement.casework.operations import issue, propose
from enforcement.core.errors import DomainError, FieldErrors, NotFound, PermissionDenied
from enforcement.sanctions.claims import all_claims, claim_by_key
from enforcement.sanctions.payments import draft_reminder, record_payment
from enforcement.sanctions.services import approve_collection, draft_collection
from tests.cases.conftest import T0, approve_now, take, weeks
from tests.sanctions.conftest import NOW

ISSUED = NOW + timedelta(hours=1)  # Monday 20 July 2026


@pytest.fixture
def claim_key(session, order, confirmed, staff):
    collection = draft_collection(session, order, [f.id for f in confirmed],
                                  actor=staff["legal"], reasons="", now=NOW)  # fmt: skip
    approve_collection(session, collection, actor=staff["supervisor"], now=NOW)
    issue(session, collection.letter, actor=staff["legal"], now=ISSUED)
    session.commit()
    return f"collection:{collection.id}"


def pay(session, key, staff, amount, on=date(2026, 7, 21), role="legal", reference="NL01 1"):
    payment = record_payment(session, key, paid_on=on, amount=amount, payer_reference=reference,
                             actor=staff[role], now=ISSUED + timedelta(days=2))  # fmt: skip
    session.commit()
    return payment


def test_partial_then_over_payment(session, claim_key, staff):
    pay(session, claim_key, staff, "1000.00")
    claim = claim_by_key(session, claim_key)
    assert (claim.paid, claim.outstanding, claim.refund_due) == (
        Decimal("1000.00"), Decimal("200.00"), Decimal("0.00"))  # fmt: skip
    pay(session, claim_key, staff, "250", role="supervisor")
    claim = claim_by_key(session, claim_key)
    assert (claim.outstanding, claim.refund_due) == (Decimal("0.00"), Decimal("50.00"))


def test_a_revoked_decision_turns_what_was_paid_into_a_refund(session, claim_key, order, staff):
    pay(session, claim_key, staff, "300.00")
    order.revoked = True  # the penalty order was revoked on objection
    session.commit()
    claim = claim_by_key(session, claim_key)
    assert (claim.owed, claim.outstanding, claim.refund_due) == (
        Decimal("0.00"), Decimal("0.00"), Decimal("300.00"))  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "on", "reference", "field"),
    [("0", date(2026, 7, 21), "x", "amount"), ("-5", date(2026, 7, 21), "x", "amount"),
     ("1.005", date(2026, 7, 21), "x", "amount"), ("1e12", date(2026, 7, 21), "x", "amount"),
     ("NaN", date(2026, 7, 21), "x", "amount"), ("abc", date(2026, 7, 21), "x", "amount"),
     ("10", date(2026, 7, 21), " ", "payer_reference"),
     ("10", date(2026, 7, 19), "x", "paid_on"),  # before the decision was made known
     ("10", date(2026, 8, 1), "x", "paid_on")],  # in the future
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_stored(session, claim_key, staff, amount, on,
                                                 reference, field):  # fmt: skip
    with pytest.raises(FieldErrors) as refused:
        pay(session, claim_key, staff, amount, on=on, reference=reference)
    assert field in refused.value.errors
    session.rollback()
    assert claim_by_key(session, claim_key).payments == []


def test_who_records_and_what_can_be_paid(session, claim_key, staff):
    with pytest.raises(PermissionDenied):
        pay(session, claim_key, staff, "10", role="officer")
    with pytest.raises(NotFound):
        pay(session, "collection:999", staff, "10")


def test_the_payment_term_and_the_reminder(session, claim_key, staff):
    claim = claim_by_key(session, claim_key)
    assert claim.due_on == date(2026, 7, 27)  # six weeks after 15 June (Awb 5:33)
    assert not claim.overdue(date(2026, 7, 27)) and claim.overdue(date(2026, 7, 28))
    with pytest.raises(DomainError, match="not overdue"):
        draft_reminder(session, claim_key, actor=staff["legal"], now=ISSUED)
    later = weeks(30)
    with pytest.raises(PermissionDenied):
        draft_reminder(session, claim_key, actor=staff["supervisor"], now=later)
    letter = draft_reminder(session, claim_key, actor=staff["legal"], now=later)
    assert letter.kind == "payment_reminder"
    assert letter.context["claim"]["balance"] == "1200.00"
    assert letter.context["reminder"]["weeks"] == 2


def fined(session, case, staff):
    """Warn, then fine the case EUR 1,000 (made known Monday 25 May 2026)."""
    take(session, case, Trigger.SEND_WARNING, staff, T0)
    for trigger, at, params in [
        (Trigger.DRAW_FINE_REPORT, weeks(9), {}),
        (Trigger.INTEND_FINE, weeks(9), {"view_weeks": 2, "amount": "1000"}),
        (Trigger.IMPOSE_FINE, weeks(12), {"amount": "1000", "amount_reasons": "Three orders"}),
    ]:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=params,
                           reason="Fine", now=at)  # fmt: skip
        approve_now(session, proposal, staff, at)
    session.commit()


def test_a_fine_is_a_claim_due_six_weeks_after_it_was_made_known(session, case, staff):
    fined(session, case, staff)
    decision = session.scalar(sa.select(Decision).where(Decision.kind == "fine_decision"))
    [claim] = all_claims(session)
    assert claim.key == f"fine:{decision.id}" and claim.amount == Decimal("1000.00")
    assert claim.due_on == date(2026, 7, 6)  # made known Monday 25 May 2026 (Awb 4:87)


def test_the_closure_letter_states_what_was_paid_of_the_fine(session, case, staff):
    from enforcement.letters.kinds import get_kind
    from enforcement.letters.render import render_html

    fined(session, case, staff)
    [claim] = all_claims(session)
    record_payment(session, claim.key, paid_on=date(2026, 6, 1), amount="400.00",
                   payer_reference="NL01 2", actor=staff["legal"], now=weeks(14))  # fmt: skip
    take(session, case, Trigger.CLOSE, staff, weeks(15), params={"close_reason": "withdrawn"})
    context = get_kind("closure").context(session, case, letter_date=weeks(15), language="en")
    [fine] = context["closure"]["sanctions"]
    assert fine["payment"] == {"amount": "1000.00", "paid": "400.00", "balance": "600.00",
                               "settled": False}  # fmt: skip
    text = " ".join(render_html("closure", "en", context).split())
    assert "imposed EUR 1,000.00, paid EUR 400.00." in text
    assert "remains due for the outstanding amount of EUR 600.00" in text
