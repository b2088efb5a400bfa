"""A removal order's hours run from the moment the hoster's mail server accepts it (Awb 2:17)."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from enforcement.casework import operations
from enforcement.core.time import to_local
from enforcement.dispatch.models import MessageStatus
from enforcement.dispatch.services import message_of
from enforcement.dispatch.worker import send_due
from enforcement.letters.orders import draft_removal_order
from enforcement.notices.models import Notice
from enforcement.orders.models import RemovalOrder
from tests.dispatch.conftest import SENDER
from tests.orders.conftest import ORDERS_T0, hoster, make_notice, staff  # noqa: F401  (fixtures)

# Saturday 28 March 2026, 23:30 in Amsterdam: the clocks go forward at 02:00 that night.
EVE_OF_SUMMER_TIME = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)


def test_an_order_accepted_at_2330_is_due_twelve_hours_later_across_the_clock_change(
    session,
    sessions,
    mail_server,
    hoster,  # noqa: F811  (imported fixture)
    staff,  # noqa: F811  (imported fixture)
):
    ids = session.scalars(
        sa.select(Notice.id).where(Notice.hoster_id == hoster.id, Notice.offline_at.is_(None))
    ).all()
    order = draft_removal_order(session, hoster, ids, actor=staff["officer"], now=ORDERS_T0,
                                term_hours=12)  # fmt: skip
    operations.issue(session, order.letter, actor=staff["legal"], now=ORDERS_T0)
    session.commit()
    assert order.received_at is None  # issued, not yet received
    result = send_due(sessions, settings=mail_server.settings, sender=SENDER,
                      clock=lambda: EVE_OF_SUMMER_TIME)  # fmt: skip
    assert result.sent == 1  # an order is never held: its term runs from receipt
    session.expire_all()
    order = session.get(RemovalOrder, order.id)
    assert order.received_at == EVE_OF_SUMMER_TIME
    assert order.due_at - order.received_at == timedelta(hours=12)
    assert to_local(order.due_at).strftime("%d %H:%M %Z") == "29 12:30 CEST"
    assert message_of(session, order.letter).status == MessageStatus.ACCEPTED
    [mail] = mail_server.handler.received
    assert mail["Subject"].startswith(order.reference)
