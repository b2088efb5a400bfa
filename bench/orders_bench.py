"""Benchmark: the compliance of removal orders (issue 9), on SQLite and PostgreSQL.

Builds a database with ORDERS orders of ITEMS items each, every item's notice probed hourly by
the monitor (CHECKS checks), then times what `flask orders compliance` and the order pages do:
``order_compliance`` over every order (all their items, notices, checks and violations), and
``establish_violations`` storing the violations the first time. Beside them a floor: the bare
SQL that reads the same rows (items with their notices, and every check), with no Python work.
Prints its figures; not a test.

    .venv/bin/python bench/orders_bench.py                    # 1,000 orders x 20 items
    .venv/bin/python bench/orders_bench.py --orders 200 --skip-postgres
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from databases import POSTGRES_URL, make_app, postgres_schema, sqlite_url
from figures_check import best_of

from enforcement.extensions import db
from enforcement.hosters.models import Hoster, Language
from enforcement.notices.models import Notice, NoticeCheck, NoticeSource
from enforcement.orders.models import (
    OrderOrigin,
    OrderStatus,
    RemovalOrder,
    RemovalOrderItem,
)
from enforcement.orders.queries import issued_orders, order_compliance
from enforcement.orders.violations import establish_violations

RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AS_OF = RECEIVED + timedelta(days=2)
HOSTERS = 50


def build(app, orders: int, items: int, checks: int, seed: int) -> None:
    """Fill the database: hosters, notices (a third still online past the term), checks, orders."""
    rng = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    with app.app_context():
        db.create_all()
        db.session.execute(sa.insert(Hoster), [
            {"kvk": f"{n:08d}", "trade_name": f"Benchhost {n}", "legal_name": f"Benchhost {n} B.V.",
             "country": "NL", "formal_email": f"legal@h{n}.example.test",
             "abuse_contact": f"abuse@h{n}.example.test", "language": Language.NL}
            for n in range(1, HOSTERS + 1)
        ])  # fmt: skip
        db.session.execute(sa.insert(NoticeSource), [{"name": "bench-hotline"}])
        notice_rows, check_rows, order_rows, item_rows = [], [], [], []
        notice_id = 0
        for order_number in range(1, orders + 1):
            hoster_id = rng.randint(1, HOSTERS)
            received = RECEIVED + timedelta(minutes=order_number)
            order_rows.append({
                "id": order_number, "reference": f"BENCH-{order_number:06d}",
                "hoster_id": hoster_id, "origin": OrderOrigin.IMPORTED,
                "status": OrderStatus.ISSUED, "term_hours": 12, "reasons": "",
                "urgency_ground": "Awb 4:11(a)", "drafted_at": received, "issued_at": received,
                "received_at": received, "receipt_evidence": "bench",
                "due_at": received + timedelta(hours=12), "version": 1,
            })  # fmt: skip
            for _ in range(items):
                notice_id += 1
                sent = received - timedelta(hours=30)
                # A third go offline within the term, a third late, a third never.
                fate = notice_id % 3
                offline_hour = {0: rng.randint(1, 11), 1: rng.randint(13, checks - 4)}.get(fate)
                notice_rows.append({
                    "id": notice_id, "source_id": 1, "external_id": f"b{notice_id}",
                    "url": f"https://files.example.test/b/{notice_id}",
                    "ip": f"192.0.2.{notice_id % 250 + 1}", "hoster_id": hoster_id,
                    "notice_sent_at": sent,
                    "offline_at": (received + timedelta(hours=offline_hour)
                                   if offline_hour else None),
                })  # fmt: skip
                for hour in range(checks):
                    online = offline_hour is None or hour < offline_hour
                    check_rows.append({"notice_id": notice_id, "online": online,
                                       "checked_at": received + timedelta(hours=hour)})  # fmt: skip
                item_rows.append({"order_id": order_number, "notice_id": notice_id,
                                  "url": f"https://files.example.test/b/{notice_id}"})  # fmt: skip
        for model, rows in ((Notice, notice_rows), (NoticeCheck, check_rows),
                            (RemovalOrder, order_rows), (RemovalOrderItem, item_rows)):  # fmt: skip
            for start in range(0, len(rows), 20_000):
                db.session.execute(sa.insert(model), rows[start : start + 20_000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))
        db.session.remove()


FLOOR_SQL = sa.text(
    "SELECT i.id, i.notice_id, n.external_id, n.offline_at, n.reappeared_at, o.due_at "
    "FROM removal_order_items i JOIN notices n ON n.id = i.notice_id "
    "JOIN removal_orders o ON o.id = i.order_id"
)
FLOOR_CHECKS_SQL = sa.text(
    "SELECT c.notice_id, c.checked_at, c.online, c.content_hash FROM notice_checks c "
    "JOIN removal_order_items i ON i.notice_id = c.notice_id"
)


def measure(app, label: str, runs: int) -> None:
    with app.app_context():

        def compliance():
            db.session.expire_all()
            return order_compliance(db.session, issued_orders(db.session), as_of=AS_OF)

        def floor():
            with db.engine.connect() as conn:
                return len(conn.execute(FLOOR_SQL).all()) + len(
                    conn.execute(FLOOR_CHECKS_SQL).all()
                )

        floor_seconds, rows = best_of(runs, floor)
        seconds, found = best_of(runs, compliance)
        items = sum(len(oc.items) for oc in found)
        violated = sum(oc.counts.violated for oc in found)
        start = time.perf_counter()
        established = establish_violations(db.session, as_of=AS_OF, actor=None, now=AS_OF)
        db.session.commit()
        establish_seconds = time.perf_counter() - start
        print(f"{label}: {len(found):,} orders, {items:,} items ({violated:,} violated), "
              f"{rows - items:,} checks")  # fmt: skip
        print(f"  order_compliance   {seconds:7.2f} s  ({items / seconds:,.0f} items/s)")
        print(f"  floor (bare SQL)   {floor_seconds:7.2f} s  ratio {seconds / floor_seconds:.1f}x")
        print(f"  establish (first)  {establish_seconds:7.2f} s  for {len(established):,} "
              f"violations ({len(established) / establish_seconds:,.0f}/s)")  # fmt: skip
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--checks", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    shape = (args.orders, args.items, args.checks, args.seed)
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(sqlite_url(Path(directory) / "bench.sqlite"))
        build(app, *shape)
        measure(app, "SQLite", args.runs)
    if not args.skip_postgres:
        with postgres_schema() as schema:
            app = make_app(POSTGRES_URL, schema)
            build(app, *shape)
            measure(app, "PostgreSQL", args.runs)


if __name__ == "__main__":
    main()
