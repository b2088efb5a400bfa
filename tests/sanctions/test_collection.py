"""Collection decisions (Awb 5:37): drafted by legal staff, four eyes, a letter, the lapse."""

from datetime import timedelta
from decimal import Decimal

import pytest

from enforcement.casework.operations import issue
from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.core.time import to_local
from enforcement.letters.models import LetterStatus
from enforcement.sanctions.claims import all_claims
from enforcement.sanctions.models import CollectionStatus
from enforcement.sanctions.queries import penalty_ledger
from enforcement.sanctions.services import (
    approve_collection,
    draft_collection,
    refuse_collection,
)
from tests.cases.conftest import weeks
from tests.sanctions.conftest import AFTER_GRACE, NOW


def draft(session, order, confirmed, staff, at=NOW):
    return draft_collection(session, order, [f.id for f in confirmed], actor=staff["legal"],
                            reasons="", now=at)  # fmt: skip


def test_legal_staff_draft_it_over_confirmed_forfeitures(session, order, confirmed, staff):
    collection = draft(session, order, confirmed, staff)
    session.commit()
    assert collection.amount == Decimal("1200.00")
    assert collection.status == CollectionStatus.DRAFT
    assert penalty_ledger(session, order, now=NOW).uncollected() == []
    with pytest.raises(DomainError, match="no collection decision covers yet"):
        draft(session, order, confirmed, staff)


@pytest.mark.parametrize("role", ["officer", "supervisor", "admin"])
def test_only_legal_staff_draft_it(session, order, confirmed, staff, role):
    with pytest.raises(PermissionDenied):
        draft_collection(session, order, [confirmed[0].id], actor=staff[role], reasons="",
                         now=NOW)  # fmt: skip


def test_four_eyes_then_its_letter_is_drafted_and_issued(session, order, confirmed, staff):
    collection = draft(session, order, confirmed, staff)
    with pytest.raises(PermissionDenied):
        approve_collection(session, collection, actor=staff["legal"], now=NOW)
    approve_collection(session, collection, actor=staff["supervisor"], now=NOW)
    session.commit()
    letter = collection.letter
    assert letter.kind == "collection_decision" and letter.created_by_id == staff["legal"].id
    context = letter.context
    assert context["collection"]["amount"] == "1200.00"
    assert [row["amount"] for row in context["forfeitures"]] == ["500.00", "500.00", "200.00"]
    assert {row["order"] for row in context["forfeitures"]} == {"EXT-BEVEL-3"}
    # Forfeited on 15 June 2026: payable six weeks later (5:33), collectable for a year (5:35).
    assert context["forfeitures"][0]["due_on"] == "2026-07-27"
    assert context["forfeitures"][0]["lapses_on"] == "2027-06-15"
    assert context["remedy"]["kind"] == "objection"
    with pytest.raises(Conflict, match="already approved"):
        approve_collection(session, collection, actor=staff["supervisor2"], now=NOW)
    issue(session, letter, actor=staff["legal"], now=NOW + timedelta(hours=1))
    session.commit()
    assert letter.status == LetterStatus.ISSUED
    [claim] = all_claims(session)
    assert (claim.kind, claim.amount, claim.outstanding) == ("collection", Decimal("1200.00"),
                                                             Decimal("1200.00"))  # fmt: skip


def test_refusing_frees_the_forfeitures(session, order, confirmed, staff):
    collection = draft(session, order, confirmed, staff)
    with pytest.raises(DomainError, match="Say why"):
        refuse_collection(session, collection, actor=staff["supervisor"], note=" ", now=NOW)
    refuse_collection(session, collection, actor=staff["supervisor"], note="Wrong", now=NOW)
    session.commit()
    assert len(penalty_ledger(session, order, now=NOW).uncollected()) == 3


def lapse_moment():
    """The first moment after the last day to collect the forfeitures of 15 June 2026."""
    return AFTER_GRACE.replace(year=2027, hour=22)  # 16 June 2027, 00:00 Amsterdam time


def test_drafting_after_the_power_to_collect_lapsed_is_refused(session, order, confirmed, staff):
    assert to_local(lapse_moment()).date().isoformat() == "2027-06-16"
    with pytest.raises(DomainError, match="lapsed"):
        draft(session, order, confirmed, staff, at=lapse_moment())
    draft(session, order, confirmed, staff, at=lapse_moment() - timedelta(seconds=1))


def test_issuing_after_the_lapse_is_refused(session, order, confirmed, staff):
    collection = draft(session, order, confirmed, staff, at=weeks(50))
    approve_collection(session, collection, actor=staff["supervisor"], now=weeks(50))
    session.commit()
    with pytest.raises(DomainError, match="can no longer be made known"):
        issue(session, collection.letter, actor=staff["legal"], now=lapse_moment())
    session.rollback()
    assert collection.letter.status == LetterStatus.DRAFT


def test_a_revoked_order_is_not_collected(session, order, confirmed, staff):
    order.revoked = True
    session.commit()
    with pytest.raises(DomainError, match="revoked"):
        draft(session, order, confirmed, staff)


def test_a_collection_whose_order_was_revoked_meanwhile_is_not_issued(session, order, confirmed,
                                                                       staff):  # fmt: skip
    collection = draft(session, order, confirmed, staff)
    approve_collection(session, collection, actor=staff["supervisor"], now=NOW)
    order.revoked = True  # an objection upheld before the letter went out
    session.commit()
    with pytest.raises(DomainError, match="revoked"):
        issue(session, collection.letter, actor=staff["legal"], now=NOW + timedelta(hours=1))
