"""Read from a case what its letters cite: the step's record, the figures it relied on, notices.

Shared by the kinds' gatherers (``enforcement.letters.gathering``). A step is read from its
transition event (params and the facts its guards found), while it waits for its letter from
the pending step, and while it is only proposed from the pending proposal, so a letter can be
drafted before and after the step. Deadlines are not
read here: each context function computes them from the letter's own date, the moment of
notification they count from (Awb 2:17).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import (
    DECIDED_BY_LETTER,
    Case,
    CaseEvent,
    Decision,
    Objection,
    ObjectionOutcome,
    Proposal,
    ProposalStatus,
)
from enforcement.cases.services import pending_step
from enforcement.cases.steps import STEPS
from enforcement.core.errors import DomainError
from enforcement.core.time import to_local
from enforcement.holidays.services import extra_holidays
from enforcement.letters.context import Gathered, Measurement
from enforcement.letters.models import Letter, LetterStatus
from enforcement.metrics.services import hoster_notices_query, hoster_overview
from enforcement.notices.models import Notice

ID_CHUNK = 1000  # notice ids per IN (...) list


@dataclass(frozen=True)
class StepRecord:
    """A step of the ladder as the case recorded it: done (an event) or proposed."""

    trigger: Trigger
    params: dict[str, Any]
    facts: dict[str, Any]
    reason: str
    occurred_at: datetime | None  # None while only proposed or waiting for its letter
    event: CaseEvent | None
    proposal_id: int | None
    # When the step's facts were found: the event, the pending step, or the proposal.
    at: datetime
    pending_step_id: int | None = None

    def plain(self) -> dict[str, Any]:
        """Return where the record came from, for the letter's ``source``."""
        return {
            "trigger": self.trigger.value,
            "event_id": self.event.id if self.event else None,
            "proposal_id": self.proposal_id,
            "pending_step_id": self.pending_step_id,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
        }


def _events(session: Session, case: Case) -> list[CaseEvent]:
    return list(
        session.scalars(
            sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.sequence)
        )
    )


def step_record(session: Session, case: Case, trigger: Trigger) -> StepRecord:
    """Return the case's latest step of a trigger: waiting for its letter, proposed after it
    was last taken, or taken."""
    pending = pending_step(session, case)  # a case has at most one
    if pending is not None and pending.trigger == trigger:
        return StepRecord(trigger, dict(pending.params), dict(pending.facts), pending.reason,
                          None, None, pending.proposal_id, pending.prepared_at,
                          pending.id)  # fmt: skip
    events = _events(session, case)
    taken = [e for e in events if e.kind == "transition" and e.trigger == trigger.value]
    proposal = session.scalar(
        sa.select(Proposal).where(
            Proposal.case_id == case.id,
            Proposal.trigger == trigger,
            Proposal.status == ProposalStatus.PENDING,
        )
    )
    if proposal is not None and (not taken or proposal.proposed_at >= taken[-1].occurred_at):
        proposed = [e for e in events if e.kind == "proposed"
                    and (e.data or {}).get("proposal_id") == proposal.id]  # fmt: skip
        facts = (proposed[-1].data or {}).get("facts", {}) if proposed else {}
        return StepRecord(trigger, dict(proposal.params), dict(facts), proposal.reason, None,
                          None, proposal.id, proposal.proposed_at)  # fmt: skip
    if not taken:
        raise DomainError(f"This case has no step “{STEPS[trigger].label}” to write about.")
    event = taken[-1]
    data = event.data or {}
    return StepRecord(trigger, dict(data.get("params") or {}), dict(data.get("facts") or {}),
                      event.reason, event.occurred_at, event, data.get("proposal_id"),
                      event.occurred_at)  # fmt: skip


def _usable(figures: Any) -> bool:
    return (
        isinstance(figures, dict)
        and isinstance(figures.get("window"), list)
        and len(figures["window"]) == 2
        and isinstance(figures.get("as_of"), str)
    )


def relied_on_figures(
    session: Session, case: Case, step: StepRecord | None
) -> dict[str, Any] | None:
    """Return the figures a step relied on: its own, or the latest recorded before it.

    Guards record ``{window, as_of, figures, thresholds}``; so does opening a case. Without a
    step (a letter drafted before it), the latest the case recorded.
    """
    if step is not None and _usable(step.facts.get("figures")):
        return step.facts["figures"]
    events = _events(session, case)
    if step is not None and step.event is not None:
        events = [e for e in events if e.sequence <= step.event.sequence]
    for event in reversed(events):
        data = event.data or {}
        found = (data.get("facts") or {}).get("figures") or (
            data.get("figures") if event.kind == "opened" else None
        )
        if _usable(found):
            return found
    return None


def measurement_of(
    session: Session, case: Case, first_day: date, last_day: date, as_of: datetime
) -> Measurement:
    """Return the case's hoster's figures, norm and weekly series for a window."""
    overview = hoster_overview(session, case.hoster_id, first_day, last_day, as_of)
    return Measurement(
        first_day, last_day, as_of, overview.figures, overview.thresholds, overview.weeks
    )


def measure(
    session: Session, case: Case, first_day: date, last_day: date, as_of: datetime
) -> tuple[Measurement, list[Notice]]:
    """Return the case's hoster's figures for a window, and the notices that missed 24 hours."""
    measurement = measurement_of(session, case, first_day, last_day, as_of)
    query = hoster_notices_query(session, case.hoster_id, first_day, last_day, as_of, "over24")
    notices = list(session.scalars(query.order_by(None).order_by(Notice.notice_sent_at, Notice.id)))
    return measurement, notices


def measure_recorded(
    session: Session, case: Case, figures: dict[str, Any]
) -> tuple[Measurement, list[Notice]]:
    """Measure again the window recorded figures name, as of the same moment."""
    first_day, last_day = (date.fromisoformat(day) for day in figures["window"])
    return measure(session, case, first_day, last_day, datetime.fromisoformat(figures["as_of"]))


def notices_by_external_id(session: Session, case: Case, external_ids: list[str]) -> list[Notice]:
    """Return the hoster's notices with these hotline ids, in sending order."""
    found: list[Notice] = []
    for start in range(0, len(external_ids), ID_CHUNK):
        chunk = external_ids[start : start + ID_CHUNK]
        found.extend(
            session.scalars(
                sa.select(Notice).where(
                    Notice.hoster_id == case.hoster_id, Notice.external_id.in_(chunk)
                )
            )
        )
    return sorted(found, key=lambda n: (n.notice_sent_at, n.id))


def earlier_letters(session: Session, case: Case) -> list[dict[str, Any]]:
    """Return the case's issued letters, oldest first: kind, kenmerk and date."""
    rows = session.execute(
        sa.select(Letter.kind, Letter.kenmerk, Letter.issued_at)
        .where(Letter.case_id == case.id, Letter.status == LetterStatus.ISSUED)
        .order_by(Letter.issued_at, Letter.id)
    )
    return [
        {"kind": kind, "kenmerk": kenmerk, "date": to_local(issued_at).date().isoformat()}
        for kind, kenmerk, issued_at in rows
    ]


def gathered(
    session: Session,
    case: Case,
    *,
    facts: dict[str, Any],
    source: dict[str, Any],
    measurement: Measurement | None = None,
    notices: list[Notice] | None = None,
) -> Gathered:
    """Return a kind's gathered inputs with what every kind reads from the database."""
    return Gathered(
        case=case,
        facts=facts,
        measurement=measurement,
        notices=notices or [],
        extra_holidays=extra_holidays(session),
        earlier_letters=earlier_letters(session, case),
        source=source,
    )


def decision_reference(session: Session, decision: Decision) -> dict[str, Any]:
    """Return a decision as letters cite it: kind, day made known, its letter's kenmerk."""
    issued = session.execute(
        sa.select(Letter.kenmerk, Letter.issued_at).where(
            Letter.case_id == decision.case_id,
            Letter.kind == decision.kind,
            Letter.status == LetterStatus.ISSUED,
        )
    ).all()
    # The letter that made the decision known: the one issued closest to that moment.
    closest = min(issued, key=lambda row: abs(row.issued_at - decision.made_known_at), default=None)
    return {
        "kind": decision.kind,
        "made_known_on": to_local(decision.made_known_at).date().isoformat(),
        "kenmerk": closest.kenmerk if closest else None,
        "revoked": decision.revoked,
    }


def pending_objections(session: Session, case: Case) -> list[dict[str, Any]]:
    """Return the objections still pending against the case's decisions that stand."""
    rows = session.execute(
        sa.select(Decision.kind, Objection.received_on)
        .join(Objection, Objection.decision_id == Decision.id)
        .where(Decision.case_id == case.id, Decision.revoked.is_(False))
        .where(Objection.outcome == ObjectionOutcome.PENDING)
        .order_by(Objection.received_on, Objection.id)
    )
    return [{"decision_kind": kind, "received_on": day.isoformat()} for kind, day in rows]


def revoked_decisions(session: Session, case: Case) -> list[dict[str, Any]]:
    """Return the case's revoked decisions, as letters cite them."""
    decisions = session.scalars(
        sa.select(Decision)
        .where(Decision.case_id == case.id, Decision.revoked.is_(True))
        .order_by(Decision.made_known_at, Decision.id)
    )
    return [decision_reference(session, decision) for decision in decisions]


SANCTION_DECISIONS = ("penalty_order", "fine_decision")


# What was paid under a case's decisions, by decision id ({"amount", "paid", "balance"} as
# decimal text, "settled"); the money side (enforcement.sanctions, above this package) registers it.
PaymentStatus = Callable[[Session, Case], dict[int, dict[str, Any]]]
PAYMENT_STATUS: list[PaymentStatus] = []


def register_payment_status(provider: PaymentStatus) -> None:
    """Let the package that keeps payments say what was paid under a case's decisions."""
    if provider not in PAYMENT_STATUS:
        PAYMENT_STATUS.append(provider)


def standing_sanctions(session: Session, case: Case) -> list[dict[str, Any]]:
    """Return the case's sanction decisions that stand (not revoked), as letters cite them,
    with whether a penalty order was lifted and what was paid under each (when known)."""
    decisions = session.scalars(
        sa.select(Decision)
        .where(Decision.case_id == case.id, Decision.revoked.is_(False))
        .where(Decision.kind.in_(SANCTION_DECISIONS))
        .order_by(Decision.made_known_at, Decision.id)
    )
    paid: dict[int, dict[str, Any]] = {}
    for provider in PAYMENT_STATUS:
        paid.update(provider(session, case))
    return [
        {**decision_reference(session, decision), "decision_id": decision.id,
         "lifted": decision.lifted_at is not None, "payment": paid.get(decision.id)}
        for decision in decisions
    ]  # fmt: skip


def decided_objection(session: Session, case: Case, objection_id: int | None) -> Objection:
    """Return a decided objection against one of the case's decisions (default: the latest)."""
    query = (
        sa.select(Objection)
        .join(Decision, Decision.id == Objection.decision_id)
        .where(Decision.case_id == case.id)
    )
    if objection_id is not None:
        objection = session.scalar(query.where(Objection.id == int(objection_id)))
    else:
        decided = query.where(Objection.outcome.in_(DECIDED_BY_LETTER))
        objection = session.scalar(decided.order_by(Objection.id.desc()).limit(1))
    if objection is None:
        raise DomainError("This case has no decided objection to write a decision about.")
    if objection.outcome in (ObjectionOutcome.PENDING, ObjectionOutcome.WITHDRAWN):
        raise DomainError(f"The objection is {objection.outcome}; there is no decision to send.")
    return objection


def objection_events(session: Session, case: Case, objection: Objection) -> dict[str, Any]:
    """Return the reasons the objection was decided with and where an upheld one took the case."""
    decided, revoked = [], []
    for event in _events(session, case):
        data = event.data or {}
        if event.kind == "objection_decided" and data.get("objection_id") == objection.id:
            decided.append(event)
        params = data.get("params") or {}
        if (
            event.trigger == Trigger.REVOKE.value
            and params.get("decision_id") == objection.decision_id
        ):
            revoked.append(event)
    return {
        "reasons": decided[-1].reason if decided else "",
        "returned_to": revoked[-1].to_stage if revoked else None,
    }
