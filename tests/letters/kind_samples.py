"""Gathered inputs for every letter kind from plain stand-ins (no database), and what each
letter must then say: its deadlines with weekday and its key amounts, per language."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import enforcement.sanctions.letters  # noqa: F401  (registers the money side's kinds)
from enforcement.letters.context import Gathered
from enforcement.letters.kinds import KINDS
from tests.letters.samples import (
    AS_OF,
    FIRST_DAY,
    LAST_DAY,
    sample_case,
    sample_measurement,
    sample_notices,
)

KENMERK = "ENF-2026-000321"
REPORT = {"report_date": "2026-02-27", "count": 75, "violations": []}
EARLIER = [{"kind": "warning", "kenmerk": "ENF-2026-000007", "date": "2026-01-05"}]
CATEGORIES = [{"effective_from": "2018-01-01", "second": "4150.00", "sixth": "830000.00",
               "source": "Art. 23 Sr (2018)"}]  # fmt: skip
SYSTEMATIC = {
    "systematic": True,
    "systematic_reason": "Breaches in three successive windows",
    "turnover_eur": Decimal("20000000.00"),
    "turnover_source": "Annual report 2025",
    "categories": CATEGORIES,
}
FACTS = {
    "warning": {"improvement_weeks": 8, "improvement_ends": None},
    "naming_intent": {"reaction_weeks": 2},
    "naming_decision": {
        "heard": {
            "received_on": "2026-02-20",
            "oral": False,
            "text": "We are hiring more abuse staff.",
            "answer": "Hiring staff has not changed the figures measured since.",
        },
        "pending_objections": [{"decision_kind": "penalty_order", "received_on": "2026-02-20"}],
    },
    "penalty_intent": {
        "view_weeks": 2,
        "remedy": None,
        "grace_period_days": None,
        "amount_per_violation": None,
        "maximum": None,
    },
    "penalty_order": {
        "remedy": "Act on every removal order within its term.",
        "grace_period_days": 14,
        "amount_per_violation": "500",
        "maximum": "50000",
        "heard": {
            "received_on": "2026-02-20",
            "oral": True,
            "text": "We are hiring more abuse staff.",
            "answer": "Hiring staff does not answer for the orders left unanswered.",
        },
    },
    "fine_report": {"report": REPORT},
    "fine_intent": {
        "report": REPORT,
        "view_weeks": 2,
        "amount": "2500",
        "systematic": False,
        "categories": CATEGORIES,
    },
    "fine_decision": {
        "report": REPORT,
        "amount": "1500000",
        "amount_reasons": "Material stayed online for days after three orders.",
        "turnover_finding": "The sixth category would not deter a company of this size.",
        "heard": None,
        **SYSTEMATIC,
    },
    "objection_decision": {
        "objection": {
            "received_on": date(2026, 2, 10),
            "on_time": True,
            "outcome": "upheld",
            "reasons": "The reaction period was too short.",
            "advisory_committee": False,
            "deferred": True,
            "decision_due_on": date(2026, 3, 16),
            "objector": "Traaghost Hosting B.V., through its lawyer",
            "grounds": "The reaction period of two weeks was too short to respond.",
            "hearing_on": date(2026, 3, 2),
            "hearing_report": "The objector explained its staffing in February.",
            "no_hearing_ground": "",
        },
        "objected": {
            "kind": "naming_decision",
            "made_known_on": "2026-01-05",
            "kenmerk": "ENF-2026-000009",
            "revoked": True,
        },
        "returned_to": "warning",
    },
    "closure": {"close_reason": "complied", "note": "", "revoked": []},
    "collection_decision": {
        "collection_id": 1,
        "reasons": "",
        "penalty_order": {
            "kind": "penalty_order",
            "made_known_on": "2026-01-05",
            "kenmerk": "ENF-2026-000011",
            "revoked": False,
        },
    },
    "payment_reminder": {
        "claim": {
            "key": "fine:1",
            "kind": "fine",
            "id": 1,
            "kenmerk": "ENF-2026-000050",
            "amount": "2500.00",
            "paid": "1000.00",
            "balance": "1500.00",
            "refund_due": "0.00",
            "made_known_on": "2026-01-05",
            "due_on": "2026-02-16",
            "revoked": False,
        },
    },
}
UNMEASURED = {"objection_decision", "payment_reminder"}
# The sanction letters rest on violations of removal orders (art. 6(3)), not on figures: they
# cite those violations and show no measurement.
SANCTIONS = {
    "penalty_intent",
    "penalty_order",
    "fine_report",
    "fine_intent",
    "fine_decision",
    "collection_decision",
}
# What each letter must say, per language: deadlines (with weekday), dates and amounts.
EXPECTED = {
    "warning": {"nl": ["maandag 27 april 2026"], "en": ["Monday 27 April 2026"]},
    "naming_intent": {"nl": ["maandag 16 maart 2026"], "en": ["Monday 16 March 2026"]},
    "naming_decision": {"nl": ["maandag 16 maart 2026", "maandag 13 april 2026"],
                        "en": ["Monday 16 March 2026", "Monday 13 April 2026"]},
    "penalty_intent": {"nl": ["maandag 16 maart 2026"], "en": ["Monday 16 March 2026"]},
    "penalty_order": {"nl": ["maandag 16 maart 2026", "maandag 13 april 2026", "€ 500,00",
                             "€ 50.000,00"],
                      "en": ["Monday 16 March 2026", "Monday 13 April 2026", "EUR 500.00",
                             "EUR 50,000.00"]},
    "fine_report": {"nl": ["vrijdag 27 februari 2026", "vrijdag 29 mei 2026"],
                    "en": ["Friday 27 February 2026", "Friday 29 May 2026"]},
    "fine_intent": {"nl": ["maandag 16 maart 2026", "vrijdag 29 mei 2026", "€ 2.500,00",
                           "€ 4.150,00"],
                    "en": ["Monday 16 March 2026", "Friday 29 May 2026", "EUR 2,500.00",
                           "EUR 4,150.00"]},
    "fine_decision": {"nl": ["maandag 13 april 2026", "€ 1.500.000,00", "€ 2.000.000,00",
                             "€ 830.000,00"],
                      "en": ["Monday 13 April 2026", "EUR 1,500,000.00", "EUR 2,000,000.00",
                             "EUR 830,000.00"]},
    "objection_decision": {"nl": ["maandag 13 april 2026", "dinsdag 10 februari 2026"],
                           "en": ["Monday 13 April 2026", "Tuesday 10 February 2026"]},
    "closure": {"nl": ["maandag 19 januari 2026", "zondag 1 maart 2026"],
                "en": ["Monday 19 January 2026", "Sunday 1 March 2026"]},
    # 12 forfeitures of 500 from 2 to 13 February: the last payable on Friday 27 March (5:33).
    "collection_decision": {"nl": ["vrijdag 27 maart 2026", "maandag 13 april 2026",
                                   "€ 6.000,00", "maandag 5 januari 2026", "ENF-2026-000011"],
                            "en": ["Friday 27 March 2026", "Monday 13 April 2026",
                                   "EUR 6,000.00", "Monday 5 January 2026", "ENF-2026-000011"]},
    "payment_reminder": {"nl": ["maandag 16 maart 2026", "€ 1.500,00", "€ 2.500,00",
                                "artikel 4:112 Awb"],
                         "en": ["Monday 16 March 2026", "EUR 1,500.00", "EUR 2,500.00",
                                "section 4:112 Awb"]},
}  # fmt: skip


def sample_violations(count: int) -> list[dict]:
    """Return violations of removal orders as the sanction letters cite them (plain values)."""
    return [
        {"id": number, "order": f"ENF-2026-{100 + number // 5:06d}", "notice": f"hl-{number:05d}",
         "due_at": f"2026-02-{1 + number % 27:02d}T09:00:00+00:00",
         "last_online_at": f"2026-02-{1 + number % 27:02d}T09:30:00+00:00",
         "established_at": f"2026-02-{1 + number % 27:02d}T10:00:00+00:00"}
        for number in range(1, count + 1)
    ]  # fmt: skip


def sample_facts(kind: str, count: int) -> dict:
    """Return a kind's facts; a sanction's cite ``count`` violations."""
    facts = dict(FACTS[kind])
    if kind in ("penalty_intent", "penalty_order"):
        facts.update(violations=sample_violations(count), violation_count=count)
    elif kind == "collection_decision":
        forfeitures = [
            {
                **v,
                "amount": "500.00",
                "forfeited_on": v["due_at"][:10],
                "lapses_on": "2027" + v["due_at"][4:10],
            }
            for v in sample_violations(count)
        ]
        facts.update(forfeitures=forfeitures, amount=str(500 * count))
    elif kind in SANCTIONS:
        facts["report"] = {**facts["report"], "count": count,
                           "violations": sample_violations(count)}  # fmt: skip
    return facts


def sample_gathered(kind: str, language: str, *, notices: int = 60) -> Gathered:
    """Return a kind's gathered inputs: the sample hoster, figures and notices, and its facts;
    a sanction letter cites as many violations instead."""
    cited = sample_notices(notices)
    measured = kind not in UNMEASURED | SANCTIONS
    return Gathered(
        case=sample_case(language),
        facts=sample_facts(kind, notices),
        measurement=sample_measurement(cited) if measured else None,
        notices=cited if measured else [],
        earlier_letters=EARLIER,
        source={"kind": kind, "options": {}, "step": None},
    )


def sample_kind_context(kind: str, language: str, *, notices: int = 60) -> dict:
    """Return a kind's context built from the samples, dated AS_OF, with a kenmerk."""
    return KINDS[kind].build_context(
        sample_gathered(kind, language, notices=notices),
        language=language,
        letter_date=AS_OF,
        kenmerk=KENMERK,
    )


__all__ = ["FIRST_DAY", "LAST_DAY", "SimpleNamespace", "sample_kind_context"]
