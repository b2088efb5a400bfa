"""A step with a letter takes effect when legal staff issue that letter, and not before."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import CaseEvent, Decision, PendingStep
from enforcement.cases.objections import register_objection
from enforcement.cases.queries import current_figures
from enforcement.cases.services import open_case
from enforcement.casework import operations
from enforcement.casework.operations import StepRefused, propose
from enforcement.core.errors import Conflict, PermissionDenied
from enforcement.core.time import utcnow
from enforcement.extensions import db
from enforcement.letters.drafts import draft_letter
from enforcement.letters.models import KenmerkCounter, Letter, LetterStatus
from tests.cases.conftest import NO_HEARING, OBJECTOR, T0, slow_hoster, weeks  # noqa: F401  (fixture)
from tests.cases.pages import find_form, submit, text_of
from tests.conftest import ON_POSTGRES


@pytest.fixture
def case(session, slow_hoster, staff):  # noqa: F811  (imported fixture)
    figures = current_figures(session, slow_hoster.id, T0).frozen()
    opened = open_case(session, slow_hoster, actor=staff["officer"], reason="Breaches policy",
                       opening_figures=figures, breaches=True, now=T0)  # fmt: skip
    session.commit()
    return opened


def warned(session, case, staff):
    letter = operations.take_step(
        session, case, Trigger.SEND_WARNING, actor=staff["officer"], now=T0
    )
    operations.issue(session, letter, actor=staff["legal"], now=T0)
    session.commit()


def approved_naming_intent(session, case, staff):
    warned(session, case, staff)
    proposal = propose(session, case, Trigger.INTEND_NAMING, actor=staff["officer"],
                       reason="Still slow", now=weeks(9))  # fmt: skip
    letter = operations.approve(session, proposal, actor=staff["supervisor"], now=weeks(9))
    session.commit()
    return letter


def counters(session) -> list[tuple[int, int]]:
    rows = session.execute(sa.select(KenmerkCounter.year, KenmerkCounter.last_value))
    return [tuple(row) for row in rows]


def transitions(session, case) -> int:
    return session.scalar(
        sa.select(sa.func.count()).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == "transition"
        )
    )


def test_taking_a_step_drafts_its_letter_and_waits_for_it(session, case, staff):
    letter = operations.take_step(
        session, case, Trigger.SEND_WARNING, actor=staff["officer"], now=T0
    )
    session.commit()
    assert (case.stage, letter.kind, letter.status) == (Stage.NOTICE, "warning", LetterStatus.DRAFT)
    assert letter.pending_step.trigger == Trigger.SEND_WARNING and case.deadlines == []
    with pytest.raises(StepRefused, match="waits for its letter"):
        operations.take_step(session, case, Trigger.CLOSE, actor=staff["officer"], now=T0,
                        params={"close_reason": "withdrawn"})  # fmt: skip
    issued_at = weeks(1)
    operations.issue(session, letter, actor=staff["legal"], now=issued_at)
    session.commit()
    assert case.stage == Stage.WARNING and letter.issued_at == issued_at
    window = next(d for d in case.deadlines if d.kind == "improvement_window")
    assert window.starts_at == issued_at
    # Eight weeks from Monday 9 March: the end of Monday 4 May, as the letter says.
    assert letter.context["improvement_ends_on"] == "2026-05-04"
    event = case.events[-1]
    assert (event.kind, event.actor_id, event.data["letter_id"]) == (
        "transition",
        staff["legal"].id,
        letter.id,
    )
    assert letter.pending_step.status == "completed"


def test_the_guards_are_checked_again_when_the_letter_is_issued(session, case, staff):
    letter = approved_naming_intent(session, case, staff)
    session.execute(
        sa.text("UPDATE notices SET offline_at = notice_sent_at WHERE hoster_id = :h"),
        {"h": case.hoster_id},
    )
    session.commit()
    before = counters(session)
    with pytest.raises(StepRefused, match="no longer breaches"):
        operations.issue(session, letter, actor=staff["legal"], now=weeks(10))
    session.rollback()
    stored = session.get(Letter, letter.id)
    assert (stored.status, stored.kenmerk, case.stage) == (LetterStatus.DRAFT, None, Stage.WARNING)
    assert counters(session) == before and transitions(session, case) == 1


def test_only_legal_staff_issue_and_a_refusal_changes_nothing(session, case, staff):
    letter = approved_naming_intent(session, case, staff)
    for role in ("officer", "supervisor", "admin"):
        with pytest.raises(PermissionDenied, match="Only legal staff"):
            operations.issue(session, letter, actor=staff[role], now=weeks(10))
        session.rollback()
    assert session.get(Letter, letter.id).status == LetterStatus.DRAFT
    assert case.stage == Stage.WARNING and transitions(session, case) == 1


def test_a_letter_drafted_while_its_step_is_proposed_waits_for_the_approval(session, case, staff):
    warned(session, case, staff)
    proposal = propose(session, case, Trigger.INTEND_NAMING, actor=staff["officer"],
                       reason="Still slow", now=weeks(9))  # fmt: skip
    early = draft_letter(session, case, "naming_intent", actor=staff["officer"], now=weeks(9))
    session.commit()
    with pytest.raises(Conflict, match="issued with its step"):
        operations.issue(session, early, actor=staff["legal"], now=weeks(9))
    session.rollback()
    assert counters(session) == [(2026, 1)]  # the warning's number only
    # The approval adopts that draft instead of adding a second one.
    letter = operations.approve(session, proposal, actor=staff["supervisor"], now=weeks(9))
    assert letter.id == early.id and letter.pending_step is not None
    operations.issue(session, letter, actor=staff["legal"], now=weeks(9))
    session.commit()
    assert case.stage == Stage.NAMING_INTENT


def test_a_rejected_objection_gets_its_letter_and_moves_nothing(session, case, staff):
    warned(session, case, staff)
    for trigger, at, params in [
        (Trigger.INTEND_NAMING, weeks(9), {}),
        (Trigger.NAME_PUBLICLY, weeks(12), {"reaction": "none"}),
    ]:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=params,
                           reason="Slow", now=at)  # fmt: skip
        operations.issue(session, operations.approve(session, proposal, actor=staff["supervisor"],
                                                now=at), actor=staff["legal"], now=at)  # fmt: skip
    decision = session.scalar(sa.select(Decision))
    objection = register_objection(session, decision, received_on=date(2026, 6, 1),
                                   **OBJECTOR, actor=staff["legal"], now=weeks(14))  # fmt: skip
    letter = operations.decide_objection(session, objection, "rejected", actor=staff["legal"],
                           no_hearing_ground=NO_HEARING,
                                    reason="The figures stand.", now=weeks(16))  # fmt: skip
    assert letter.kind == "objection_decision" and letter.pending_step is None
    # A second objection decided before the first answer went out gets an answer of its own.
    second = register_objection(session, decision, received_on=date(2026, 6, 3),
                                **OBJECTOR, actor=staff["legal"], now=weeks(14))  # fmt: skip
    answer = operations.decide_objection(session, second, "inadmissible", actor=staff["legal"],
                           no_hearing_ground=NO_HEARING,
                                    reason="Not signed.", now=weeks(16))  # fmt: skip
    assert answer.id != letter.id
    assert letter.context["objection"]["outcome"] == "rejected"
    assert answer.context["objection"]["outcome"] == "inadmissible"
    operations.issue(session, letter, actor=staff["legal"], now=weeks(16))
    session.commit()
    assert case.stage == Stage.NAMED and not decision.revoked and letter.kenmerk


def test_withdrawing_a_step_discards_its_draft(client, signed_in, session, case, staff):
    letter = operations.take_step(
        session, case, Trigger.SEND_WARNING, actor=staff["officer"], now=T0
    )
    session.commit()
    pending_id, letter_id = letter.pending_step_id, letter.id
    signed_in("officer")
    shown = text_of(client.get(f"/letters/{letter_id}"))
    assert "Send the warning letter: takes effect when this letter is issued" in shown
    path = f"/cases/{case.id}"
    page = text_of(client.get(path))
    assert "Waiting for its letter" in page and f"letter #{letter_id}" in page
    action = f"/cases/pending-steps/{pending_id}/withdraw"
    refused = submit(client, path, action, reason=" ")
    assert "Say why the step is withdrawn." in text_of(client.get(refused.headers["Location"]))
    done = submit(client, path, action, reason="Wrong hoster")
    page = text_of(client.get(done.headers["Location"]))
    assert "Withdrawn: Send the warning letter" in page and "Waiting for its letter" not in page
    session.expire_all()
    assert session.get(Letter, letter_id) is None
    assert session.get(PendingStep, pending_id).status == "withdrawn"
    assert case.events[-1].kind == "step_withdrawn" and case.stage == Stage.NOTICE
    assert find_form(client.get(path).get_data(as_text=True), f"{path}/act") is not None


def test_the_fine_intent_form_records_the_amount_its_letter_states(
    client, auth, signed_in, session, case, staff
):
    warned(session, case, staff)
    # Drawn up yesterday: the intent's view term (two weeks from today, on the page) ends well
    # within the 13 weeks of Awb 5:51.
    yesterday = utcnow() - timedelta(days=1)
    proposal = propose(session, case, Trigger.DRAW_FINE_REPORT, actor=staff["officer"],
                       params={}, reason="Slow", now=yesterday)  # fmt: skip
    report = operations.approve(session, proposal, actor=staff["supervisor"], now=yesterday)
    operations.issue(session, report, actor=staff["legal"], now=yesterday)
    session.commit()
    signed_in("officer")
    path = f"/cases/{case.id}"
    submit(client, path, f"{path}/propose", {"trigger": "intend_fine"}, amount="3000",
           reason="Serious delays")  # fmt: skip
    proposal = session.scalar(sa.select(sa.text("id FROM proposals WHERE status = 'pending'")))
    auth.logout()
    signed_in("supervisor")
    submit(client, path, f"/cases/proposals/{proposal}/approve", note="Agreed")
    session.expire_all()
    letter = session.scalar(sa.select(Letter).where(Letter.kind == "fine_intent"))
    assert letter.pending_step.params["amount"] == "3000"
    assert letter.context["fine"]["amount"] == "3000.00"


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL's real connections")
def test_two_legal_staff_issue_one_step_letter_once(app, session, case, staff):
    letter = operations.take_step(
        session, case, Trigger.SEND_WARNING, actor=staff["officer"], now=T0
    )
    session.commit()
    with Session(db.engine) as first, Session(db.engine) as second:
        letter_a, letter_b = first.get(Letter, letter.id), second.get(Letter, letter.id)
        letter_b.pending_step.case  # noqa: B018  (loaded before the other commits)
        operations.issue(first, letter_a, actor=first.get(User, staff["legal"].id), now=T0)
        first.commit()
        with pytest.raises(Conflict, match="already issued as ENF-2026-000001"):
            operations.issue(second, letter_b, actor=second.get(User, staff["legal"].id), now=T0)
        second.rollback()
    session.expire_all()
    assert transitions(session, case) == 1 and counters(session) == [(2026, 1)]
