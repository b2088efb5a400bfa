"""Removal orders through their services: draft, issue (a real PDF), receipt, violations."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.events import verify_chains
from enforcement.cases.models import CaseEvent
from enforcement.cases.services import open_case
from enforcement.casework.operations import issue as issue_from_letter_page
from enforcement.core.errors import Conflict, DomainError, FieldErrors, PermissionDenied
from enforcement.letters.models import KenmerkCounter, LetterStatus
from enforcement.letters.orders import (
    discard_removal_order,
    draft_removal_order,
    issue_removal_order,
)
from enforcement.notices.models import Notice, NoticeCheck
from enforcement.orders.models import OrderStatus, RemovalOrder, Violation
from enforcement.orders.services import record_receipt
from enforcement.orders.violations import establish_violations, withdraw_violation
from tests.orders.conftest import ORDERS_T0

T0 = ORDERS_T0  # when the orders in these tests are drafted
H = timedelta(hours=1)


def notices(session, *external_ids):
    query = sa.select(Notice).where(Notice.external_id.in_(external_ids)).order_by(Notice.id)
    return list(session.scalars(query))


def draft(session, hoster, staff, ids=("n1", "n2", "n3"), **kwargs):
    kwargs.setdefault("term_hours", 12)
    order = draft_removal_order(session, hoster, [n.id for n in notices(session, *ids)],
                                actor=staff["officer"], now=T0, **kwargs)  # fmt: skip
    session.commit()
    return order


def issued(session, hoster, staff, at=T0 + H, **kwargs):
    order = draft(session, hoster, staff, **kwargs)
    issue_removal_order(session, order, actor=staff["legal"], now=at)
    session.commit()
    return order


def test_an_officer_drafts_an_order_for_still_online_notices(session, hoster, staff):
    order = draft(session, hoster, staff, reasons="Seen again on a mirror.")
    assert order.status == OrderStatus.DRAFT and order.reference is None
    assert [item.url for item in order.items] == [n.url for n in notices(session, "n1", "n2", "n3")]
    assert order.letter.status == LetterStatus.DRAFT
    assert order.letter.hoster_id == hoster.id and order.letter.case_id is None
    assert order.letter.context["order"]["reasons"] == "Seen again on a mirror."
    assert [i["notice_reference"] for i in order.letter.context["items"]] == ["n1", "n2", "n3"]


@pytest.mark.parametrize(
    ("ids", "term", "error"),
    [
        (("n1", "n4"), 12, "no longer online"),
        ((), 12, "select at least one"),
        (("n1",), 0, "1 to 12 hours"),
        (("n1",), 13, "1 to 12 hours"),
    ],
)
def test_drafting_refuses_what_cannot_be_ordered(session, hoster, staff, ids, term, error):
    with pytest.raises(DomainError, match=error):
        draft(session, hoster, staff, ids=ids, term_hours=term)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(RemovalOrder)) == 0


def test_drafting_refuses_another_hosters_notice(session, hoster, staff, create_hoster):
    other = create_hoster(2, trade_name="Otherhost")
    with pytest.raises(DomainError, match="not notices of this hoster"):
        draft(session, other, staff, ids=("n1",))


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_only_officers_and_legal_staff_draft(session, hoster, staff, role):
    with pytest.raises(PermissionDenied):
        draft_removal_order(session, hoster, [notices(session, "n1")[0].id], actor=staff[role],
                            term_hours=12, now=T0)  # fmt: skip


def test_legal_staff_issue_it_with_the_next_kenmerk_from_the_one_register(session, hoster, staff):
    order = issued(session, hoster, staff)
    assert order.status == OrderStatus.ISSUED
    assert order.reference == order.letter.kenmerk == "ENF-2026-000001"
    assert order.issued_at == T0 + H and order.issued_by_id == staff["legal"].id
    assert order.letter.status == LetterStatus.ISSUED and order.letter.pdf.startswith(b"%PDF")
    assert order.received_at is None and order.due_at is None  # the term starts at receipt


def test_issuing_from_the_letter_page_issues_the_order(session, hoster, staff):
    order = draft(session, hoster, staff)
    issue_from_letter_page(session, order.letter, actor=staff["legal"], now=T0 + H)
    assert order.status == OrderStatus.ISSUED and order.reference == order.letter.kenmerk


def test_an_officer_cannot_issue(session, hoster, staff):
    order = draft(session, hoster, staff)
    with pytest.raises(PermissionDenied):
        issue_removal_order(session, order, actor=staff["officer"], now=T0 + H)


def test_an_item_that_went_offline_stops_the_issue_and_uses_no_number(session, hoster, staff):
    order = draft(session, hoster, staff)
    notices(session, "n2")[0].offline_at = T0 + H / 2
    session.commit()
    with pytest.raises(DomainError, match="offline now"):
        issue_removal_order(session, order, actor=staff["legal"], now=T0 + H)
    session.rollback()
    assert order.status == OrderStatus.DRAFT
    assert session.scalar(sa.select(sa.func.count()).select_from(KenmerkCounter)) == 0


def test_a_draft_can_be_discarded_with_its_letter(session, hoster, staff):
    order = draft(session, hoster, staff)
    discard_removal_order(session, order, actor=staff["officer"])
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(RemovalOrder)) == 0


def receive(session, order, staff, at, evidence="250 2.0.0 Ok: queued as 4F9D2", **kwargs):
    record_receipt(session, order, received_at=at, evidence=evidence, actor=staff["legal"],
                   now=kwargs.pop("now", T0 + 30 * H), **kwargs)  # fmt: skip
    session.commit()


def test_the_term_runs_from_the_recorded_receipt(session, hoster, staff):
    order = issued(session, hoster, staff)
    receive(session, order, staff, T0 + H + timedelta(minutes=3, seconds=20))
    assert order.due_at == T0 + 13 * H + timedelta(minutes=3, seconds=20)
    assert order.receipt_evidence.startswith("250 2.0.0")


@pytest.mark.parametrize(
    ("at", "evidence", "field"),
    [
        (T0, "delivered", "received_at"),  # before the order was issued
        (T0 + 40 * H, "delivered", "received_at"),  # after "now": in the future
        (T0 + 2 * H, "  ", "evidence"),
    ],
)
def test_a_wrong_receipt_is_refused_and_changes_nothing(
    session, hoster, staff, at, evidence, field
):
    order = issued(session, hoster, staff)
    with pytest.raises(FieldErrors) as refused:
        receive(session, order, staff, at, evidence=evidence)
    assert field in refused.value.errors
    session.rollback()
    assert order.received_at is None


def test_a_draft_has_no_receipt(session, hoster, staff):
    order = draft(session, hoster, staff)
    with pytest.raises(Conflict):
        receive(session, order, staff, T0 + 2 * H)


def violated_order(session, hoster, staff):
    """Issued at T0 + 1 h, received at T0 + 2 h, due at T0 + 14 h: n1 went offline in time,
    n2 late, n3 never."""
    order = issued(session, hoster, staff)
    receive(session, order, staff, T0 + 2 * H)
    n1, n2, _ = notices(session, "n1", "n2", "n3")
    n1.offline_at, n2.offline_at = T0 + 5 * H, T0 + 20 * H
    session.add(NoticeCheck(notice_id=notices(session, "n3")[0].id, checked_at=T0 + 13 * H,
                            online=True))  # fmt: skip
    session.commit()
    return order


def test_violations_are_established_once_with_their_evidence(session, hoster, staff):
    order = violated_order(session, hoster, staff)
    case = open_case(session, hoster, actor=staff["officer"], reason="Breaches policy",
                     opening_figures={}, breaches=True, now=T0)  # fmt: skip
    found = establish_violations(session, as_of=T0 + 30 * H, actor=None, now=T0 + 30 * H)
    session.commit()
    by_notice = {v.evidence["notice_reference"]: v for v in found}
    assert sorted(by_notice) == ["n2", "n3"]
    n3 = by_notice["n3"].evidence
    assert n3["order_reference"] == order.reference
    assert n3["due_at"] == (T0 + 14 * H).isoformat()
    assert n3["last_online_check_at"] == (T0 + 13 * H).isoformat()
    assert n3["inaccessible_at"] is None
    assert by_notice["n2"].evidence["inaccessible_at"] == (T0 + 20 * H).isoformat()
    assert "url" not in n3  # the item keeps the URL; the evidence travels in the case chain
    kinds = session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id))
    assert list(kinds).count("violation_established") == 2
    assert verify_chains(session)[1] == []
    assert establish_violations(session, as_of=T0 + 40 * H, actor=None, now=T0 + 40 * H) == []


def test_nothing_is_established_before_the_term_ends(session, hoster, staff):
    violated_order(session, hoster, staff)
    assert establish_violations(session, as_of=T0 + 14 * H - timedelta(seconds=1), actor=None,
                                now=T0 + 30 * H) == []  # fmt: skip


def test_an_established_violation_never_changes_and_is_never_deleted(session, hoster, staff):
    violated_order(session, hoster, staff)
    violation = establish_violations(session, as_of=T0 + 30 * H, actor=None, now=T0 + 30 * H)[0]
    session.commit()
    violation.due_at = T0
    with pytest.raises(RuntimeError, match="never changes"):
        session.flush()
    session.rollback()
    session.delete(violation)
    with pytest.raises(RuntimeError, match="never deleted"):
        session.flush()
    session.rollback()


def test_a_wrong_violation_is_withdrawn_with_a_reason_and_not_established_again(
    session, hoster, staff
):
    order = violated_order(session, hoster, staff)
    violation = establish_violations(session, as_of=T0 + 30 * H, actor=None, now=T0 + 30 * H)[0]
    session.commit()
    with pytest.raises(FieldErrors):
        withdraw_violation(session, violation, actor=staff["legal"], reason=" ")
    with pytest.raises(PermissionDenied):
        withdraw_violation(session, violation, actor=staff["officer"], reason="Wrong hoster")
    withdraw_violation(session, violation, actor=staff["supervisor"], reason="Monitor outage")
    session.commit()
    assert violation.withdrawal_reason == "Monitor outage"
    with pytest.raises(Conflict):
        withdraw_violation(session, violation, actor=staff["legal"], reason="Again")
    session.rollback()
    assert establish_violations(session, as_of=T0 + 40 * H, actor=None, now=T0 + 40 * H) == []
    # With a violation in force the receipt it rests on cannot be corrected; withdrawn ones do
    # not count.
    count = session.scalar(sa.select(sa.func.count()).select_from(Violation))
    assert count == 2
    with pytest.raises(Conflict, match="withdraw them first"):
        receive(session, order, staff, T0 + 3 * H)


def test_violations_cannot_be_established_as_of_the_future(session, hoster, staff):
    violated_order(session, hoster, staff)
    with pytest.raises(DomainError):
        establish_violations(session, as_of=T0 + 50 * H, actor=None, now=T0 + 30 * H)
