"""The forfeiture ledger at every boundary: grace end, the maximum, lifting, revocation."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from enforcement.sanctions.ledger import Outcome, PenaltyTerms, ViolationAt, compute_ledger

MADE_KNOWN = datetime(2026, 5, 25, 10, 0, tzinfo=UTC)
GRACE_END = datetime(2026, 6, 8, 21, 59, 59, 999999, tzinfo=UTC)  # end of 8 June, Amsterdam
NOW = datetime(2027, 1, 1, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def terms(amount="500", maximum="1500", lifted_at=None, revoked=False) -> PenaltyTerms:
    return PenaltyTerms(MADE_KNOWN, GRACE_END, Decimal(amount), Decimal(maximum),
                        lifted_at=lifted_at, revoked=revoked)  # fmt: skip


def at(*moments) -> list[ViolationAt]:
    return [ViolationAt(number, moment) for number, moment in enumerate(moments, start=1)]


AFTER = GRACE_END + timedelta(days=1)


@pytest.mark.parametrize(
    ("name", "order_terms", "moments", "expected"),
    [
        ("at the grace end exactly", terms(), [GRACE_END], [(Outcome.BEFORE_GRACE_END, "0")]),
        ("a second after it", terms(), [GRACE_END + SECOND], [(Outcome.FORFEITED, "500")]),
        ("before the order", terms(), [MADE_KNOWN - SECOND], [(Outcome.BEFORE_GRACE_END, "0")]),
        ("maximum reached mid-order", terms(), [AFTER + timedelta(hours=h) for h in range(4)],
         [(Outcome.FORFEITED, "500")] * 3 + [(Outcome.MAXIMUM_REACHED, "0")]),
        ("maximum not a multiple", terms("500", "1200"),
         [AFTER, AFTER + SECOND, AFTER + 2 * SECOND],
         [(Outcome.FORFEITED, "500"), (Outcome.FORFEITED, "500"), (Outcome.CAPPED, "200")]),
        ("lifted: a second before", terms(lifted_at=AFTER), [AFTER - SECOND],
         [(Outcome.FORFEITED, "500")]),
        ("lifted: at the moment", terms(lifted_at=AFTER), [AFTER], [(Outcome.AFTER_LIFTING, "0")]),
        ("revoked", terms(revoked=True), [AFTER, GRACE_END], [(Outcome.ORDER_REVOKED, "0")] * 2),
        ("not yet due", terms(), [NOW + SECOND], [(Outcome.NOT_YET, "0")]),
        ("due exactly now", terms(), [NOW], [(Outcome.FORFEITED, "500")]),
    ],
)  # fmt: skip
def test_each_boundary(name, order_terms, moments, expected):
    ledger = compute_ledger(order_terms, at(*moments), now=NOW)
    assert [(line.outcome, line.amount) for line in ledger.lines] == [
        (outcome, Decimal(amount).quantize(Decimal("0.01"))) for outcome, amount in expected
    ]
    assert ledger.total == sum(line.amount for line in ledger.lines)
    assert all(line.why for line in ledger.lines)


def test_running_total_and_remaining():
    ledger = compute_ledger(terms(maximum="2000"), at(AFTER, AFTER + SECOND), now=NOW)
    assert [line.running_total for line in ledger.lines] == [Decimal("500.00"), Decimal("1000.00")]
    assert ledger.remaining == Decimal("1000.00")
    assert compute_ledger(terms(lifted_at=AFTER), [], now=NOW).remaining == 0


def test_the_same_item_in_two_orders_forfeits_twice():
    # One URL in two removal orders: two duties, two violations (art. 6(3)), each forfeits.
    twice = [ViolationAt(1, AFTER, "ENF-1", "n1"), ViolationAt(2, AFTER, "ENF-2", "n1")]
    ledger = compute_ledger(terms(), twice, now=NOW)
    assert [line.outcome for line in ledger.lines] == [Outcome.FORFEITED] * 2
    assert ledger.total == Decimal("1000.00")


def test_order_of_input_does_not_matter():
    moments = [AFTER + timedelta(hours=h) for h in range(5)]
    forward = compute_ledger(terms(), at(*moments), now=NOW)
    backward = compute_ledger(terms(), list(reversed(at(*moments))), now=NOW)
    assert [(line.violation.id, line.amount) for line in forward.lines] == [
        (line.violation.id, line.amount) for line in backward.lines
    ]


def test_collection_lapses_one_year_after_the_day_of_forfeiture():
    # Committed 1 March 2028 at 00:30 Amsterdam time (29 Feb 23:30 UTC): the day is 1 March.
    line = compute_ledger(terms(), at(datetime(2028, 2, 29, 23, 30, tzinfo=UTC)), now=NOW
                          + timedelta(days=800)).lines[0]  # fmt: skip
    assert line.forfeited_on == date(2028, 3, 1)
    assert line.collection_lapses_on == date(2029, 3, 1)


@pytest.mark.parametrize(("amount", "maximum"), [("0", "10"), ("-1", "10"), ("10", "5")])
def test_bad_terms_are_refused(amount, maximum):
    with pytest.raises(ValueError):
        terms(amount, maximum)
