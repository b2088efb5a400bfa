"""Legal staff record interim relief, appeals and the naming response from the case page."""

import sqlalchemy as sa

from enforcement.auth.models import Role
from enforcement.cases.models import CaseEvent
from enforcement.public.models import InterimRelief, NamingResponse
from tests.conftest import csrf_token_from


def case_page(client, case):
    return client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_legal_staff_record_a_relief_request_and_its_ruling(client, session, fine, case,
                                                            signed_in):  # fmt: skip
    signed_in(Role.LEGAL)
    page = case_page(client, case)
    assert 'id="publication"' in page and "Record a request for interim relief" in page
    token = csrf_token_from(page)
    response = client.post(f"/cases/decisions/{fine.id}/relief", data={
        "csrf_token": token, "at": "2026-06-01T09:30", "zone": "local"})  # fmt: skip
    assert response.status_code == 302 and response.location.endswith(
        f"/cases/{case.id}#publication"
    )
    relief = session.scalar(sa.select(InterimRelief))
    assert (
        relief.outcome == "pending"
        and relief.requested_at.isoformat() == "2026-06-01T07:30:00+00:00"
    )
    assert "suspended" in case_page(client, case)
    assert "Slowhost" not in client.get("/public/decisions").get_data(as_text=True)
    ruling = {"csrf_token": token, "at": "2026-07-01T10:00", "zone": "utc", "outcome": "refused"}
    client.post(f"/cases/reliefs/{relief.id}/decide", data=ruling)
    session.expire_all()
    assert session.get(InterimRelief, relief.id).outcome == "refused"
    kinds = session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert "interim_relief_requested" in kinds and "interim_relief_decided" in kinds


def test_officers_cannot_record_relief(client, fine, signed_in):
    signed_in(Role.OFFICER)
    token = csrf_token_from(client.get("/cases/").get_data(as_text=True))  # the sign-out form
    response = client.post(
        f"/cases/decisions/{fine.id}/relief",
        data={"csrf_token": token, "at": "2026-06-01T09:30", "zone": "local"},
    )
    assert response.status_code == 403


def test_the_response_is_recorded_and_shown_but_never_with_an_address(
    client, session, named, case, signed_in
):
    signed_in(Role.LEGAL)
    token = csrf_token_from(case_page(client, case))
    client.post(f"/cases/decisions/{named.id}/naming-response", data={
        "csrf_token": token, "received_on": "2026-06-01",
        "text": "Our servers at 192.0.2.8 were cleaned."})  # fmt: skip
    assert session.scalar(sa.select(NamingResponse)) is None
    fine_text = {"csrf_token": token, "received_on": "2026-06-01", "text": "We improved in June."}
    client.post(f"/cases/decisions/{named.id}/naming-response", data=fine_text)
    assert "We improved in June." in client.get("/public/report").get_data(as_text=True)
