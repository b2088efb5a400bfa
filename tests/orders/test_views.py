"""The removal-order pages, walked as their users do: draft, issue, record receipt, violations."""

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from enforcement.core.time import format_local, utcnow
from enforcement.notices.models import Notice
from enforcement.orders.models import OrderStatus, RemovalOrder, Violation
from tests.conftest import Auth, csrf_token_from

H = timedelta(hours=1)


@pytest.fixture
def hoster(create_hoster, make_notice):
    """A hoster with two notices online for two days, one online for an hour, one taken down."""
    hoster = create_hoster(3, trade_name="Pagehost")
    now = utcnow()
    make_notice(hoster, "old-1", sent=now - 48 * H)
    make_notice(hoster, "old-2", sent=now - 47 * H)
    make_notice(hoster, "fresh", sent=now - H)
    make_notice(hoster, "gone", sent=now - 48 * H, offline=now - 40 * H)
    return hoster


def sign_in(app, create_user, role):
    client = app.test_client()
    assert Auth(client).login(create_user(role).email).status_code == 302
    return client


def post(client, page_url, url, data):
    token = csrf_token_from(client.get(page_url).text)
    return client.post(url, data={"csrf_token": token, **data})


def old_notices(session) -> list[Notice]:
    """The hoster's two notices online for two days."""
    query = sa.select(Notice).where(Notice.external_id.like("old-%")).order_by(Notice.id)
    return list(session.scalars(query))


def order_ids(session):
    return list(session.scalars(sa.select(RemovalOrder.id).order_by(RemovalOrder.id)))


def test_an_officer_drafts_from_the_hoster_page(app, session, create_user, hoster):
    client = sign_in(app, create_user, "officer")
    hoster_page = client.get(f"/hosters/{hoster.id}").text
    assert f'href="/orders/new/{hoster.id}"' in hoster_page
    page = client.get(f"/orders/new/{hoster.id}?min_age_hours=24").text
    assert "old-1" in page and "old-2" in page
    assert "fresh" not in page and "gone" not in page  # too young; no longer online
    assert "2 notice(s) still online" in page
    ids = re.findall(r'name="notice_ids" value="(\d+)"', page)
    response = post(client, f"/orders/new/{hoster.id}", f"/orders/new/{hoster.id}",
                    {"notice_ids": ids, "term_hours": "8", "reasons": ""})  # fmt: skip
    assert response.status_code == 302
    (order_id,) = order_ids(session)
    detail = client.get(response.headers["Location"]).text
    assert "draft: not sent" in detail and "8 hours from receipt" in detail
    assert "https://files.example.test/a/1" in detail
    assert "Legal staff issue removal orders." in detail
    assert session.get(RemovalOrder, order_id).status == OrderStatus.DRAFT


def test_a_term_over_twelve_hours_is_refused_on_the_form(app, session, create_user, hoster):
    client = sign_in(app, create_user, "officer")
    page = client.get(f"/orders/new/{hoster.id}").text
    ids = re.findall(r'name="notice_ids" value="(\d+)"', page)
    response = post(client, f"/orders/new/{hoster.id}", f"/orders/new/{hoster.id}",
                    {"notice_ids": ids, "term_hours": "13"})  # fmt: skip
    assert response.status_code == 200
    assert "Number must be between 1 and 12" in response.text
    assert order_ids(session) == []


def test_a_forged_post_without_csrf_changes_nothing(app, session, create_user, hoster):
    client = sign_in(app, create_user, "officer")
    page = client.get(f"/orders/new/{hoster.id}").text
    ids = re.findall(r'name="notice_ids" value="(\d+)"', page)
    response = client.post(f"/orders/new/{hoster.id}", data={"notice_ids": ids, "term_hours": "12"})
    assert response.status_code == 400
    assert order_ids(session) == []


def test_legal_staff_issue_then_record_receipt_and_the_due_moment_shows(
    app, session, create_user, hoster
):
    officer = sign_in(app, create_user, "officer")
    page = officer.get(f"/orders/new/{hoster.id}").text
    ids = re.findall(r'name="notice_ids" value="(\d+)"', page)
    post(officer, f"/orders/new/{hoster.id}", f"/orders/new/{hoster.id}",
         {"notice_ids": ids, "term_hours": "12"})  # fmt: skip
    (order_id,) = order_ids(session)
    legal = sign_in(app, create_user, "legal")
    detail = f"/orders/{order_id}"
    response = post(legal, detail, f"/orders/{order_id}/issue", {})
    assert response.status_code == 302
    page = legal.get(detail).text
    order = session.get(RemovalOrder, order_id)
    session.refresh(order)
    assert order.reference.startswith("ENF-") and order.reference in page
    # Signed under mandate, on behalf of the authority (Awb 10:10), as configured.
    signatory = app.config["LETTER_SIGNATORY"][order.letter.language.value]
    assert order.letter.context["signature"] == {"signatory": signatory}
    assert "receipt not recorded" in page
    # A whole second after the issue (the form has seconds), and not in the future.
    received = order.issued_at.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep(max(0.0, (received - utcnow()).total_seconds()))
    local = format_local(received, "%Y-%m-%dT%H:%M:%S")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    response = post(legal, detail, f"/orders/{order_id}/receipt", {
        "received_at": local, "zone": "local", "evidence": "250 Ok queued", "version": version,
    })  # fmt: skip
    assert response.status_code == 302, response.text
    session.refresh(order)
    assert order.received_at == received and order.due_at == received + 12 * H
    page = legal.get(detail).text
    assert format_local(order.due_at) in page
    assert "(in 11 h" in page or "(in 12 h" in page
    api = legal.get(f"/api/v1/orders/{order.reference}").get_json()
    assert api["pending"] == 2 and api["due_at"].endswith("Z")
    assert "url" not in str(api)


def test_an_imported_order_brings_its_receipt_and_offers_none_to_record(
    app, session, create_user, hoster, make_order
):
    order = make_order(hoster, "EXT-1", old_notices(session), issued_at=utcnow() - H)
    page = sign_in(app, create_user, "legal").get(f"/orders/{order.id}").text
    assert "issued outside this system" in page
    assert "Record the receipt" not in page


def test_violations_are_established_and_withdrawn_from_the_order_page(
    app, session, create_user, hoster, make_order
):
    order = make_order(hoster, "EXT-2", old_notices(session), issued_at=utcnow() - 20 * H,
                       received_at=utcnow() - 19 * H)  # fmt: skip
    officer = sign_in(app, create_user, "officer")
    page = officer.get(f"/orders/{order.id}").text
    assert "2 violated" in page and "Establish the violations" in page
    post(officer, f"/orders/{order.id}", f"/orders/{order.id}/establish", {})
    violations = list(session.scalars(sa.select(Violation)))
    assert len(violations) == 2
    page = officer.get(f"/orders/{order.id}").text
    assert "Establish the violations" not in page and "Withdraw" not in page
    supervisor = sign_in(app, create_user, "supervisor")
    withdraw = f"/orders/violations/{violations[0].id}/withdraw"
    response = post(supervisor, f"/orders/{order.id}", withdraw, {"reason": "Wrong item"})
    assert response.status_code == 302
    session.refresh(violations[0])
    assert violations[0].withdrawal_reason == "Wrong item"
    assert "violation withdrawn" in supervisor.get(f"/orders/{order.id}").text


def test_the_officers_list_shows_orders_falling_due(app, session, create_user, hoster, make_order):
    online = old_notices(session)[:1]
    soon = make_order(hoster, "EXT-SOON", online, issued_at=utcnow() - 10 * H,
                      received_at=utcnow() - 10 * H)  # fmt: skip
    later = make_order(hoster, "EXT-LATER", online, issued_at=utcnow() - H,
                       received_at=utcnow() - H)  # fmt: skip
    client = sign_in(app, create_user, "officer")
    page = client.get("/orders/?hours=4").text
    assert soon.reference in page and later.reference not in page
    assert later.reference in client.get("/orders/?hours=12").text


@pytest.mark.parametrize("path", ["/orders/", "/api/v1/orders/NONE"])
def test_admins_never_see_orders(app, create_user, path):
    assert sign_in(app, create_user, "admin").get(path).status_code == 403
