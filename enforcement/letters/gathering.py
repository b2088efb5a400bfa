"""One gatherer per letter kind: collect from a case what its letter cites (reads only).

A gatherer returns ``Gathered`` (enforcement.letters.context): the step's recorded params and
facts, the measurement of the window the step relied on, the cited notices, the case's issued
letters, the decreed holidays, and ``source`` (the options it was given, so a draft can be
gathered again for a later date). Options arrive as values or as the ISO text a stored
context keeps them in.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case, HosterView
from enforcement.cases.params import PARAMS
from enforcement.core.errors import DomainError
from enforcement.core.time import to_local
from enforcement.fines.services import category_table
from enforcement.letters.context import Gathered, Measurement
from enforcement.letters.records import (
    StepRecord,
    decided_objection,
    decision_reference,
    gathered,
    measure,
    measure_recorded,
    objection_events,
    pending_objections,
    relied_on_figures,
    revoked_decisions,
    standing_sanctions,
    step_record,
)
from enforcement.letters.sanctions import PENALTY_TERMS
from enforcement.notices.models import Notice
from enforcement.orders.facts import violations_by_id

WARNING_OPTIONS = ("first_day", "last_day", "as_of", "improvement_ends")


def as_day(value: date | str) -> date:
    """Return a day given as a date (or a moment) or as ISO text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return to_local(value).date() if isinstance(value, datetime) else value


def as_moment(value: datetime | str) -> datetime:
    """Return an aware moment given as a datetime or as ISO text."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise DomainError("A moment needs a time zone.")
    return moment


def optional_step(session: Session, case: Case, trigger: Trigger) -> StepRecord | None:
    """Return the step's record, or None when the case has not taken or proposed it."""
    try:
        return step_record(session, case, trigger)
    except DomainError:
        return None


def source(kind: str, options: dict[str, Any], step: StepRecord | None) -> dict[str, Any]:
    """Return how a letter was gathered: its kind, the options given, the step it read."""
    return {"kind": kind, "options": options, "step": step.plain() if step else None}


def gather_warning(
    session: Session,
    case: Case,
    *,
    first_day: date | str | None = None,
    last_day: date | str | None = None,
    as_of: datetime | str | None = None,
    improvement_ends: date | str | None = None,
) -> Gathered:
    """Gather the warning: the window given, or the one the case was opened (or reopened) on."""
    step = optional_step(session, case, Trigger.SEND_WARNING)
    options = {"first_day": first_day, "last_day": last_day, "as_of": as_of,
               "improvement_ends": improvement_ends}  # fmt: skip
    options = {name: value for name, value in options.items() if value is not None}
    if first_day is None or last_day is None or as_of is None:
        recorded = relied_on_figures(session, case, step)
        if recorded is None:
            raise DomainError("Give the window the warning relies on; the case records none.")
        first_day = first_day or recorded["window"][0]
        last_day = last_day or recorded["window"][1]
        as_of = as_of or recorded["as_of"]
    measurement, notices = measure(
        session, case, as_day(first_day), as_day(last_day), as_moment(as_of)
    )
    weeks = (step.params if step else {}).get(
        "improvement_weeks", PARAMS["improvement_weeks"].default
    )
    facts = {
        "improvement_weeks": weeks,
        "improvement_ends": as_day(improvement_ends) if improvement_ends else None,
    }
    return gathered(
        session, case, facts=facts, source=source("warning", options, step),
        measurement=measurement, notices=notices,
    )  # fmt: skip


def param(step: StepRecord, name: str) -> Any:
    """Return a parameter the step recorded, or the ladder's default for it."""
    return step.params.get(name, PARAMS[name].default if name in PARAMS else None)


def measured_step(
    session: Session, case: Case, trigger: Trigger
) -> tuple[StepRecord, Measurement, list[Notice]]:
    """Return a step, the figures of the window it relied on, and the notices that missed 24 h."""
    step = step_record(session, case, trigger)
    recorded = relied_on_figures(session, case, step)
    if recorded is None:
        raise DomainError("The case records no measured window for this step.")
    measurement, notices = measure_recorded(session, case, recorded)
    return step, measurement, notices


def gather_naming_intent(session: Session, case: Case) -> Gathered:
    """Gather the intent to name: the figures since the warning and the reaction period."""
    step, measurement, notices = measured_step(session, case, Trigger.INTEND_NAMING)
    facts = {"reaction_weeks": param(step, "reaction_weeks")}
    return gathered(session, case, facts=facts, source=source("naming_intent", {}, step),
                    measurement=measurement, notices=notices)  # fmt: skip


def gather_naming_decision(session: Session, case: Case) -> Gathered:
    """Gather the decision to publish: the intent's figures, the reaction, pending objections."""
    step, measurement, notices = measured_step(session, case, Trigger.NAME_PUBLICLY)
    facts = {"heard": view_heard(session, step),
             "pending_objections": pending_objections(session, case)}  # fmt: skip
    return gathered(session, case, facts=facts, source=source("naming_decision", {}, step),
                    measurement=measurement, notices=notices)  # fmt: skip


def cited_violations(session: Session, step: StepRecord) -> list[dict[str, Any]]:
    """Return the violations of removal orders a sanction step rests on, as its letter cites
    them (the guards recorded which: art. 6(3) of the 2024 law)."""
    recorded = step.facts.get("violations") or {}
    if not recorded.get("ids"):
        raise DomainError("The step records no violation of a removal order to rest on.")
    return [fact.plain() for fact in violations_by_id(session, recorded["ids"])]


def penalty_step(session: Session, case: Case, trigger: Trigger) -> tuple[StepRecord, dict]:
    """Return a penalty step and its facts: the order's terms and the violations cited."""
    step = step_record(session, case, trigger)
    facts = {name: step.params.get(name) for name in PENALTY_TERMS}
    facts["violations"] = cited_violations(session, step)
    facts["violation_count"] = step.facts["violations"]["count"]
    return step, facts


def gather_penalty_intent(session: Session, case: Case) -> Gathered:
    """Gather the intent to order a penalty: the violations, view term, the intended terms."""
    step, facts = penalty_step(session, case, Trigger.INTEND_PENALTY)
    facts["view_weeks"] = param(step, "view_weeks")
    recorded = relied_on_figures(session, case, step)
    measurement = measure_recorded(session, case, recorded)[0] if recorded else None
    return gathered(session, case, facts=facts, source=source("penalty_intent", {}, step),
                    measurement=measurement)  # fmt: skip


def gather_penalty_order(session: Session, case: Case) -> Gathered:
    """Gather the penalty-payment order: its terms as recorded and the violations cited."""
    step, facts = penalty_step(session, case, Trigger.IMPOSE_PENALTY)
    missing = [name for name in PENALTY_TERMS if facts[name] is None]
    if missing:
        raise DomainError(f"The order's step does not record {', '.join(missing)}.")
    facts["heard"] = view_heard(session, step)
    return gathered(session, case, facts=facts, source=source("penalty_order", {}, step))


def view_heard(session: Session, step: StepRecord) -> dict[str, Any] | None:
    """Return the hoster's view a decision step answers, with the answer (None: none given)."""
    recorded = step.facts.get("view")
    view = session.get(HosterView, recorded["id"]) if recorded else None
    if view is None:
        return None
    return {"received_on": to_local(view.received_at).date().isoformat(), "oral": view.oral,
            "text": view.text, "answer": step.params.get("view_answer") or ""}  # fmt: skip


def fine_report_record(session: Session, case: Case) -> tuple[StepRecord, dict[str, Any]]:
    """Return the fine report's step and the report: its date (the day it was drawn up; None
    while its letter waits), the violations it cites and how many."""
    step = step_record(session, case, Trigger.DRAW_FINE_REPORT)
    report = {
        "report_date": to_local(step.occurred_at).date() if step.occurred_at else None,
        "count": step.facts["violations"]["count"] if step.facts.get("violations") else 0,
        "violations": cited_violations(session, step),
    }
    return step, report


def sanction_case(session: Session, case: Case) -> dict[str, Any]:
    """Return what the maximum fine depends on: systematic breach, last year's turnover, and
    the fine category amounts in force (dated data)."""
    categories = [{"effective_from": row.effective_from, "second": row.second,
                   "sixth": row.sixth, "source": row.source}
                  for row in category_table(session)]  # fmt: skip
    return {"systematic": case.systematic, "systematic_reason": case.systematic_reason,
            "turnover_eur": case.turnover_eur, "turnover_source": case.turnover_source,
            "categories": categories}  # fmt: skip


def gather_fine_report(session: Session, case: Case) -> Gathered:
    """Gather the fine report: the violations of removal orders it cites."""
    step, report = fine_report_record(session, case)
    return gathered(session, case, facts={"report": report},
                    source=source("fine_report", {}, step))  # fmt: skip


def gather_fine_intent(session: Session, case: Case, *, amount: Any = None) -> Gathered:
    """Gather the intent to fine: the report (annexed), the view term, the intended amount.

    The amount is the intent step's ``amount`` parameter, or the ``amount`` option.
    """
    step = step_record(session, case, Trigger.INTEND_FINE)
    amount = step.params.get("amount") or amount
    if amount is None:
        raise DomainError("Give the intended amount of the fine.")
    _, report = fine_report_record(session, case)
    facts = {"report": report, "view_weeks": param(step, "view_weeks"), "amount": str(amount),
             **sanction_case(session, case)}  # fmt: skip
    options = {"amount": str(amount)} if not step.params.get("amount") else {}
    return gathered(session, case, facts=facts, source=source("fine_intent", options, step))


def gather_fine_decision(session: Session, case: Case) -> Gathered:
    """Gather the fine: amount as decided, the maximum's basis, the report and its violations."""
    step = step_record(session, case, Trigger.IMPOSE_FINE)
    _, report = fine_report_record(session, case)
    facts = {
        "report": report,
        "amount": step.params["amount"],
        "heard": view_heard(session, step),
        "amount_reasons": step.params.get("amount_reasons") or "",
        "turnover_finding": step.params.get("turnover_finding") or "",
        **sanction_case(session, case),
    }
    return gathered(session, case, facts=facts, source=source("fine_decision", {}, step))


def gather_objection_decision(
    session: Session, case: Case, *, objection_id: int | str | None = None
) -> Gathered:
    """Gather the decision on an objection (default: the case's latest decided one)."""
    objection = decided_objection(session, case, objection_id)
    events = objection_events(session, case, objection)
    facts = {
        "objection": {"received_on": objection.received_on, "on_time": objection.on_time,
                      "outcome": objection.outcome, "reasons": events["reasons"],
                      "advisory_committee": objection.advisory_committee,
                      "deferred": objection.deferred,
                      "decision_due_on": objection.decision_due_on,
                      "objector": objection.objector or "", "grounds": objection.grounds or "",
                      "hearing_on": objection.hearing_on,
                      "hearing_report": objection.hearing_report or "",
                      "no_hearing_ground": objection.no_hearing_ground or ""},
        "objected": decision_reference(session, objection.decision),
        "returned_to": events["returned_to"],
    }  # fmt: skip
    options = {"objection_id": objection.id}
    return gathered(session, case, facts=facts,
                    source=source("objection_decision", options, None))  # fmt: skip


def gather_closure(session: Session, case: Case) -> Gathered:
    """Gather the closure: the reason, and for compliance the figures of the full window."""
    step = step_record(session, case, Trigger.CLOSE)
    reason = step.params.get("close_reason")
    measurement, notices = None, []
    own = step.facts.get("figures")
    if reason == "complied" and own:
        measurement, notices = measure_recorded(session, case, own)
    disposition = {**(step.facts.get("penalty_order") or {}),
                   "reason": step.params.get("penalty_order_reason") or ""}  # fmt: skip
    facts = {"close_reason": reason, "note": step.reason,
             "revoked": revoked_decisions(session, case),
             "sanctions": standing_sanctions(session, case),
             "penalty_order": disposition}  # fmt: skip
    return gathered(session, case, facts=facts, source=source("closure", {}, step),
                    measurement=measurement, notices=notices)  # fmt: skip
