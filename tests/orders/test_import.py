import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from enforcement.cases.models import CaseEvent
from enforcement.orders.models import OrderOrigin, OrderStatus, RemovalOrder, RemovalOrderItem

HEADER = "reference,hoster,notice_id,source,issued_at,received_at,term_hours"
ISSUED, RECEIVED = "2026-03-28T23:00:00Z", "2026-03-29T00:30:00Z"  # received 01:30 Amsterdam (CET)
SENT = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)


def line(reference="ORD-1", hoster="00000001", notice_id="n1", source="", issued=ISSUED,
         received=RECEIVED, term="12"):  # fmt: skip
    return ",".join([reference, hoster, notice_id, source, issued, received, term])


def write_csv(tmp_path, *lines, header=HEADER, name="orders.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def run(runner, path, *args):
    return runner.invoke(args=["orders", "import", str(path), *args])


def orders(session) -> dict[str, RemovalOrder]:
    session.expire_all()
    return {o.reference: o for o in session.scalars(sa.select(RemovalOrder))}


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def hosters(create_hoster):
    return create_hoster(1), create_hoster(2)


@pytest.fixture
def notices(hosters, make_notice):
    """n1, n2 of hoster 1, n3 of hoster 2, "dup" from two sources, "late" sent after ISSUED."""
    first, second = hosters
    return {
        "n1": make_notice(first, "n1", sent=SENT, content_hash="ab" * 32),
        "n2": make_notice(first, "n2", sent=SENT),
        "n3": make_notice(second, "n3", sent=datetime(2026, 3, 1, tzinfo=UTC)),
        "dup-hotline": make_notice(first, "dup", sent=SENT),
        "dup-monitor": make_notice(first, "dup", source="monitor", sent=SENT),
        "late": make_notice(first, "late", sent=datetime(2026, 3, 29, tzinfo=UTC)),
    }


VALID_LINES = (
    line(),
    line(notice_id="n2"),
    line(notice_id="dup", source="monitor"),
    line("ORD-2", "00000002", "n3", "", "2026-03-02T09:00:00+01:00", "2026-03-02T09:30:00+01:00",
         "6"),
)  # fmt: skip


def test_a_valid_file_creates_the_orders_with_exact_terms(runner, session, tmp_path, hosters,
                                                          notices, make_case):  # fmt: skip
    case = make_case(hosters[0])
    result = run(runner, write_csv(tmp_path, *VALID_LINES))
    assert result.exit_code == 0, result.output
    assert result.stdout == "4 row(s), 2 order(s) created, 0 unchanged.\n"
    found = orders(session)
    first, second = found["ORD-1"], found["ORD-2"]
    # 12 hours after 00:30Z on the night the clocks go forward is 12:30Z, not 11:30Z.
    assert first.due_at == datetime(2026, 3, 29, 12, 30, tzinfo=UTC)
    assert first.received_at == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert (first.origin, first.status, first.term_hours) == (OrderOrigin.IMPORTED,
                                                              OrderStatus.ISSUED, 12)  # fmt: skip
    assert (first.case_id, second.case_id) == (case.id, None)
    assert first.drafted_at == first.issued_at == datetime(2026, 3, 28, 23, tzinfo=UTC)
    assert first.drafted_by_id is None and first.issued_by_id is None
    assert first.receipt_evidence == "imported from orders.csv"
    assert first.source == "import orders.csv"
    assert [i.notice_id for i in first.items] == [
        notices[k].id for k in ("n1", "n2", "dup-monitor")
    ]
    item = first.items[0]
    assert (item.url, item.ip, item.content_hash) == (notices["n1"].url, notices["n1"].ip,
                                                      "ab" * 32)  # fmt: skip
    assert second.due_at == datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    assert second.hoster_id == hosters[1].id and second.term_hours == 6
    events = session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    imported = [e for e in events if e.kind == "removal_order_imported"]
    assert len(imported) == 1 and imported[0].data["reference"] == "ORD-1"
    assert imported[0].data["items"] == 3 and imported[0].actor_id is None


def test_importing_the_same_file_again_changes_nothing(runner, session, tmp_path, hosters,
                                                       notices, make_case):  # fmt: skip
    make_case(hosters[0])
    path = write_csv(tmp_path, *VALID_LINES)
    assert run(runner, path).exit_code == 0
    before = (count(session, RemovalOrder), count(session, RemovalOrderItem),
              count(session, CaseEvent))  # fmt: skip
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "4 row(s), 0 order(s) created, 2 unchanged.\n"
    after = (count(session, RemovalOrder), count(session, RemovalOrderItem),
             count(session, CaseEvent))  # fmt: skip
    assert before == after == (2, 4, 2)  # the case's opening event and one import event


def test_json_lines_with_bom_and_numbers(runner, session, tmp_path, notices):
    rows = [
        {"reference": "ORD-1", "hoster": "00000001", "notice_id": "n1", "issued_at": ISSUED,
         "received_at": RECEIVED, "term_hours": 12},
        {"reference": "ORD-1", "hoster": "00000001", "notice_id": "n2", "source": "hotline",
         "issued_at": "2026-03-29T00:00:00+01:00", "received_at": RECEIVED, "term_hours": "12"},
    ]  # fmt: skip
    path = tmp_path / "orders.jsonl"
    path.write_text("\ufeff" + "\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 row(s), 1 order(s) created, 0 unchanged.\n"
    assert orders(session)["ORD-1"].due_at == datetime(2026, 3, 29, 12, 30, tzinfo=UTC)


def test_semicolon_csv_with_bom_is_read(runner, session, tmp_path, notices):
    path = tmp_path / "export.csv"
    body = "\n".join(text.replace(",", ";") for text in (HEADER, line())) + "\n"
    path.write_text("\ufeff" + body, encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert set(orders(session)) == {"ORD-1"}


def test_dry_run_checks_and_changes_nothing(runner, session, tmp_path, notices):
    result = run(runner, write_csv(tmp_path, *VALID_LINES), "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "Dry run: 4 row(s), 2 order(s) created, 0 unchanged; nothing was changed.\n"
    )
    assert orders(session) == {}


BEFORE_LAW = "2024-06-30T23:59:59+02:00"  # the last second before 1 July 2024 in Amsterdam


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([line(term="")], "row 2, column term_hours: required"),
        ([line(reference="")], "row 2, column reference: required"),
        ([line(hoster="99999999")], "row 2, column hoster: unknown hoster: no KvK number 99999999"),
        ([line(notice_id="n404")], "row 2, column notice_id: unknown notice: no notice n404"),
        ([line(source="nobody")], "row 2, column source: unknown source 'nobody'"),
        ([line(notice_id="dup")], "row 2, column notice_id: notice dup is ambiguous: sources "
                                  "hotline, monitor have it; fill in source"),
        ([line(notice_id="n3")], "row 2, column notice_id: notice n3 is of another hoster "
                                 "(KvK 00000002)"),
        ([line(), line()], "row 3, column notice_id: the same notice is on row 2 of order ORD-1"),
        ([line(received="2026-03-28T22:59:59Z")], "row 2, column received_at: before issued_at"),
        ([line(received="2099-01-01T00:00:00Z")], "row 2, column received_at: in the future"),
        ([line(issued="2099-01-01T00:00:00Z", received="2099-01-01T01:00:00Z")],
         "row 2, column issued_at: in the future"),
        ([line(issued=BEFORE_LAW)], "row 2, column issued_at: before 1 July 2024, when the law"),
        ([line(term="12.5")], "row 2, column term_hours: the term is a whole number of hours"),
        ([line(term="13")], "row 2, column term_hours: the term is 1 to 12 hours"),
        ([line(term="0")], "row 2, column term_hours: the term is 1 to 12 hours"),
        ([line(issued="2026-03-28T23:00:00")],
         "row 2, column issued_at: has no UTC offset; add one"),
        ([line(received="soon")], "row 2, column received_at: is not an ISO 8601"),
        ([line(notice_id="late")],
         "row 2, column notice_id: notice late was sent after the order was issued"),
        ([line(), line(notice_id="n2", hoster="00000002")],
         "row 3, column hoster: differs from row 2 of order ORD-1"),
        ([line(), line(notice_id="n2", issued="2026-03-28T23:30:00Z")],
         "row 3, column issued_at: differs from row 2 of order ORD-1"),
        ([line(), line(notice_id="n2", received="2026-03-29T00:31:00Z")],
         "row 3, column received_at: differs from row 2 of order ORD-1"),
        ([line(), line(notice_id="n2", term="6")],
         "row 3, column term_hours: differs from row 2 of order ORD-1"),
        ([line(), "ORD-1,00000001,n2,,x,y,z,surplus"],
         "row 3: more values than there are columns in the header"),
    ],
)  # fmt: skip
def test_each_error_names_row_column_and_reason_and_imports_nothing(
    runner, session, tmp_path, notices, lines, expected
):
    result = run(runner, write_csv(tmp_path, line("OK-1", notice_id="n2"), *lines))
    assert result.exit_code == 1
    assert expected.replace("row 3", "row 4").replace("row 2", "row 3") in result.stderr
    assert "nothing was imported" in result.stderr
    assert "files.example.test" not in result.output
    assert result.stdout == ""
    assert orders(session) == {}


def test_a_missing_column_is_reported_on_the_header(runner, session, tmp_path, notices):
    header = "reference,hoster,notice_id,issued_at,received_at"
    result = run(runner, write_csv(tmp_path, "ORD-1,00000001,n1,x,y", header=header))
    assert result.exit_code == 1
    assert "row 1, column term_hours: required column is missing" in result.stderr
    assert "1 error(s) in the file; nothing was imported" in result.stderr


def test_every_error_of_a_json_lines_file_is_listed(runner, session, tmp_path, notices):
    path = tmp_path / "orders.jsonl"
    rows = [
        json.dumps({"reference": "ORD-1", "hoster": "00000001", "notice_id": "n1"}),
        "{not json",
        json.dumps({"reference": "ORD-2", "hoster": 1, "notice_id": "n1", "issued_at": ISSUED,
                    "received_at": RECEIVED, "term_hours": 12.0}),
    ]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(runner, path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 1, column issued_at: required column is missing",
        "row 1, column received_at: required column is missing",
        "row 1, column term_hours: required column is missing",
        "row 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "row 3, column hoster: unknown hoster: no KvK number 1 in the registry",
        "row 3, column term_hours: the term is a whole number of hours",
        "Error: 6 error(s) in the file; nothing was imported",
    ]


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        (line(term="6"), "other term_hours"),
        (line(received="2026-03-29T00:45:00Z"), "other received_at"),
        (line(notice_id="n2"), "other items"),
    ],
)
def test_a_reference_imported_with_other_data_is_refused(runner, session, tmp_path, notices,
                                                         changed, reason):  # fmt: skip
    assert run(runner, write_csv(tmp_path, line())).exit_code == 0
    result = run(runner, write_csv(tmp_path, changed, name="again.csv"))
    assert result.exit_code == 1
    assert f"row 2, column reference: order ORD-1 was imported before with {reason}" in (
        result.stderr
    )
    assert orders(session)["ORD-1"].term_hours == 12 and len(orders(session)["ORD-1"].items) == 1


def test_a_reference_of_a_system_order_is_refused(runner, session, tmp_path, hosters, notices,
                                                  make_order):  # fmt: skip
    issued = datetime(2026, 3, 28, 23, tzinfo=UTC)
    make_order(hosters[0], "ORD-1", [notices["n1"]], issued_at=issued, origin=OrderOrigin.SYSTEM)
    result = run(runner, write_csv(tmp_path, line()))
    assert result.exit_code == 1
    assert "row 2, column reference: ORD-1 is the reference of an order issued in this system" in (
        result.stderr
    )


def test_an_empty_file_or_unknown_format_is_refused(runner, tmp_path, notices):
    result = run(runner, write_csv(tmp_path))
    assert result.exit_code == 1 and "file: the file has no rows" in result.stderr
    other = tmp_path / "orders.xlsx"
    other.write_text("x")
    result = run(runner, other)
    assert result.exit_code == 1 and "pass --format csv or jsonl" in result.stderr
