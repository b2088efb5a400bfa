import sqlalchemy as sa

from enforcement.extensions import db
from enforcement.hosters.ranges import RangeTable, parse_cidr


def snapshot(session) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, without generated timestamps."""
    result = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in {"created_at"}]
        rows = session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
        result[table.name] = [tuple(row) for row in rows]
    return result


def test_seed_demo_twice_gives_the_same_database(runner, session):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "4 user(s), 15 hoster(s), " in first.output
    assert "admin@authority.example.test" in first.output and "password:" in first.output
    before = snapshot(session)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "0 user(s), 0 hoster(s), 0 notice(s), 0 case(s) and 0 removal order(s)" in second.output
    assert snapshot(session) == before
    assert len(before["hosters"]) == 15 and len(before["users"]) == 4


def test_demo_data_is_synthetic_and_demo_users_can_sign_in(runner, session, auth):
    runner.invoke(args=["seed-demo"])
    hosters = session.execute(sa.text("SELECT formal_email, abuse_contact FROM hosters")).all()
    assert all(a.endswith(".example.test") and b.endswith(".example.test") for a, b in hosters)
    documentation = [parse_cidr(c) for c in ("192.0.2.0/24", "198.51.100.0/24",
                                            "203.0.113.0/24", "2001:db8::/32")]  # fmt: skip
    for (cidr,) in session.execute(sa.text("SELECT cidr FROM hoster_ip_ranges")):
        net = parse_cidr(cidr)
        assert any(net.version == d.version and net.subnet_of(d) for d in documentation), cidr
    response = auth.login("officer@authority.example.test", "demo-password-2026")
    assert response.status_code == 302


def test_demo_reseller_range_is_attributed_to_the_reseller(runner, session):
    runner.invoke(args=["seed-demo"])
    rows = session.execute(
        sa.text("SELECT r.cidr, h.trade_name FROM hoster_ip_ranges r JOIN hosters h "
                "ON h.id = r.hoster_id")
    ).all()  # fmt: skip
    table = RangeTable((parse_cidr(cidr), name) for cidr, name in rows)
    assert table.lookup("192.0.2.3") == "Oranje Reseller"
    assert table.lookup("192.0.2.20") == "Alderhost"


def test_demo_notices_make_two_or_three_clear_candidates(runner, session):
    from datetime import timedelta

    from enforcement.core.time import utcnow
    from enforcement.metrics.services import report_rows

    runner.invoke(args=["seed-demo"])
    today = utcnow().date()
    rows = report_rows(session, today - timedelta(weeks=6), today, utcnow())
    assert len(rows) == 15
    assert 2000 <= sum(row["notices"] for row in rows) <= 6000
    breaching = sorted(row["hoster_name"] for row in rows if row["breach"])
    assert breaching == ["Gouda Grid", "Harbour VPS", "Maasnet"]
    urls = session.execute(sa.text("SELECT url FROM notices")).scalars().all()
    assert all(".example.test/" in url for url in urls)


def test_demo_cases_show_a_warning_a_pending_proposal_and_a_letter_to_issue(runner, session):
    from enforcement.cases.events import verify_chains
    from enforcement.cases.models import Case, PendingStep, Proposal
    from enforcement.letters.models import Letter

    result = runner.invoke(args=["seed-demo"])
    assert "4 case(s) and 4 removal order(s) added" in result.output
    stages = {c.hoster.trade_name: c.stage.value for c in session.scalars(sa.select(Case))}
    # Harbour VPS named and Jade Racks fined: the public pages' demo (enforcement/public/demo.py);
    # Kade Colo carries the money demo (tests/sanctions/test_demo_money.py).
    assert stages == {"Gouda Grid": "warning", "Maasnet": "notice", "Harbour VPS": "named",
                      "Jade Racks": "fined", "Kade Colo": "penalty_order"}  # fmt: skip
    pending = session.scalars(sa.select(Proposal).where(Proposal.status == "pending")).all()
    assert [p.case.hoster.trade_name for p in pending] == ["Gouda Grid"]
    letters = {(letter.case.hoster.trade_name, letter.status.value, letter.kenmerk is not None)
               for letter in session.scalars(sa.select(Letter))}  # fmt: skip
    assert {("Gouda Grid", "issued", True), ("Maasnet", "draft", False)} <= letters
    assert {status for name, status, _ in letters
            if name in ("Harbour VPS", "Jade Racks", "Kade Colo")} == {"issued"}  # fmt: skip
    waiting = session.scalar(sa.select(PendingStep).where(PendingStep.status == "open"))
    assert waiting.case.hoster.trade_name == "Maasnet" and waiting.trigger.value == "send_warning"
    assert verify_chains(session) == (5, [])


def test_demo_orders_show_items_complied_violated_and_pending(runner, session):
    from enforcement.cases.events import verify_chains
    from enforcement.cases.models import CaseEvent
    from enforcement.core.time import utcnow
    from enforcement.orders.models import RemovalOrder, Violation
    from enforcement.orders.queries import order_compliance

    runner.invoke(args=["seed-demo"])
    first_three = RemovalOrder.reference.like("DEMO-BEVEL-00%")  # not the money demo's
    orders = list(session.scalars(
        sa.select(RemovalOrder).where(first_three).order_by(RemovalOrder.reference)))  # fmt: skip
    counts = {
        oc.order.hoster.trade_name: (oc.counts.complied, oc.counts.violated, oc.counts.pending)
        for oc in order_compliance(session, orders, as_of=utcnow())
    }
    assert counts == {"Gouda Grid": (2, 2, 0), "Maasnet": (1, 1, 0), "Harbour VPS": (0, 0, 2),
                      "Jade Racks": (1, 1, 0)}  # fmt: skip
    established = session.scalars(sa.select(Violation).where(
        Violation.order_id.in_([order.id for order in orders]))).all()  # fmt: skip
    assert len(established) == 4 and all(v.evidence["due_at"] for v in established)
    kinds = session.scalars(sa.select(CaseEvent.kind)).all()
    # Gouda Grid and Maasnet have cases; the money demo's later violations join Harbour VPS's.
    assert kinds.count("violation_established") == 3 + 4
    assert verify_chains(session)[1] == []
