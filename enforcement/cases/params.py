"""The parameters a step of the ladder takes: name, type, unit, default, and how a form shows it.

Described once here; the step registry (steps.py) lists which a step takes, the case page's
form is built from these, and ``parameter_problems`` checks the numbers before any guard runs.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from enforcement.cases.models import CloseReason


class ParamType(StrEnum):
    WEEKS = "weeks"
    DAYS = "days"
    AMOUNT = "amount"  # euros, two decimals, kept as a decimal string
    TEXT = "text"
    CHOICE = "choice"


@dataclass(frozen=True)
class Param:
    """One parameter: ``label`` on the form, ``noun`` in a sentence about it."""

    name: str
    type: ParamType
    label: str
    noun: str
    default: Any = None
    minimum: int | None = None
    choices: tuple[tuple[str, str], ...] = ()


CLOSE_REASON_LABELS = {
    CloseReason.COMPLIED: "Complied: figures within the policy for a full window",
    CloseReason.WITHDRAWN: "Withdrawn",
    CloseReason.REVOKED_ON_OBJECTION: "Revoked on objection",
}
PENALTY_ORDER_CHOICES = (
    ("lift", "Lift it by decision (Awb 5:34)"),
    ("keep", "It stays in force"),
)

PARAMS: dict[str, Param] = {
    param.name: param
    for param in (
        Param("improvement_weeks", ParamType.WEEKS, "Improvement window (weeks)",
              "improvement window", default=8, minimum=1),
        Param("reaction_weeks", ParamType.WEEKS, "Reaction period (weeks, at least 2)",
              "reaction period", default=2, minimum=2),
        Param("view_weeks", ParamType.WEEKS, "Term for the hoster's view (weeks)",
              "term for the hoster's view", default=2, minimum=1),
        Param("view_answer", ParamType.TEXT,
              "Answer to the hoster's view (when it gave one; stated in the decision, Awb 3:46)",
              "answer to the hoster's view"),
        Param("remedy", ParamType.TEXT, "Remedy: what the hoster must do", "remedy"),
        Param("grace_period_days", ParamType.DAYS, "Grace period (days)", "grace period"),
        Param("amount_per_violation", ParamType.AMOUNT, "Amount per violation (EUR)",
              "amount per violation"),
        Param("maximum", ParamType.AMOUNT, "Maximum (EUR)", "maximum"),
        Param("amount", ParamType.AMOUNT, "Amount of the fine (EUR)", "amount of the fine"),
        Param("amount_reasons", ParamType.TEXT,
              "Why this amount: seriousness, duration, degree of blame, circumstances (Awb 5:46)",
              "reasons for the amount"),
        Param("turnover_finding", ParamType.TEXT,
              "Above the 6th category: why that category does not allow an appropriate fine "
              "(art. 8(2))", "finding on the sixth category"),
        Param("close_reason", ParamType.CHOICE, "Why the case closes", "reason for closing",
              choices=tuple((str(reason), label) for reason, label in CLOSE_REASON_LABELS.items())),
        Param("penalty_order", ParamType.CHOICE, "A penalty-payment order in force",
              "penalty-payment order in force", choices=PENALTY_ORDER_CHOICES),
        Param("penalty_order_reason", ParamType.TEXT,
              "Why the penalty order is lifted, or why it stays", "reason for the penalty order"),
    )
}  # fmt: skip


def with_defaults(names: Sequence[str], given: Mapping[str, Any]) -> dict[str, Any]:
    """Return the given parameters with the defaults of those a step takes and was not given."""
    defaults = {name: PARAMS[name].default for name in names if PARAMS[name].default is not None}
    return {**defaults, **given}


def parameter_problems(names: Sequence[str], params: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with a step's numbers of weeks (below their minimum, not whole)."""
    problems = []
    for name in names:
        param = PARAMS[name]
        if param.type != ParamType.WEEKS or name not in params:
            continue
        value = params[name]
        if not isinstance(value, int) or value < (param.minimum or 0):
            problems.append(f"The {param.noun} is at least {param.minimum} weeks.")
    return problems
