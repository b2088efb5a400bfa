"""Two supervisors confirming the same forfeiture at once, over real PostgreSQL connections."""

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Decision
from enforcement.core.errors import Conflict
from enforcement.extensions import db
from enforcement.sanctions.models import Forfeiture
from enforcement.sanctions.queries import penalty_ledger
from enforcement.sanctions.services import confirm_forfeitures
from tests.conftest import ON_POSTGRES
from tests.sanctions.conftest import NOW

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL's real connections")


def test_two_supervisors_confirming_one_forfeiture_one_succeeds(session, order, staff):
    violation_id = penalty_ledger(session, order, now=NOW).unconfirmed()[0]
    users = [staff["supervisor"].id, staff["supervisor2"].id]
    start, outcomes, engine = threading.Barrier(2), [], db.engine

    def run(user_id: int) -> None:
        with Session(engine) as own:
            decision, user = own.get(Decision, order.id), own.get(User, user_id)
            start.wait()
            try:
                confirm_forfeitures(own, decision, [violation_id], actor=user, now=NOW)
                own.commit()
                outcomes.append("confirmed")
            except Conflict as exc:
                own.rollback()
                outcomes.append(exc.message)

    threads = [threading.Thread(target=run, args=(user_id,)) for user_id in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2 and outcomes.count("confirmed") == 1
    refused = next(outcome for outcome in outcomes if outcome != "confirmed")
    assert "already confirmed by supervisor" in refused
    count = sa.select(sa.func.count()).select_from(Forfeiture)
    assert session.scalar(count) == 1


def test_two_supervisors_confirming_different_forfeitures_both_succeed(session, order, staff):
    first, second = penalty_ledger(session, order, now=NOW).unconfirmed()[:2]
    start, outcomes, engine = threading.Barrier(2), [], db.engine

    def run(user_id: int, violation_id: int) -> None:
        with Session(engine) as own:
            decision, user = own.get(Decision, order.id), own.get(User, user_id)
            start.wait()
            confirm_forfeitures(own, decision, [violation_id], actor=user, now=NOW)
            own.commit()
            outcomes.append(violation_id)

    threads = [threading.Thread(target=run, args=args) for args in
               [(staff["supervisor"].id, first), (staff["supervisor2"].id, second)]]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted([first, second])
