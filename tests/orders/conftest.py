"""Factories for removal order tests: notices, checks, cases and issued orders (synthetic data)."""

from datetime import UTC, datetime, timedelta

import pytest

from enforcement.cases.services import open_case
from enforcement.deadlines import hours_deadline
from enforcement.notices.importing import get_or_create_source
from enforcement.notices.models import Notice, NoticeCheck
from enforcement.orders.models import OrderOrigin, OrderStatus, RemovalOrder, RemovalOrderItem
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)

# Tuesday 10 March 2026, 09:00 UTC: when the orders of test_services are drafted.
ORDERS_T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
# Sunday 1 March 2026, 10:00 UTC: before it the test notices are sent, after it orders issued.
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def staff(create_user):
    """One user per role."""
    return {role: create_user(role) for role in ("officer", "legal", "supervisor", "admin")}


@pytest.fixture
def hoster(create_hoster, make_notice):  # noqa: F811  (imported fixture)
    """A hoster with three notices still online (n1-n3) and one taken down (n4), sent 40 hours
    before ORDERS_T0. Modules with a hoster of their own override it."""
    hoster = create_hoster(1, trade_name="Orderhost")
    sent = ORDERS_T0 - timedelta(hours=40)
    for number in (1, 2, 3):
        make_notice(hoster, f"n{number}", sent=sent)
    make_notice(hoster, "n4", sent=sent, offline=sent + timedelta(hours=2))
    return hoster


@pytest.fixture
def make_notice(session):
    """Factory: store a notice of a hoster, sent a day before T0 unless told otherwise."""
    counter = iter(range(1, 1_000_000))

    def factory(
        hoster,
        external_id: str | None = None,
        *,
        source: str = "hotline",
        sent: datetime = T0 - timedelta(days=1),
        offline: datetime | None = None,
        reappeared: datetime | None = None,
        content_hash: str | None = None,
    ) -> Notice:
        number = next(counter)
        notice = Notice(
            source_id=get_or_create_source(session, source).id,
            external_id=external_id or f"n{number}",
            hoster_id=hoster.id,
            url=f"https://files.example.test/a/{number}",
            ip=f"192.0.2.{number % 250 + 1}",
            notice_sent_at=sent,
            offline_at=offline,
            reappeared_at=reappeared,
            content_hash=content_hash,
        )
        session.add(notice)
        session.commit()
        return notice

    return factory


@pytest.fixture
def make_check(session):
    """Factory: store one probe of a notice by the monitor."""

    def factory(notice: Notice, checked_at: datetime, online: bool, content_hash=None):
        check = NoticeCheck(notice_id=notice.id, checked_at=checked_at, online=online,
                            content_hash=content_hash)  # fmt: skip
        session.add(check)
        session.commit()
        return check

    return factory


@pytest.fixture
def make_case(session, create_user):
    """Factory: open a case for a hoster, as an officer, at T0."""

    def factory(hoster):
        officer = create_user("officer")
        case = open_case(session, hoster, actor=officer, reason="Test case",
                         opening_figures={"window": "test"}, breaches=True, now=T0)  # fmt: skip
        session.commit()
        return case

    return factory


@pytest.fixture
def make_order(session):
    """Factory: store an issued order of a hoster for some of its notices (receipt optional)."""

    def factory(hoster, reference: str, notices: list[Notice], *, issued_at: datetime = T0,
                received_at: datetime | None = None, term_hours: int = 12,
                origin: OrderOrigin = OrderOrigin.IMPORTED) -> RemovalOrder:  # fmt: skip
        order = RemovalOrder(
            reference=reference,
            hoster_id=hoster.id,
            origin=origin,
            status=OrderStatus.ISSUED,
            term_hours=term_hours,
            issued_at=issued_at,
            drafted_at=issued_at,
            received_at=received_at,
            due_at=received_at and hours_deadline(received_at, term_hours),
            receipt_evidence=received_at and "delivered (test)",
            items=[RemovalOrderItem(notice_id=n.id, url=n.url, ip=n.ip,
                                    content_hash=n.content_hash) for n in notices],
        )  # fmt: skip
        session.add(order)
        session.commit()
        return order

    return factory
