"""Two people acting on one order at once, over real PostgreSQL connections: one succeeds."""

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.core.errors import Conflict
from enforcement.extensions import db
from enforcement.letters.orders import issue_removal_order
from enforcement.orders.models import RemovalOrder, Violation
from enforcement.orders.violations import establish_violations
from tests.conftest import ON_POSTGRES
from tests.orders.test_services import T0, H, draft, violated_order

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL's real connections")


def at_once(action: Callable[[Session, RemovalOrder, User], object], order_id: int,
            user_id: int, times: int = 2) -> list:  # fmt: skip
    """Run ``action`` in as many sessions of their own at the same moment; return outcomes."""
    start, outcomes, engine = threading.Barrier(times), [], db.engine

    def run() -> None:
        with Session(engine) as session:
            order, user = session.get(RemovalOrder, order_id), session.get(User, user_id)
            start.wait()
            try:
                outcomes.append(action(session, order, user))
                session.commit()
            except Conflict as exc:
                session.rollback()
                outcomes.append(exc)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_order_issued_twice_at_once_is_issued_once(session, hoster, staff):
    order_id = draft(session, hoster, staff).id

    def issue(s, order, legal):
        return issue_removal_order(s, order, actor=legal, now=T0 + H).kenmerk

    outcomes = at_once(issue, order_id, staff["legal"].id)
    assert "ENF-2026-000001" in outcomes
    assert [type(outcome) for outcome in outcomes].count(Conflict) == 1
    session.expire_all()
    assert session.get(RemovalOrder, order_id).reference == "ENF-2026-000001"


def test_violations_established_twice_at_once_are_stored_once(session, hoster, staff):
    order = violated_order(session, hoster, staff)

    def establish(s, order, officer):
        return len(establish_violations(s, as_of=T0 + 30 * H, actor=officer, orders=[order],
                                        now=T0 + 30 * H))  # fmt: skip

    outcomes = at_once(establish, order.id, staff["officer"].id)
    assert 2 in outcomes  # one run stored both; the other found them taken or nothing new
    assert session.scalar(sa.select(sa.func.count()).select_from(Violation)) == 2
