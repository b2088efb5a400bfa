"""The forfeiture ledger of a penalty-payment order (last onder dwangsom): pure computation.

Forfeiture happens by operation of law (Awb 5:33): each violation of a removal order by the
hoster (art. 6(3) of the 2024 law) committed after the grace period ended (Awb 5:32a) forfeits
the amount per violation, until the maximum is reached (Awb 5:32b). No database, no Flask:
the caller loads the order's terms and the violations and passes them in.

Decisions this module makes, and why:

- A violation is committed at its due moment (the end of the removal order's term). It counts
  when that moment lies strictly after the end of the grace period, and strictly before the
  moment the order was lifted (Awb 5:34: lifting works from that moment on).
- A revoked order (an upheld objection, an annulment) never forfeited anything: revocation works
  back to the start, so every line says so and the total is nil (what was paid is refunded).
- The maximum caps the total: the violation that reaches it forfeits what remains (possibly
  less than the amount per violation); every later one forfeits nothing.
- The same item (URL) in two removal orders is two duties, each with its own term; not acting on
  either is its own violation of art. 6(3), so each forfeits. The penalty order sanctions not
  acting on a removal order, and every order not acted on is one such failure.
- Violations are taken in order of their due moment (then id), so the ledger never depends on
  the order in which they were established.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from enforcement.core.time import to_local
from enforcement.deadlines import expiry_date

CENT = Decimal("0.01")


class Outcome(StrEnum):
    FORFEITED = "forfeited"
    CAPPED = "capped"  # forfeited, the part that remained to the maximum
    BEFORE_GRACE_END = "before_grace_end"
    AFTER_LIFTING = "after_lifting"
    ORDER_REVOKED = "order_revoked"
    MAXIMUM_REACHED = "maximum_reached"
    NOT_YET = "not_yet"  # due after the moment the ledger is drawn up as of


WHY = {
    Outcome.FORFEITED: "Forfeited: committed after the grace period ended (Awb 5:33).",
    Outcome.CAPPED: "Forfeited up to the maximum (Awb 5:32b): what remained of it.",
    Outcome.BEFORE_GRACE_END: "Nothing forfeited: committed before the grace period ended "
    "(Awb 5:32a).",
    Outcome.AFTER_LIFTING: "Nothing forfeited: committed after the order was lifted (Awb 5:34).",
    Outcome.ORDER_REVOKED: "Nothing forfeited: the order was revoked.",
    Outcome.MAXIMUM_REACHED: "Nothing forfeited: the maximum was already reached (Awb 5:32b).",
    Outcome.NOT_YET: "Nothing forfeited yet: its term had not ended at this moment.",
}


@dataclass(frozen=True)
class PenaltyTerms:
    """A penalty order's facts the ledger needs, as the decision and its step recorded them."""

    made_known_at: datetime
    grace_ends_at: datetime  # the end of the grace period's last day, Amsterdam time
    amount_per_violation: Decimal
    maximum: Decimal
    lifted_at: datetime | None = None
    revoked: bool = False

    def __post_init__(self) -> None:
        if self.amount_per_violation <= 0 or self.maximum < self.amount_per_violation:
            raise ValueError("the amount must be positive and at most the maximum")
        if self.grace_ends_at < self.made_known_at:
            raise ValueError("the grace period ends before the order was made known")


@dataclass(frozen=True)
class ViolationAt:
    """One violation as the ledger sees it: its id, its due moment, and where it came from."""

    id: int
    due_at: datetime
    order_reference: str = ""
    notice_reference: str = ""


@dataclass(frozen=True)
class Line:
    """One violation's line in the ledger: what it forfeited, the running total, and why."""

    violation: ViolationAt
    outcome: Outcome
    amount: Decimal
    running_total: Decimal

    @property
    def forfeits(self) -> bool:
        return self.amount > 0

    @property
    def why(self) -> str:
        return WHY[self.outcome]

    @property
    def forfeited_on(self) -> date:
        """The day of forfeiture in Amsterdam: the day the violation was committed."""
        return to_local(self.violation.due_at).date()

    @property
    def collection_lapses_on(self) -> date:
        """The last day the forfeited amount can be collected (Awb 5:35: one year after)."""
        return expiry_date(self.forfeited_on)


@dataclass(frozen=True)
class Ledger:
    terms: PenaltyTerms
    lines: list[Line]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def remaining(self) -> Decimal:
        """What may still be forfeited before the maximum; nil once revoked or lifted."""
        if self.terms.revoked or self.terms.lifted_at is not None:
            return Decimal("0.00")
        return self.terms.maximum - self.total

    @property
    def forfeiting(self) -> list[Line]:
        return [line for line in self.lines if line.forfeits]


def _outcome(terms: PenaltyTerms, due_at: datetime, now: datetime) -> Outcome | None:
    """Return why a violation forfeits nothing regardless of the maximum, or None."""
    if terms.revoked:
        return Outcome.ORDER_REVOKED
    if due_at > now:
        return Outcome.NOT_YET
    if due_at <= terms.grace_ends_at:
        return Outcome.BEFORE_GRACE_END
    if terms.lifted_at is not None and due_at >= terms.lifted_at:
        return Outcome.AFTER_LIFTING
    return None


def compute_ledger(
    terms: PenaltyTerms, violations: Iterable[ViolationAt], *, now: datetime
) -> Ledger:
    """Return the ledger of a penalty order over the hoster's violations, as of ``now``."""
    total = Decimal("0.00")
    amount = terms.amount_per_violation.quantize(CENT)
    maximum = terms.maximum.quantize(CENT)
    lines = []
    for violation in sorted(violations, key=lambda v: (v.due_at, v.id)):
        outcome = _outcome(terms, violation.due_at, now)
        forfeited = Decimal("0.00")
        if outcome is None:
            if total >= maximum:
                outcome = Outcome.MAXIMUM_REACHED
            else:
                forfeited = min(amount, maximum - total)
                outcome = Outcome.FORFEITED if forfeited == amount else Outcome.CAPPED
        total += forfeited
        lines.append(Line(violation, outcome, forfeited, total))
    return Ledger(terms, lines)
