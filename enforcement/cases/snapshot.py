"""The facts a step is judged on: a snapshot of plain values, loaded once before the step.

``enforcement.casework.snapshot.load_facts`` fills it (it reads removal orders, fines and
figures, which sit beside or above this package); the guards in guards.py are pure functions of
a snapshot and the step's parameters, so they are tested without a database. A guard names the
facts it needs (``Need``); the loader reads only what the step's guards need.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from enforcement.cases.ladder import Stage
from enforcement.cases.models import DeadlineStatus
from enforcement.cases.queries import HosterFigures
from enforcement.core.time import LOCAL_TZ
from enforcement.fines.amounts import FineCategories


class Need(StrEnum):
    """A fact a guard reads that costs a query; the loader reads only those a step needs."""

    FIGURES_SINCE_STEP = "figures_since_step"
    FIGURES_RECENT = "figures_recent"
    VIEWS = "views"
    VIOLATIONS = "violations"
    FINE_VIOLATIONS = "fine_violations"
    FINE_CATEGORIES = "fine_categories"
    HOLIDAYS = "holidays"
    PENALTY_ORDER = "penalty_order"
    PREVIOUS_OFFENCES = "previous_offences"


@dataclass(frozen=True)
class Term:
    """A deadline of the case that runs or is suspended."""

    kind: str
    status: DeadlineStatus
    starts_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class View:
    """The hoster's view (zienswijze) on the intent the case stands at."""

    id: int
    received_at: datetime
    oral: bool


@dataclass(frozen=True)
class Cited:
    """The established violations a sanction can rest on: how many, and what a step records."""

    count: int
    summary: dict[str, Any]


@dataclass(frozen=True)
class StandingOrder:
    """The case's penalty-payment order in force (not revoked, not lifted)."""

    decision_id: int
    made_known_at: datetime


@dataclass(frozen=True)
class CaseFacts:
    """Everything a step's guards judge, as it stood at ``now``.

    Facts a step's guards do not need stay at their empty default (None or empty).
    """

    now: datetime
    stage: Stage
    stage_entered_at: datetime
    terms: tuple[Term, ...] = ()
    systematic: bool = False
    turnover_eur: Decimal | None = None
    figures_since_step: HosterFigures | None = None
    figures_recent: HosterFigures | None = None
    views: tuple[View, ...] = ()
    violations: Cited | None = None
    fine_violations: Cited | None = None
    fine_categories: tuple[FineCategories, ...] = ()
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    penalty_order: StandingOrder | None = None
    previous_offences: tuple[dict[str, str], ...] = ()

    @property
    def today(self) -> date:
        return self.now.astimezone(LOCAL_TZ).date()

    def running(self, kind: str) -> Term | None:
        """Return the latest term of a kind that runs or is suspended."""
        found = [term for term in self.terms if term.kind == kind]
        return max(found, key=lambda term: term.starts_at) if found else None
