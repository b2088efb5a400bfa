"""The money deadlines on the case: the lapse of the power to collect, and the payment term."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.models import Deadline
from enforcement.cases.terms import extend_deadline
from enforcement.core.errors import DomainError
from enforcement.core.time import to_local
from enforcement.sanctions.deadlines import sync_all
from enforcement.sanctions.payments import record_payment
from enforcement.sanctions.services import draft_collection
from tests.sanctions.conftest import NOW
from tests.sanctions.test_payments import ISSUED, claim_key  # noqa: F401  (fixture)


def running(session, kind):
    query = sa.select(Deadline).where(Deadline.kind == kind, Deadline.status == "running")
    return session.scalars(query).all()


def test_the_lapse_runs_from_the_first_uncollected_forfeiture(session, order, confirmed, staff):
    [lapse] = running(session, "collection_lapse")
    assert lapse.starts_at == confirmed[0].forfeited_at and lapse.legal_source == "Awb 5:35"
    assert to_local(lapse.due_at).date() == date(2027, 6, 15)
    draft_collection(session, order, [f.id for f in confirmed], actor=staff["legal"],
                     reasons="", now=NOW)  # fmt: skip
    session.commit()
    assert running(session, "collection_lapse") == []


def test_the_lapse_is_fixed_by_law(session, order, confirmed, staff):
    [lapse] = running(session, "collection_lapse")
    with pytest.raises(DomainError, match="fixed by law"):
        extend_deadline(session, lapse, lapse.due_at + timedelta(days=1),
                        actor=staff["supervisor"], reason="Why not", now=NOW)  # fmt: skip


def test_the_payment_term_starts_when_made_known_and_ends_when_paid(session, claim_key, staff):  # noqa: F811
    assert sync_all(session, now=ISSUED) == 1  # the issued letter made the claim known
    session.commit()
    [term] = running(session, "payment_term")
    assert term.legal_source == "Awb 5:33" and term.starts_at == ISSUED
    assert to_local(term.due_at).date() == date(2026, 7, 27)
    assert sync_all(session, now=ISSUED) == 0
    record_payment(session, claim_key, paid_on=ISSUED.date(), amount="1200", payer_reference="x",
                   actor=staff["legal"], now=ISSUED)  # fmt: skip
    session.commit()
    assert running(session, "payment_term") == []
