import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.models import CaseEvent
from enforcement.orders.exports import utc_text
from enforcement.orders.models import Violation

RECEIVED_A = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # due 22:00Z
RECEIVED_B = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March 00:30 in Amsterdam; due 11:30Z
AS_OF = "2026-03-02T09:00:00Z"
SENT = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def at(hour: float) -> datetime:
    """Return a moment on 1 March 2026, hours after midnight UTC."""
    return datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=hour)


@pytest.fixture
def world(create_hoster, make_notice, make_check, make_order, make_case):
    """Three orders: ORD-A received (every status but pending), ORD-B received on 2 March
    (Amsterdam) and pending, ORD-C whose receipt is not recorded."""
    first, second = create_hoster(1), create_hoster(2)
    case = make_case(first)
    offline_early = make_notice(
        first, "a1", sent=SENT, offline=at(15.25) + timedelta(microseconds=250_000)
    )
    online = make_notice(first, "a2", sent=SENT)
    make_check(online, at(21), True)
    at_due = make_notice(first, "a3", sent=SENT, offline=at(22))
    before_receipt = make_notice(first, "a4", sent=SENT, offline=at(8))
    checked = make_notice(first, "a5", sent=SENT)
    for hour, up in ((11, True), (12, False), (13, False), (14, False)):
        make_check(checked, at(hour), up)
    items = [offline_early, online, at_due, before_receipt, checked]
    make_order(first, "ORD-A", items, issued_at=at(9), received_at=RECEIVED_A)
    pending = make_notice(second, "b1", sent=SENT)
    make_order(second, "ORD-B", [pending], issued_at=at(23), received_at=RECEIVED_B, term_hours=12)
    unreceived = make_notice(first, "c1", sent=SENT)
    make_order(first, "ORD-C", [unreceived], issued_at=at(9), term_hours=6)
    return case


def compliance(runner, *args):
    return runner.invoke(args=["orders", "compliance", "--as-of", AS_OF, *args])


def test_compliance_json_is_exactly_the_documented_shape(runner, world):
    result = compliance(runner, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "reference": "ORD-A", "hoster_kvk": "00000001", "issued_at": "2026-03-01T09:00:00Z",
            "received_at": "2026-03-01T10:00:00Z", "due_at": "2026-03-01T22:00:00Z",
            "term_hours": 12, "complied": 4, "violated": 1, "pending": 0,
            "items": [
                {"notice_id": "a1", "status": "complied",
                 "inaccessible_at": "2026-03-01T15:15:00.250000Z"},
                {"notice_id": "a2", "status": "violated", "inaccessible_at": None},
                {"notice_id": "a3", "status": "complied",  # exactly at due
                 "inaccessible_at": "2026-03-01T22:00:00Z"},
                {"notice_id": "a4", "status": "complied",  # offline before receipt
                 "inaccessible_at": "2026-03-01T08:00:00Z"},
                {"notice_id": "a5", "status": "complied",  # the first of three failed checks
                 "inaccessible_at": "2026-03-01T12:00:00Z"},
            ],
        },
        {
            "reference": "ORD-B", "hoster_kvk": "00000002", "issued_at": "2026-03-01T23:00:00Z",
            "received_at": "2026-03-01T23:30:00Z", "due_at": "2026-03-02T11:30:00Z",
            "term_hours": 12, "complied": 0, "violated": 0, "pending": 1,
            "items": [{"notice_id": "b1", "status": "pending", "inaccessible_at": None}],
        },
        {
            "reference": "ORD-C", "hoster_kvk": "00000001", "issued_at": "2026-03-01T09:00:00Z",
            "received_at": None, "due_at": None,
            "term_hours": 6, "complied": 0, "violated": 0, "pending": 1,
            "items": [{"notice_id": "c1", "status": "pending", "inaccessible_at": None}],
        },
    ]  # fmt: skip
    assert result.stderr == "3 issued order(s).\n"


@pytest.mark.parametrize(
    ("window", "references"),
    [
        (("2026-03-01", "2026-03-01"), ["ORD-A"]),
        (("2026-03-02", "2026-03-02"), ["ORD-B"]),  # 23:30Z on 1 March is 2 March in Amsterdam
        (("2026-03-01", "2026-03-02"), ["ORD-A", "ORD-B"]),  # a window leaves out ORD-C
        (("2026-03-03", "2026-03-31"), []),
    ],
)
def test_from_and_to_filter_by_the_day_of_receipt_in_amsterdam(runner, world, window, references):
    result = compliance(runner, "--from", window[0], "--to", window[1], "--format", "json")
    assert result.exit_code == 0, result.output
    assert [order["reference"] for order in json.loads(result.stdout)] == references


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-03-01"], "Give both --from and --to, or neither."),
        (["--from", "2026-03-02", "--to", "2026-03-01"], "--to is before --from"),
        (["--from", "1 March", "--to", "2026-03-01"], "'1 March' is not a date (YYYY-MM-DD)"),
        (["--as-of", "tomorrow"], "'tomorrow' is not ISO 8601"),
        (["--as-of", "2026-03-02T09:00"], "'2026-03-02T09:00' has no UTC offset"),
    ],
)
def test_bad_options_are_refused_clearly(runner, world, args, message):
    result = runner.invoke(args=["orders", "compliance", *args])
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


def test_compliance_csv_has_one_safe_row_per_item(runner, world, create_hoster, make_notice,
                                                  make_order):  # fmt: skip
    formula = make_notice(create_hoster(3), "=1+1", sent=SENT)
    make_order(formula.hoster, "ORD-D", [formula], issued_at=at(9), received_at=RECEIVED_A)
    result = compliance(runner, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["reference", "hoster_kvk", "issued_at", "received_at", "due_at",
                       "term_hours", "notice_id", "status", "inaccessible_at"]  # fmt: skip
    assert len(rows) == 1 + 5 + 1 + 1 + 1
    assert rows[2] == ["ORD-A", "00000001", "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z",
                       "2026-03-01T22:00:00Z", "12", "a2", "violated", ""]  # fmt: skip
    assert rows[-1] == ["ORD-D", "00000003", "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z",
                        "2026-03-01T22:00:00Z", "12", "'=1+1", "violated", ""]  # fmt: skip
    assert ["ORD-C", "00000001", "2026-03-01T09:00:00Z", "", "", "6", "c1", "pending", ""] in rows


def test_compliance_table_shows_amsterdam_times(runner, world):
    result = compliance(runner)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["reference", "kvk", "received", "due", "term", "complied",
                                "violated", "pending"]  # fmt: skip
    assert lines[1].split() == ["ORD-A", "00000001", "2026-03-01", "11:00", "2026-03-01",
                                "23:00", "12", "h", "4", "1", "0"]  # fmt: skip
    assert lines[3].split() == ["ORD-C", "00000001", "6", "h", "0", "0", "1"]


def violations(session) -> list[Violation]:
    session.expire_all()
    return list(session.scalars(sa.select(Violation).order_by(Violation.id)))


def test_establish_stores_violations_with_evidence_once(runner, session, world):
    result = runner.invoke(args=["orders", "establish", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 violation(s) established (orders ORD-A).\n"
    (violation,) = violations(session)
    assert violation.item.notice.external_id == "a2" and violation.established_by_id is None
    assert violation.due_at == at(22) and violation.case_id == world.id
    evidence = violation.evidence
    assert evidence["order_reference"] == "ORD-A" and evidence["notice_reference"] == "a2"
    assert datetime.fromisoformat(evidence["last_online_check_at"]) == at(21)
    assert datetime.fromisoformat(evidence["due_at"]) == at(22)
    events = session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == world.id)).all()
    established = [e for e in events if e.kind == "violation_established"]
    assert len(established) == 1 and established[0].data["violation_id"] == violation.id

    again = runner.invoke(args=["orders", "establish", "--as-of", AS_OF])
    assert again.exit_code == 0, again.output
    assert again.stdout == "0 violation(s) established.\n"
    assert len(violations(session)) == 1


def test_establish_refuses_a_moment_in_the_future(runner, session, world):
    result = runner.invoke(args=["orders", "establish", "--as-of", "2099-01-01T00:00:00Z"])
    assert result.exit_code == 1
    assert "as of now or an earlier moment" in result.stderr
    assert violations(session) == []


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (None, None),
        (datetime(2026, 3, 1, 10, tzinfo=UTC), "2026-03-01T10:00:00Z"),
        (datetime(2026, 3, 1, 11, 0, 0, 5, tzinfo=UTC), "2026-03-01T11:00:00.000005Z"),
        (datetime.fromisoformat("2026-07-01T12:00:00+02:00"), "2026-07-01T10:00:00Z"),
    ],
)
def test_utc_text(moment, text):
    assert utc_text(moment) == text
