"""Art. 9 on recorded decisions: what the public sees as of a moment, and the publication
events the job records in the case chain."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.events import verify_events
from enforcement.cases.models import CaseEvent
from enforcement.cases.objections import record_objection_decision as decide_objection
from enforcement.cases.objections import register_objection
from enforcement.core.errors import DomainError, PermissionDenied
from enforcement.public import services
from enforcement.public.models import AppealOutcome, ReliefOutcome
from enforcement.public.queries import published_decisions
from tests.cases.conftest import OBJECTOR, complete, weeks
from tests.public.conftest import EARLIEST, FINED_AT

SECOND = timedelta(seconds=1)


def shown(session, now):
    return {d.decision_id: d for d in published_decisions(session, now)}


def publications(session, case):
    events = session.scalars(sa.select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.kind == "publication"
    ).order_by(CaseEvent.sequence))  # fmt: skip
    return [e.data["action"] for e in events]


def test_the_fine_appears_two_weeks_after_it_was_made_known(session, fine):
    assert fine.made_known_at == FINED_AT
    assert shown(session, EARLIEST - SECOND) == {}
    entry = shown(session, EARLIEST)[fine.id]
    content = entry.content()
    assert (content["hoster"], content["kind"], content["amount"]) == ("Slowhost", "fine_decision",
                                                                       "1000")  # fmt: skip
    assert content["decision_date"] == "2026-05-25" and content["violations"] == 3
    assert content["legal_status"] == "objection_possible" and content["status"] == "published"


def test_a_penalty_order_states_its_amount_and_maximum(session, penalty):
    content = shown(session, EARLIEST)[penalty.id].content()
    assert (content["amount_per_violation"], content["maximum"]) == ("500", "50000")


def test_interim_relief_pending_then_refused(session, fine, staff):
    requested = FINED_AT + timedelta(days=3)
    relief = services.record_relief(session, fine, requested_at=requested, actor=staff["legal"],
                                    now=requested)  # fmt: skip
    assert shown(session, EARLIEST + timedelta(days=30)) == {}
    ruled = EARLIEST + timedelta(days=40)
    services.decide_relief(session, relief, outcome=ReliefOutcome.REFUSED, decided_at=ruled,
                           actor=staff["legal"], now=ruled)  # fmt: skip
    assert shown(session, ruled - SECOND) == {}
    assert shown(session, ruled)[fine.id].publication.published_at == ruled


def test_interim_relief_is_recorded_by_legal_staff_only_and_never_in_the_future(
    session, fine, staff
):
    with pytest.raises(PermissionDenied):
        services.record_relief(session, fine, requested_at=EARLIEST, actor=staff["officer"],
                               now=EARLIEST)  # fmt: skip
    with pytest.raises(DomainError, match="future"):
        services.record_relief(session, fine, requested_at=EARLIEST, actor=staff["legal"],
                               now=EARLIEST - SECOND)  # fmt: skip


def test_publication_events_record_publishing_updates_and_withdrawal(session, fine, case, staff):
    assert services.record_publications(session, EARLIEST - SECOND) == []
    assert [a for _, a in services.record_publications(session, EARLIEST)] == ["published"]
    assert services.record_publications(session, EARLIEST + SECOND) == []  # nothing twice
    objection = register_objection(session, fine, received_on=date(2026, 6, 12), **OBJECTOR,
                                   actor=staff["legal"], now=weeks(15))  # fmt: skip
    assert shown(session, weeks(15))[fine.id].legal_status == "objection_pending"
    assert [a for _, a in services.record_publications(session, weeks(15))] == ["updated"]
    decide_objection(session, objection, "upheld", actor=staff["legal"], reason="Wrong term",
                     no_hearing_ground="Manifestly well-founded.", now=weeks(16))  # fmt: skip
    complete(session, case, staff, weeks(17))  # the decision on the objection is issued
    assert fine.revoked
    gone = shown(session, weeks(17))[fine.id]
    assert gone.content()["status"] == "withdrawn" and gone.content()["withdrawn_at"]
    assert gone.legal_status == "revoked"
    assert [a for _, a in services.record_publications(session, weeks(17))] == ["withdrawn"]
    assert publications(session, case) == ["published", "updated", "withdrawn"]
    assert verify_events(case.events) is None


def test_revoked_before_the_two_weeks_is_never_published(session, fine, case, staff):
    day_after = FINED_AT + timedelta(days=1)
    objection = register_objection(session, fine, received_on=date(2026, 5, 26), **OBJECTOR,
                                   actor=staff["legal"], now=day_after)  # fmt: skip
    decide_objection(session, objection, "upheld", actor=staff["legal"], reason="Wrong term",
                     no_hearing_ground="Manifestly well-founded.",
                     now=FINED_AT + timedelta(days=2))  # fmt: skip
    complete(session, case, staff, FINED_AT + timedelta(days=3))
    assert shown(session, EARLIEST + timedelta(days=10)) == {}
    assert services.record_publications(session, EARLIEST + timedelta(days=10)) == []


def test_appeal_after_a_rejected_objection_then_annulled(session, fine, staff):
    with pytest.raises(DomainError, match="follows the decision on an objection"):
        services.record_appeal(session, fine, lodged_on=date(2026, 7, 1), actor=staff["legal"],
                               now=weeks(20))  # fmt: skip
    objection = register_objection(session, fine, received_on=date(2026, 6, 12), **OBJECTOR,
                                   actor=staff["legal"], now=weeks(15))  # fmt: skip
    decide_objection(session, objection, "rejected", actor=staff["legal"], reason="Unfounded",
                     no_hearing_ground="Manifestly unfounded.", now=weeks(16))  # fmt: skip
    assert shown(session, weeks(16))[fine.id].legal_status == "appeal_possible"
    appeal = services.record_appeal(session, fine, lodged_on=date(2026, 7, 1),
                                    actor=staff["legal"], now=weeks(20))  # fmt: skip
    assert shown(session, weeks(20))[fine.id].legal_status == "appeal_pending"
    judged = weeks(40)
    services.decide_appeal(session, appeal, outcome=AppealOutcome.ANNULLED, decided_at=judged,
                           actor=staff["legal"], now=judged)  # fmt: skip
    entry = shown(session, judged)[fine.id]
    assert entry.status == "withdrawn" and entry.legal_status == "annulled"


def test_a_response_with_an_address_is_refused(session, staff):
    for text in (
        "See https://cdn.host.example.test/x",
        "Server 192.0.2.7 was cleaned",
        "hash 0123456789abcdef0123456789abcdef01",
        "ask at abuse.slowhost.nl",
    ):
        with pytest.raises(DomainError, match="URL, host name, IP address or hash"):
            services.check_publishable(text)
    assert services.check_publishable(" We improved our process in May. ") == (
        "We improved our process in May."
    )
