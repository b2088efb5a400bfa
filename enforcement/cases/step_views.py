"""The case page's forms: steps, proposals, objections and deadline changes.

Each view loads what its URL names, validates the form, calls one service with the version of
the case the user saw, commits once and goes back to the case page (POST-redirect-GET). A
refusal (a guard, a role, a stale page) becomes a message there and changes nothing.
"""

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from enforcement.auth.models import Role
from enforcement.cases import hearings, objections, services, terms
from enforcement.cases.events import CASE_CHANGED
from enforcement.cases.fine_basis import record_fine_basis
from enforcement.cases.forms import (
    DIRECT_TRIGGERS,
    PROPOSED_TRIGGERS,
    DeadlineChangeForm,
    DecideObjectionForm,
    DeferForm,
    FineBasisForm,
    HearingForm,
    ObjectionForm,
    ProposalDecisionForm,
    StepForm,
    VersionedForm,
    ViewForm,
    WithdrawStepForm,
)
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Deadline, Decision, Objection, PendingStep, Proposal
from enforcement.cases.queries import get_row
from enforcement.cases.steps import STEPS
from enforcement.cases.views import bp, flash_form_errors
from enforcement.casework import operations
from enforcement.core.errors import DomainError
from enforcement.core.web import roles_required
from enforcement.deadlines import end_of_day
from enforcement.extensions import db

DEADLINE_DONE = {
    "extend": "Deadline extended.",
    "suspend": "Deadline suspended.",
    "resume": "Deadline resumed; its end moved by the time it was suspended.",
}


def roles_of(triggers: tuple[Trigger, ...]) -> set[Role]:
    """Return every role that may start at least one of these steps."""
    return {role for trigger in triggers for role in STEPS[trigger].roles}


def stage_name(stage) -> str:
    return stage.value.replace("_", " ")


def carry_out(case_id: int, form: VersionedForm, step: Callable[[int], str]):
    """Validate the form, run one service with the version the user saw, commit, go back."""
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            done = step(form.version.data)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            flash(CASE_CHANGED, "error")
        else:
            flash(done, "info")
    return redirect(url_for("cases.detail", case_id=case_id))


def outcome(label: str, letter, case) -> str:
    """Say what a step did: done at once, or waiting for its letter."""
    if letter is None:
        return f"{label}: done. The case is at the {stage_name(case.stage)} stage."
    return (
        f"{label}: its {letter.kind.replace('_', ' ')} letter is drafted (letter #{letter.id}). "
        "The step takes effect, and its deadlines start, when legal staff issue it."
    )


def chosen(form: StepForm, allowed: tuple[Trigger, ...]) -> Trigger:
    trigger = form.chosen_trigger(allowed)
    if trigger is None:
        raise DomainError("This form cannot take that step.")
    return trigger


@bp.post("/<int:case_id>/act")
@roles_required(*roles_of(DIRECT_TRIGGERS))
def act(case_id: int):
    case = services.get_case(db.session, case_id)
    form = StepForm()

    def step(version: int) -> str:
        trigger = chosen(form, DIRECT_TRIGGERS)
        letter = operations.take_step(
            db.session,
            case,
            trigger,
            actor=current_user,
            params=form.params(trigger),
            reason=form.reason.data or "",
            expected_version=version,
        )
        return outcome(STEPS[trigger].label, letter, case)

    return carry_out(case_id, form, step)


@bp.post("/<int:case_id>/propose")
@roles_required(*roles_of(PROPOSED_TRIGGERS))
def propose(case_id: int):
    case = services.get_case(db.session, case_id)
    form = StepForm()

    def step(version: int) -> str:
        trigger = chosen(form, PROPOSED_TRIGGERS)
        operations.propose(
            db.session,
            case,
            trigger,
            actor=current_user,
            params=form.params(trigger),
            reason=form.reason.data or "",
            expected_version=version,
        )
        return f"Proposed: {STEPS[trigger].label}. A supervisor other than you decides on it."

    return carry_out(case_id, form, step)


@bp.post("/proposals/<int:proposal_id>/approve")
@roles_required(Role.SUPERVISOR)
def approve(proposal_id: int):
    proposal = get_row(db.session, Proposal, proposal_id, "proposal")
    form = ProposalDecisionForm()

    def step(version: int) -> str:
        letter = operations.approve(
            db.session,
            proposal,
            actor=current_user,
            note=form.note.data or "",
            expected_version=version,
        )
        return outcome(f"Approved: {STEPS[proposal.trigger].label}", letter, proposal.case)

    return carry_out(proposal.case_id, form, step)


@bp.post("/proposals/<int:proposal_id>/refuse")
@roles_required(Role.SUPERVISOR)
def refuse(proposal_id: int):
    proposal = get_row(db.session, Proposal, proposal_id, "proposal")
    form = ProposalDecisionForm()

    def step(version: int) -> str:
        operations.refuse(
            db.session,
            proposal,
            actor=current_user,
            note=form.note.data or "",
            expected_version=version,
        )
        return f"Refused: {STEPS[proposal.trigger].label}. The case stays where it is."

    return carry_out(proposal.case_id, form, step)


@bp.post("/pending-steps/<int:pending_id>/withdraw")
@roles_required(*services.WITHDRAWERS)
def pending_withdraw(pending_id: int):
    pending = get_row(db.session, PendingStep, pending_id, "pending step")
    form = WithdrawStepForm()

    def step(version: int) -> str:
        operations.withdraw_step(
            db.session,
            pending,
            actor=current_user,
            reason=form.reason.data or "",
            expected_version=version,
        )
        return f"Withdrawn: {STEPS[pending.trigger].label}. Its draft letter was discarded."

    return carry_out(pending.case_id, form, step)


@bp.post("/<int:case_id>/views")
@roles_required(Role.LEGAL)
def view_record(case_id: int):
    case = services.get_case(db.session, case_id)
    form = ViewForm()

    def step(version: int) -> str:
        hearings.record_view(db.session, case, received_at=form.moment(), text=form.text.data,
                             oral=form.oral.data, actor=current_user,
                             expected_version=version)  # fmt: skip
        return "The hoster's view is recorded; the decision must answer it."

    return carry_out(case.id, form, step)


@bp.post("/<int:case_id>/fine-basis")
@roles_required(Role.LEGAL, Role.SUPERVISOR)
def fine_basis(case_id: int):
    case = services.get_case(db.session, case_id)
    form = FineBasisForm()

    def step(version: int) -> str:
        record_fine_basis(db.session, case, systematic=form.systematic.data,
                          systematic_reason=form.systematic_reason.data or "",
                          turnover_eur=form.turnover_eur.data,
                          turnover_source=form.turnover_source.data or "", actor=current_user,
                          expected_version=version)  # fmt: skip
        return "The basis of the fine is recorded; the maximum fine follows it."

    return carry_out(case.id, form, step)


@bp.post("/decisions/<int:decision_id>/objections")
@roles_required(Role.LEGAL)
def objection_register(decision_id: int):
    decision = get_row(db.session, Decision, decision_id, "decision")
    form = ObjectionForm()

    def step(version: int) -> str:
        objection = objections.register_objection(
            db.session,
            decision,
            received_on=form.received_on.data,
            actor=current_user,
            objector=form.objector.data,
            grounds=form.grounds.data,
            advisory_committee=form.advisory_committee.data,
            expected_version=version,
        )
        timing = "on time" if objection.on_time else "late"
        return f"Objection registered ({timing}); decide on it by {objection.decision_due_on}."

    return carry_out(decision.case_id, form, step)


@bp.post("/objections/<int:objection_id>/hearing")
@roles_required(Role.LEGAL)
def objection_hearing(objection_id: int):
    objection = get_row(db.session, Objection, objection_id, "objection")
    form = HearingForm()

    def step(version: int) -> str:
        objections.record_hearing(db.session, objection, held_on=form.held_on.data,
                                  report=form.report.data or "", actor=current_user,
                                  expected_version=version)  # fmt: skip
        return "The hearing is recorded; the decision on the objection can follow."

    return carry_out(objection.decision.case_id, form, step)


@bp.post("/objections/<int:objection_id>/defer")
@roles_required(Role.LEGAL)
def objection_defer(objection_id: int):
    objection = get_row(db.session, Objection, objection_id, "objection")
    form = DeferForm()

    def step(version: int) -> str:
        objections.defer_objection(
            db.session,
            objection,
            actor=current_user,
            reason=form.reason.data or "",
            expected_version=version,
        )
        return f"Decision on the objection deferred to {objection.decision_due_on}."

    return carry_out(objection.decision.case_id, form, step)


@bp.post("/objections/<int:objection_id>/decide")
@roles_required(Role.LEGAL)
def objection_decide(objection_id: int):
    objection = get_row(db.session, Objection, objection_id, "objection")
    form = DecideObjectionForm()

    def step(version: int) -> str:
        letter = operations.decide_objection(
            db.session,
            objection,
            form.outcome.data,
            actor=current_user,
            reason=form.reason.data or "",
            no_hearing_ground=form.no_hearing_ground.data or "",
            expected_version=version,
        )
        if letter is None:
            return f"Objection decided: {form.outcome.data}."
        return (
            f"Objection decided: {form.outcome.data}. The decision on it is drafted as letter "
            f"#{letter.id}; it takes effect when legal staff issue it."
        )

    return carry_out(objection.decision.case_id, form, step)


@bp.post("/deadlines/<int:deadline_id>")
@roles_required(*terms.MAY_CHANGE_DEADLINES)
def deadline_change(deadline_id: int):
    deadline = get_row(db.session, Deadline, deadline_id, "deadline")
    form = DeadlineChangeForm()

    def step(version: int) -> str:
        common = {
            "actor": current_user,
            "reason": form.reason.data or "",
            "expected_version": version,
        }
        if form.action.data == "extend":
            new_due = end_of_day(form.new_due_on.data)
            terms.extend_deadline(db.session, deadline, new_due, **common)
        elif form.action.data == "suspend":
            terms.suspend_deadline(db.session, deadline, **common)
        else:
            terms.resume_deadline(db.session, deadline, **common)
        return DEADLINE_DONE[form.action.data]

    return carry_out(deadline.case_id, form, step)
