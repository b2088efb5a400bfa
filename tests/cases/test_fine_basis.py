"""The basis of a fine is recorded on the case with its evidence, and the maximum follows it."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from enforcement.cases.fine_basis import record_fine_basis
from enforcement.cases.models import CaseEvent
from enforcement.core.errors import FieldErrors, PermissionDenied
from tests.cases.pages import submit


def record(session, case, actor, **changes):
    values = {"systematic": True, "systematic_reason": "Three orders ignored in two months",
              "turnover_eur": "20000000", "turnover_source": "Annual accounts 2025"}  # fmt: skip
    return record_fine_basis(session, case, actor=actor, **{**values, **changes})


def test_the_basis_is_recorded_with_its_evidence_as_a_case_event(session, case, staff):
    record(session, case, staff["legal"])
    session.commit()
    assert case.systematic and case.turnover_eur == Decimal("20000000.00")
    kinds = list(session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)))
    assert kinds[-1] == "fine_basis_recorded"
    record(session, case, staff["supervisor"], systematic=False, turnover_eur=None)
    assert case.systematic_reason is None and case.turnover_source is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"systematic_reason": " "}, "systematic_reason"),
        ({"turnover_source": ""}, "turnover_source"),
        ({"turnover_eur": "-5"}, "turnover_eur"),
    ],
)
def test_evidence_is_required(session, case, staff, changes, field):
    with pytest.raises(FieldErrors) as refused:
        record(session, case, staff["legal"], **changes)
    assert field in refused.value.errors


def test_officers_do_not_record_it(session, case, staff):
    with pytest.raises(PermissionDenied):
        record(session, case, staff["officer"])


def test_legal_staff_record_it_on_the_case_page(client, signed_in, session, case):
    signed_in("legal")
    path = f"/cases/{case.id}"
    response = submit(client, path, f"{path}/fine-basis", systematic="y",
                      systematic_reason="Ignored orders", turnover_eur="1500000",
                      turnover_source="KvK filing 2025")  # fmt: skip
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "yes: Ignored orders" in page and "EUR 1,500,000.00 (source: KvK filing 2025)" in page
