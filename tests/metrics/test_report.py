import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from enforcement.metrics.policy import Thresholds
from enforcement.metrics.services import (
    figures_by_hoster,
    policy_in_force,
    report_rows,
    set_policy,
    window_bounds,
)

AS_OF = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)


def at(day: int, hour: float) -> datetime:
    return datetime(2026, 3, day, tzinfo=UTC) + timedelta(hours=hour)


def slow_and_fast(add_notices, slow, fast):
    """'slow' takes 30 h on 6 of 12 notices and leaves one online; 'fast' takes 1 h on 12."""
    add_notices(slow, [(at(2, i), at(2, i + 30), None) for i in range(6)]
                + [(at(3, i), at(3, i + 2), None) for i in range(5)]
                + [(at(4, 0), None, None)])  # fmt: skip
    add_notices(fast, [(at(2, i), at(2, i + 1), at(5, 0) if i == 0 else None) for i in range(12)])


def test_window_is_calendar_days_in_amsterdam():
    start, end = window_bounds(date(2026, 3, 1), date(2026, 3, 31))
    assert start == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)  # CET, UTC+1
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # CEST from 29 March, UTC+2
    with pytest.raises(ValueError):
        window_bounds(date(2026, 3, 2), date(2026, 3, 1))


def test_notices_are_counted_by_their_local_sending_day(session, create_hoster, add_notices):
    hoster = create_hoster(1)
    # 23:30 UTC on 1 March is 00:30 on 2 March in Amsterdam.
    add_notices(hoster, [(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), None, None),
                         (datetime(2026, 3, 1, 22, 30, tzinfo=UTC), None, None)])  # fmt: skip
    figures = figures_by_hoster(session, date(2026, 3, 2), date(2026, 3, 2), AS_OF)
    assert figures[hoster.id].notices == 1


def test_report_rows_figures_and_breach(session, create_hoster, add_notices):
    slow, fast = create_hoster(1, trade_name="Slow"), create_hoster(2, trade_name="Fast")
    slow_and_fast(add_notices, slow, fast)
    rows = {row["hoster_name"]: row for row in report_rows(session, DAY, date(2026, 3, 8), AS_OF)}
    assert rows["Slow"] == {
        "hoster_kvk": "00000001", "hoster_name": "Slow", "notices": 12,
        "offline_within_24h_pct": 41.7, "online_over_48h_pct": 8.3, "online_over_72h_pct": 8.3,
        "median_hours": 30.0, "p90_hours": 30.0, "still_online": 1, "reappeared": 0,
        "breach": True,
        "breach_reasons": ["offline within 24 h 41.7% < 90.0%", "online over 72 h 8.3% > 1.0%"],
    }  # fmt: skip
    assert rows["Fast"]["breach"] is False and rows["Fast"]["reappeared"] == 1
    assert rows["Fast"]["median_hours"] == 1.0


def test_policy_versions_apply_from_their_date(session, create_hoster, add_notices, create_user):
    supervisor = create_user("supervisor")
    assert policy_in_force(session, DAY) == Thresholds()
    set_policy(session, effective_from=date(2026, 3, 5), reason="Stricter norm",
               thresholds=Thresholds(20, 95.0, 0.5), actor=supervisor)  # fmt: skip
    assert policy_in_force(session, date(2026, 3, 4)) == Thresholds()
    assert policy_in_force(session, date(2026, 3, 5)).min_notices == 20
    slow = create_hoster(1, trade_name="Slow")
    slow_and_fast(add_notices, slow, create_hoster(2))
    [row] = [r for r in report_rows(session, DAY, date(2026, 3, 8), AS_OF) if r["hoster_kvk"]
             == "00000001"]  # fmt: skip
    assert row["breach"] is False  # 12 notices < 20 under the policy in force on 8 March


def test_report_cli_json_is_clean_standard_output(runner, session, create_hoster, add_notices):
    slow_and_fast(
        add_notices, create_hoster(1, trade_name="Slow"), create_hoster(2, trade_name="Fast")
    )
    result = runner.invoke(
        args=["metrics", "report", "--from", "2026-03-02", "--to", "2026-03-08",
              "--as-of", "2026-03-20T13:00:00+01:00", "--format", "json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["hoster_name"] for r in rows] == ["Fast", "Slow"]
    assert rows[1]["offline_within_24h_pct"] == 41.7
    assert "2 hoster(s)" in result.stderr


def test_report_cli_csv_and_table(runner, session, create_hoster, add_notices):
    hoster = create_hoster(1, trade_name="Slow")
    add_notices(hoster, [(at(2, 0), None, None)] * 1)
    args = ["metrics", "report", "--from", "2026-03-02", "--to", "2026-03-02",
            "--as-of", "2026-03-20T12:00:00Z"]  # fmt: skip
    result = runner.invoke(args=[*args, "--format", "csv"])
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["median_hours"] == "" and row["breach"] == "false" and row["still_online"] == "1"
    table = runner.invoke(args=args).stdout
    assert "> window" in table and "Slow" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-03-08", "--to", "2026-03-01"], "--to is before --from"),
        (["--from", "March", "--to", "2026-03-01"], "is not a date"),
        (["--from", "2026-03-01", "--to", "2026-03-02", "--as-of", "2026-03-05T10:00"],
         "has no UTC offset"),
    ],
)  # fmt: skip
def test_report_cli_refuses_bad_arguments(runner, args, message):
    result = runner.invoke(args=["metrics", "report", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_report_cli_csv_escapes_formulas(runner, session, create_hoster, add_notices):
    """Issue 15, finding 9: a hoster's name that looks like a formula stays text."""
    hoster = create_hoster(1, trade_name="=1+2")
    add_notices(hoster, [(at(2, 0), None, None)])
    args = ["metrics", "report", "--from", "2026-03-02", "--to", "2026-03-02",
            "--as-of", "2026-03-20T12:00:00Z", "--format", "csv"]  # fmt: skip
    [row] = list(csv.DictReader(io.StringIO(runner.invoke(args=args).stdout)))
    assert row["hoster_name"] == "'=1+2"
