"""Each kind's gatherer against a real case walked up the ladder, each step completed by
issuing its real letter (enforcement.casework.operations).

The letters are dated the moment they are issued, so their deadlines must be the case's own.
"""

import json
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.hearings import record_view
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Decision
from enforcement.cases.objections import register_objection
from enforcement.cases.queries import current_figures
from enforcement.cases.services import open_case
from enforcement.cases.steps import STEPS
from enforcement.casework import operations
from enforcement.casework.operations import propose
from enforcement.core.errors import DomainError
from enforcement.core.time import LOCAL_TZ, to_local
from enforcement.letters.context import ensure_plain
from enforcement.letters.drafts import draft_letter
from enforcement.letters.kinds import KINDS, get_kind
from enforcement.notices.models import Notice
from tests.cases.conftest import NO_HEARING, OBJECTOR, T0, slow_hoster, weeks  # noqa: F401  (fixture)
from tests.letters import pdftools

PENALTY = {"remedy": "Act on every removal order within its term.",
           "grace_period_days": 14, "amount_per_violation": "500", "maximum": "50000"}  # fmt: skip


@pytest.fixture
def case(session, slow_hoster, staff):  # noqa: F811  (imported fixture)
    """An open case for the cases tests' slow hoster (30 h on every other notice), at T0."""
    figures = current_figures(session, slow_hoster.id, T0).frozen()
    opened = open_case(session, slow_hoster, actor=staff["officer"], reason="Breaches policy",
                       opening_figures=figures, breaches=True, now=T0)  # fmt: skip
    session.commit()
    return opened


def step(session, case, staff, trigger, at, *, issue_at=None, **params):
    """Take a step (directly, or proposed by the officer and approved by a supervisor), then
    issue its letter as legal staff at ``issue_at`` (default: at once), which completes it."""
    if trigger in (Trigger.SEND_WARNING, Trigger.CLOSE):
        letter = operations.take_step(session, case, trigger, actor=staff["officer"], params=params,
                                 now=at, reason="r")  # fmt: skip
    else:
        proposal = propose(session, case, trigger, actor=staff["officer"], params=params,
                           reason="Still slow", now=at)  # fmt: skip
        letter = operations.approve(session, proposal, actor=staff["supervisor"], now=at)
    session.commit()
    assert letter.pending_step.trigger == trigger and case.stage == letter.pending_step.from_stage
    operations.issue(session, letter, actor=staff["legal"], now=issue_at or at)
    session.commit()
    return letter


def context_of(session, case, kind, at, **options):
    context = get_kind(kind).context(session, case, letter_date=at, **options)
    assert ensure_plain(context) is context
    assert json.loads(json.dumps(context)) == context
    assert context["kind"] == kind and context["addressee"]["kvk"] == case.hoster.kvk
    return context


def due_day(case, kind):
    deadline = next(d for d in case.deadlines if d.kind == kind and d.status == "running")
    return to_local(deadline.due_at).date().isoformat()


def late_notices(session, case, recorded) -> list[str]:
    """Return the notices of a recorded window that missed 24 hours, counted here in Python."""
    as_of, first_day = datetime.fromisoformat(recorded["as_of"]), recorded["window"][0]
    start = datetime.combine(date.fromisoformat(first_day), time(0), LOCAL_TZ)
    notices = session.scalars(
        sa.select(Notice)
        .where(Notice.hoster_id == case.hoster_id, Notice.notice_sent_at >= start)
        .where(Notice.notice_sent_at <= as_of)
        .order_by(Notice.notice_sent_at)
    )
    day = timedelta(hours=24)
    return [
        n.external_id
        for n in notices
        if (
            n.offline_at is not None
            and n.offline_at <= as_of
            and n.offline_at - n.notice_sent_at > day
        )
        or ((n.offline_at is None or n.offline_at > as_of) and as_of - n.notice_sent_at >= day)
    ]


def event_of(case, trigger):
    return [e for e in case.events if e.trigger == trigger.value and e.kind == "transition"][-1]


def test_the_naming_letters_cite_the_figures_the_intent_relied_on(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    step(session, case, staff, Trigger.INTEND_NAMING, weeks(9), reaction_weeks=3)
    intent = context_of(session, case, "naming_intent", weeks(9))
    recorded = event_of(case, Trigger.INTEND_NAMING).data["facts"]["figures"]
    assert [intent["window"]["first_day"], intent["window"]["last_day"]] == recorded["window"]
    assert intent["figures"] == recorded["figures"]
    assert intent["reaction"] == {"weeks": 3, "ends_on": due_day(case, "reaction_period")}
    assert [n["external_id"] for n in intent["notices"]] == late_notices(session, case, recorded)

    record_view(session, case, received_at=weeks(10), text="We hire staff.", oral=True,
                actor=staff["legal"], now=weeks(10))  # fmt: skip
    step(session, case, staff, Trigger.NAME_PUBLICLY, weeks(13),
         view_answer="Hiring has not changed the figures.")  # fmt: skip
    decision = context_of(session, case, "naming_decision", weeks(13))
    assert decision["figures"] == intent["figures"]
    assert decision["heard"] == {
        "received_on": "2026-05-11",
        "oral": True,
        "text": "We hire staff.",
        "answer": "Hiring has not changed the figures.",
    }
    assert decision["remedy"] == {"kind": "objection", "last_day": due_day(case, "objection_term")}
    assert decision["publication"]["not_before"] == "2026-06-15"  # two weeks after 1 June
    assert decision["publication"]["pending_objections"] == []


def test_a_letter_can_be_drafted_while_its_step_is_only_proposed(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    proposal = propose(session, case, Trigger.INTEND_NAMING, actor=staff["officer"],
                       params={"reaction_weeks": 2}, reason="Slow", now=weeks(9))  # fmt: skip
    context = context_of(session, case, "naming_intent", weeks(9))
    assert context["source"]["step"]["proposal_id"] == proposal.id
    assert context["source"]["step"]["event_id"] is None
    assert context["figures"]["notices"] > 0


def test_the_penalty_letters_and_a_rejected_objection(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    step(session, case, staff, Trigger.INTEND_PENALTY, weeks(9), view_weeks=2)
    intent = context_of(session, case, "penalty_intent", weeks(9))
    assert intent["view"] == {"weeks": 2, "ends_on": due_day(case, "view_term")}
    assert intent["intended"] is None
    # The hoster gave its view a week after the intent, before the term ended.
    record_view(session, case, received_at=weeks(10), text="We hired two abuse handlers.",
                oral=False, actor=staff["legal"], now=weeks(10))  # fmt: skip
    issued = step(session, case, staff, Trigger.IMPOSE_PENALTY, weeks(12),
                  view_answer="Staff alone did not make the items inaccessible in time.",
                  **PENALTY)  # fmt: skip
    order = context_of(session, case, "penalty_order", weeks(12))
    # Both rest on the hoster's violated removal orders (art. 6(3)), never on its figures.
    assert order["figures"] is None and order["notices"] == []
    assert [v["notice"] for v in order["violations"]] == ["n1", "n2", "n3"]
    assert {v["order"] for v in intent["violations"]} == {"EXT-BEVEL-1"}
    assert order["order"]["grace_ends_on"] == due_day(case, "grace_period")
    assert (order["order"]["amount_per_violation"], order["order"]["maximum"]) == (
        "500.00",
        "50000.00",
    )
    assert order["order"]["violations_to_maximum"] == 100
    assert order["heard"] == {
        "received_on": "2026-05-11",
        "oral": False,
        "text": "We hired two abuse handlers.",
        "answer": "Staff alone did not make the items inaccessible in time.",
    }
    assert order["remedy"]["last_day"] == due_day(case, "objection_term")

    decision = session.scalar(sa.select(Decision).where(Decision.case_id == case.id))
    objection = register_objection(session, decision, received_on=date(2026, 6, 1),
                                   **OBJECTOR, actor=staff["legal"], now=weeks(14))  # fmt: skip
    operations.decide_objection(session, objection, "rejected", actor=staff["legal"],
                           no_hearing_ground=NO_HEARING,
                           reason="The figures stand.", now=weeks(16))  # fmt: skip
    answer = context_of(session, case, "objection_decision", weeks(16))
    assert answer["objection"]["outcome"] == "rejected"
    assert answer["objection"]["reasons"] == "The figures stand."
    assert answer["objected"] == {"kind": "penalty_order", "made_known_on": "2026-05-25",
                                  "kenmerk": issued.kenmerk, "revoked": False}  # fmt: skip
    assert answer["returned_to"] is None and answer["remedy"]["kind"] == "appeal"
    assert answer["source"]["options"] == {"objection_id": objection.id}


def test_the_fine_letters_cite_the_reported_violations(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    step(session, case, staff, Trigger.DRAW_FINE_REPORT, weeks(9))
    report = context_of(session, case, "fine_report", weeks(9))
    violations = event_of(case, Trigger.DRAW_FINE_REPORT).data["facts"]["violations"]
    assert report["report"]["violation_count"] == violations["count"] == 3
    assert [v["id"] for v in report["violations"]] == violations["ids"]
    assert report["report"]["first_due_at"] == violations["first_due_at"]
    # Dated the day it was drawn up (its letter issued): 13 weeks from then (Awb 5:51).
    assert report["report"]["date"] == to_local(weeks(9)).date().isoformat()
    assert report["report"]["decision_due_on"] == due_day(case, "fine_decision") == "2026-08-03"
    assert report["notices"] == [] and report["figures"] is None

    step(session, case, staff, Trigger.INTEND_FINE, weeks(9), view_weeks=2, amount="3000")
    intent = context_of(session, case, "fine_intent", weeks(9))
    assert intent["report"] == report["report"] and intent["violations"] == report["violations"]
    assert intent["fine"]["amount"] == "3000.00"
    assert intent["fine"]["maximum"]["amount"] == "4150.00"
    assert intent["fine"]["maximum"]["basis"] == "second_category"
    assert intent["view"]["ends_on"] == due_day(case, "view_term")

    case.systematic, case.systematic_reason = True, "Three windows in a row"
    step(session, case, staff, Trigger.IMPOSE_FINE, weeks(12), amount="40000",
         amount_reasons="Three orders left unanswered for days.")  # fmt: skip
    fine = context_of(session, case, "fine_decision", weeks(12))
    assert fine["fine"]["amount"] == "40000.00"
    assert fine["fine"]["maximum"]["basis"] == "sixth_category"
    assert fine["payment"]["due_on"] == fine["remedy"]["last_day"] == "2026-07-06"


def test_closing_as_complied_cites_the_full_window(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    session.execute(
        sa.text("UPDATE notices SET offline_at = notice_sent_at WHERE hoster_id = :h"),
        {"h": case.hoster_id},
    )
    step(session, case, staff, Trigger.CLOSE, weeks(7), close_reason="complied")
    closure = context_of(session, case, "closure", weeks(7))
    assert closure["closure"]["reason"] == "complied"
    assert closure["window"]["first_day"] == "2026-03-02"
    assert closure["figures"]["offline_within_24h_pct"] == 100.0 and closure["notices"] == []


def test_an_upheld_objection_and_the_closure_after_it(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    step(session, case, staff, Trigger.INTEND_NAMING, weeks(9))
    step(session, case, staff, Trigger.NAME_PUBLICLY, weeks(12), reaction="none")
    decision = session.scalar(sa.select(Decision).where(Decision.case_id == case.id))
    objection = register_objection(session, decision, received_on=date(2026, 6, 1),
                                   **OBJECTOR, actor=staff["legal"], now=weeks(14))  # fmt: skip
    naming = context_of(session, case, "naming_decision", weeks(14))
    assert naming["publication"]["pending_objections"] == [
        {"decision_kind": "naming_decision", "received_on": "2026-06-01"}
    ]
    letter = operations.decide_objection(session, objection, "upheld", actor=staff["legal"],
                           no_hearing_ground=NO_HEARING,
                                    reason="Too short a reaction period.",
                                    now=weeks(16))  # fmt: skip
    operations.issue(session, letter, actor=staff["legal"], now=weeks(16))
    session.commit()
    answer = context_of(session, case, "objection_decision", weeks(16))
    assert letter.context["returned_to"] == "warning" and decision.revoked
    assert answer["objection"]["outcome"] == "upheld" and answer["returned_to"] == "warning"
    assert answer["objected"]["revoked"] is True
    step(session, case, staff, Trigger.CLOSE, weeks(17), close_reason="revoked_on_objection")
    closure = context_of(session, case, "closure", weeks(17))
    assert closure["figures"] is None and closure["notices"] == []
    assert [r["kind"] for r in closure["closure"]["revoked"]] == ["naming_decision"]


@pytest.mark.parametrize(
    ("kind", "options", "problem"),
    [
        ("naming_intent", {}, "no step"),
        ("objection_decision", {}, "no decided objection"),
        ("no_such_kind", {}, "no letter kind"),
    ],
)
def test_a_letter_without_its_step_is_refused(session, case, kind, options, problem):
    with pytest.raises(DomainError, match=problem):
        draft_letter(session, case, kind, actor=None, letter_date=T0, **options)


def test_every_ladder_letter_has_a_kind():
    money = {"collection_decision", "payment_reminder"}  # not steps (enforcement.sanctions)
    assert {s.letter for s in STEPS.values() if s.letter} == set(KINDS) - money


@pytest.mark.skipif(bool(pdftools.MISSING), reason="needs poppler-utils")
def test_a_letter_approved_earlier_counts_deadlines_from_its_issue(session, case, staff):
    step(session, case, staff, Trigger.SEND_WARNING, T0)
    step(session, case, staff, Trigger.INTEND_NAMING, weeks(9))
    approved = weeks(11) + timedelta(days=2)  # Wednesday 20 May, after the reaction period
    proposal = propose(session, case, Trigger.NAME_PUBLICLY, actor=staff["officer"],
                       params={"reaction": "none"}, reason="Slow", now=approved)  # fmt: skip
    letter = operations.approve(session, proposal, actor=staff["supervisor"], now=approved)
    assert letter.context["remedy"]["last_day"] == "2026-07-01"  # six weeks after 20 May
    operations.issue(session, letter, actor=staff["legal"], now=weeks(12))
    session.commit()
    assert letter.context["remedy"]["last_day"] == due_day(case, "objection_term")
    assert event_of(case, Trigger.NAME_PUBLICLY).occurred_at == letter.issued_at == weeks(12)
    text = " ".join(pdftools.page_texts(letter.pdf))
    assert letter.kenmerk in text and "maandag 6 juli 2026" in text  # 25 May + 6 weeks
