"""Read-only queries for the case pages: the ladder, figures then and now, deadlines, the queue."""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, selectinload

from enforcement.auth.models import User
from enforcement.cases.ladder import Stage
from enforcement.cases.models import (
    Case,
    Deadline,
    DeadlineStatus,
    Decision,
    Objection,
    Proposal,
    ProposalStatus,
)
from enforcement.core.errors import NotFound
from enforcement.core.time import LOCAL_TZ
from enforcement.deadlines import DEADLINE_RULES, DeadlineKind
from enforcement.hosters.models import Hoster
from enforcement.metrics.figures import Figures
from enforcement.metrics.policy import Thresholds, breach_reasons
from enforcement.metrics.services import (
    Candidate,
    breach_candidates,
    default_window,
    figures_by_hoster,
    policy_in_force,
)

QUEUE_ROWS = 100  # rows shown per queue section; the heading counts them all
DUE_SOON = timedelta(days=7)


@dataclass(frozen=True)
class HosterFigures:
    """A hoster's figures over a window, the policy in force on its last day, and the verdict."""

    first_day: date
    last_day: date
    as_of: datetime
    figures: Figures | None
    thresholds: Thresholds
    reasons: list[str]

    def frozen(self) -> dict[str, Any]:
        """Return the figures as plain values, to freeze into a case when it opens."""
        return {
            "window": [self.first_day.isoformat(), self.last_day.isoformat()],
            "as_of": self.as_of.isoformat(),
            "figures": self.figures.as_dict() if self.figures else None,
            "thresholds": asdict(self.thresholds),
            "breach_reasons": self.reasons,
        }


def hoster_figures(
    session: Session, hoster_id: int, first_day: date, last_day: date, as_of: datetime
) -> HosterFigures:
    """Return a hoster's figures and breach verdict for a window, as of a moment."""
    figures = figures_by_hoster(session, first_day, last_day, as_of, [hoster_id]).get(hoster_id)
    thresholds = policy_in_force(session, last_day)
    reasons = breach_reasons(figures, thresholds) if figures else []
    return HosterFigures(first_day, last_day, as_of, figures, thresholds, reasons)


def current_figures(session: Session, hoster_id: int, as_of: datetime) -> HosterFigures:
    """Return a hoster's figures for the last six weeks up to as_of."""
    return hoster_figures(session, hoster_id, *default_window(as_of), as_of)


@dataclass(frozen=True)
class DeadlineLine:
    """A deadline as the pages show it: label, due moment, and days left or overdue."""

    deadline: Deadline
    label: str
    days_left: int | None  # calendar days in Amsterdam until the due day; None when not running
    overdue: bool

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None else 0


def deadline_line(deadline: Deadline, now: datetime) -> DeadlineLine:
    """Describe a deadline as of now."""
    rule = DEADLINE_RULES.get(deadline.kind)
    label = rule.label if rule else deadline.kind.replace("_", " ").capitalize()
    if deadline.status != DeadlineStatus.RUNNING or (
        deadline.kind in HOSTER_TERMS and now > deadline.due_at
    ):
        return DeadlineLine(deadline, label, None, False)  # over: nothing is late
    today = now.astimezone(LOCAL_TZ).date()
    days_left = (deadline.due_at.astimezone(LOCAL_TZ).date() - today).days
    return DeadlineLine(deadline, label, days_left, now > deadline.due_at)


@dataclass(frozen=True)
class FrozenFigures:
    """The figures frozen into a case when it opened, read back for display."""

    window: str
    as_of: datetime | None
    figures: dict[str, Any] | None
    thresholds: dict[str, Any] | None
    reasons: list[str]


def frozen_figures(data: dict[str, Any]) -> FrozenFigures:
    """Read a case's opening figures; parts that are missing or of another shape show as absent."""
    window = data.get("window") or ""
    if isinstance(window, list):
        window = " to ".join(str(day) for day in window)
    try:
        as_of = datetime.fromisoformat(data["as_of"])
    except (KeyError, TypeError, ValueError):
        as_of = None
    figures, thresholds = data.get("figures"), data.get("thresholds")
    return FrozenFigures(
        str(window),
        as_of if as_of is not None and as_of.tzinfo is not None else None,
        figures if isinstance(figures, dict) else None,
        thresholds if isinstance(thresholds, dict) else None,
        [str(r) for r in data.get("breach_reasons") or []],
    )


def hosters_with_open_case() -> sa.Select:
    """Select the ids of hosters with an open case: already under enforcement."""
    return sa.select(Case.hoster_id).where(Case.stage != Stage.CLOSED)


def open_case_of(session: Session, hoster_id: int) -> Case | None:
    """Return the hoster's open case, if it has one."""
    return session.scalar(
        sa.select(Case).where(Case.hoster_id == hoster_id, Case.stage != Stage.CLOSED)
    )


def pending_proposal(session: Session, case_id: int) -> Proposal | None:
    """Return the case's proposal awaiting approval, if any."""
    return session.scalar(
        sa.select(Proposal).where(
            Proposal.case_id == case_id, Proposal.status == ProposalStatus.PENDING
        )
    )


def decisions_with_objections(
    session: Session, case_id: int
) -> list[tuple[Decision, list[Objection]]]:
    """Return the case's decisions, oldest first, each with its objections."""
    decisions = session.scalars(
        sa.select(Decision).where(Decision.case_id == case_id).order_by(Decision.made_known_at)
    ).all()
    objections = session.scalars(
        sa.select(Objection)
        .where(Objection.decision_id.in_([d.id for d in decisions]))
        .order_by(Objection.received_on, Objection.id)
    ).all()
    return [(d, [o for o in objections if o.decision_id == d.id]) for d in decisions]


# Case list -------------------------------------------------------------------------------------


def cases_query(
    *, stage: str = "", hoster: str = "", officer_id: int | None = None, status: str = ""
) -> sa.Select:
    """Return the case list's query, filtered; the last changed first."""
    query = (
        sa.select(Case)
        .join(Hoster, Hoster.id == Case.hoster_id)
        .options(contains_eager(Case.hoster), selectinload(Case.opened_by))
    )
    if stage in {s.value for s in Stage}:
        query = query.where(Case.stage == Stage(stage))
    if hoster:
        pattern = f"%{hoster.lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(Hoster.trade_name).like(pattern),
                sa.func.lower(Hoster.legal_name).like(pattern),
            )
        )
    if officer_id is not None:
        query = query.where(Case.opened_by_id == officer_id)
    if status == "open":
        query = query.where(Case.stage != Stage.CLOSED)
    elif status == "closed":
        query = query.where(Case.stage == Stage.CLOSED)
    return query.order_by(Case.updated_at.desc(), Case.id.desc())


def case_officers(session: Session) -> list[User]:
    """Return the users who opened a case, to filter the list by."""
    return list(
        session.scalars(
            sa.select(User).where(User.id.in_(sa.select(Case.opened_by_id))).order_by(User.email)
        )
    )


# Supervisor queue ------------------------------------------------------------------------------

# Each section's sort keys; the first is the default. Ties fall back to the row's id.
APPROVAL_SORTS = {
    "age": Proposal.proposed_at,
    "hoster": sa.func.lower(Hoster.trade_name),
    "step": Proposal.trigger,
    "proposer": User.email,
}
DEADLINE_SORTS = {
    "due": Deadline.due_at,
    "hoster": sa.func.lower(Hoster.trade_name),
    "kind": Deadline.kind,
}
CANDIDATE_SORTS = {
    "worst": None,  # breach_candidates' own order
    "hoster": lambda c: (c.hoster.trade_name.lower(), c.hoster.id),
    "notices": lambda c: (-c.figures.notices, c.hoster.trade_name.lower()),
}
QUEUE_SORTS = {
    "approvals": APPROVAL_SORTS,
    "due": DEADLINE_SORTS,
    "overdue": DEADLINE_SORTS,
    "candidates": CANDIDATE_SORTS,
}


def read_sorts(values: list[str]) -> dict[str, str]:
    """Read ``section:key`` values into each section's sort key; unknown ones take the default."""
    asked = dict(value.partition(":")[::2] for value in values)
    return {
        section: asked[section] if asked.get(section) in keys else next(iter(keys))
        for section, keys in QUEUE_SORTS.items()
    }


@dataclass(frozen=True)
class Section:
    """One list of the queue: how many there are in all, and the first rows in the chosen order."""

    count: int
    rows: list[Any]


def _section(session: Session, query: sa.Select, order: Any, tiebreak: Any) -> Section:
    count = session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(order, tiebreak).limit(QUEUE_ROWS)).all()
    return Section(count, list(rows))


def pending_approvals(session: Session, sort: str) -> Section:
    """Return the proposals awaiting a supervisor's decision."""
    query = (
        sa.select(Proposal)
        .join(Case, Case.id == Proposal.case_id)
        .join(Hoster, Hoster.id == Case.hoster_id)
        .join(User, User.id == Proposal.proposed_by_id)
        .where(Proposal.status == ProposalStatus.PENDING)
        .options(
            contains_eager(Proposal.case).contains_eager(Case.hoster),
            contains_eager(Proposal.proposed_by),
        )
    )
    return _section(session, query, APPROVAL_SORTS[sort], Proposal.id)


# Terms the hoster has (to object, to comply): they run out, they are never overdue.
HOSTER_TERMS = (DeadlineKind.OBJECTION_TERM, DeadlineKind.GRACE_PERIOD, DeadlineKind.REMOVAL_ORDER)


def running_deadlines(session: Session, now: datetime, sort: str, *, overdue: bool) -> Section:
    """Return running deadlines that are past due, or due within the next seven days."""
    if overdue:
        # A term the hoster had (to object, to comply) simply runs out; only terms after which
        # the authority must act can be overdue.
        due = sa.and_(Deadline.due_at < now, Deadline.kind.not_in(HOSTER_TERMS))
    else:
        due = Deadline.due_at.between(now, now + DUE_SOON)
    query = (
        sa.select(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .join(Hoster, Hoster.id == Case.hoster_id)
        .where(Deadline.status == DeadlineStatus.RUNNING, due)
        .options(contains_eager(Deadline.case).contains_eager(Case.hoster))
    )
    section = _section(session, query, DEADLINE_SORTS[sort], Deadline.id)
    return Section(section.count, [deadline_line(d, now) for d in section.rows])


def candidates_without_case(session: Session, now: datetime, sort: str) -> Section:
    """Return the hosters breaching the policy over the last six weeks that have no open case."""
    found: list[Candidate] = breach_candidates(
        session, *default_window(now), now, excluded=hosters_with_open_case()
    )
    key = CANDIDATE_SORTS[sort]
    if key is not None:
        found = sorted(found, key=key)
    return Section(len(found), found[:QUEUE_ROWS])


def supervisor_queue(session: Session, now: datetime, sorts: dict[str, str]) -> dict[str, Section]:
    """Return the four sections of the supervisor queue."""
    return {
        "approvals": pending_approvals(session, sorts["approvals"]),
        "due": running_deadlines(session, now, sorts["due"], overdue=False),
        "overdue": running_deadlines(session, now, sorts["overdue"], overdue=True),
        "candidates": candidates_without_case(session, now, sorts["candidates"]),
    }


def get_row(session: Session, model: type, row_id: int, what: str) -> Any:
    """Return a row by id, or raise NotFound naming what was asked for."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"No such {what}.")
    return row
