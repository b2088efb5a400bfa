"""The sanctions pages through the client: ledger, confirm, collect, pay, report, case page."""

from datetime import timedelta

import sqlalchemy as sa

from enforcement.casework.operations import issue
from enforcement.core.time import utcnow
from enforcement.sanctions.models import CollectionDecision, Forfeiture, Payment
from tests.conftest import csrf_token_from


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def post(client, url, data, page_url):
    token = csrf_token_from(page(client, page_url))
    return client.post(url, data={"csrf_token": token, **data})


def as_user(auth, user):
    assert auth.login(user.email).status_code == 302


def test_the_ledger_page_shows_why_and_a_supervisor_confirms(client, auth, order, staff):
    as_user(auth, staff["supervisor"])
    url = f"/sanctions/orders/{order.id}"
    html = page(client, url)
    assert "EUR 1,200.00" in html and "before the grace period ended" in html
    assert html.count('name="violation_id"') == 3
    response = post(client, f"{url}/confirm", {"violation_id": ["abc"]}, url)
    assert response.status_code == 400  # not a row of the page: a clear error, nothing stored
    ids = [line.split('value="')[1].split('"')[0] for line in html.split("\n")
           if 'name="violation_id"' in line]  # fmt: skip
    response = post(client, f"{url}/confirm", {"violation_id": ids}, url)
    assert response.status_code == 302
    assert "3 forfeiture(s) confirmed" in page(client, url)
    assert client.get(url).get_data(as_text=True).count('name="violation_id"') == 0


def test_without_csrf_nothing_is_confirmed(client, auth, order, staff, session):
    as_user(auth, staff["supervisor"])
    response = client.post(f"/sanctions/orders/{order.id}/confirm", data={"violation_id": ["1"]})
    assert response.status_code in (302, 400)
    assert session.scalar(sa.select(sa.func.count()).select_from(Forfeiture)) == 0


def test_collect_approve_issue_and_pay(client, auth, order, confirmed, staff, session):
    as_user(auth, staff["legal"])
    url = f"/sanctions/orders/{order.id}"
    data = {"forfeiture_id": [str(f.id) for f in confirmed], "reasons": ""}
    assert post(client, f"{url}/collections", data, url).status_code == 302
    collection = session.scalar(sa.select(CollectionDecision))
    auth.logout()
    as_user(auth, staff["supervisor"])
    assert "Approve" in page(client, url)
    post(client, f"/sanctions/collections/{collection.id}/approve", {}, url)
    session.expire_all()
    issue(session, collection.letter, actor=staff["legal"], now=utcnow() - timedelta(minutes=1))
    session.commit()
    claim_url = f"/sanctions/claims/collection/{collection.id}"
    bad = {"paid_on": "2099-01-01", "amount": "12,50", "payer_reference": "NL01"}
    response = post(client, f"{claim_url}/payments", bad, claim_url)
    assert response.status_code == 422
    assert "at most two decimals" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Payment)) == 0
    good = {"paid_on": utcnow().date().isoformat(), "amount": "1000.50", "payer_reference": "NL01"}
    assert post(client, f"{claim_url}/payments", good, claim_url).status_code == 302
    html = page(client, claim_url)
    assert "EUR 1,000.50" in html and "EUR 199.50" in html
    report = page(client, "/sanctions/report")
    assert "EUR 1,200.00" in report and "EUR 199.50" in report


def test_the_case_page_shows_the_money_and_the_lifting(client, auth, order, staff, session):
    order.lifted_at = order.made_known_at + timedelta(days=1)
    session.commit()
    as_user(auth, staff["officer"])
    html = page(client, f"/cases/{order.case_id}")
    assert f"Penalty order #{order.id}" in html and "nothing forfeits from then on" in html
