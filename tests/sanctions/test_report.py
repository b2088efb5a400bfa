"""The sanctions report adds up, per hoster and in total, as a page and on the command line."""

import csv
import io
import json
from decimal import Decimal

from enforcement.sanctions.payments import record_payment
from enforcement.sanctions.reports import AMOUNTS, report
from tests.sanctions.test_payments import ISSUED, claim_key  # noqa: F401  (fixture)


def test_it_adds_up(session, claim_key, order, staff):  # noqa: F811
    record_payment(session, claim_key, paid_on=ISSUED.date(), amount="1500", payer_reference="x",
                   actor=staff["legal"], now=ISSUED)  # fmt: skip
    session.commit()
    *hosters, total = report(session)
    [row] = hosters
    assert (row.forfeited, row.decided, row.paid) == (Decimal("1200.00"), Decimal("1200.00"),
                                                      Decimal("1500.00"))  # fmt: skip
    assert (row.outstanding, row.refund_due) == (Decimal("0.00"), Decimal("300.00"))
    assert row.decided - row.paid == row.outstanding - row.refund_due
    assert all(getattr(total, name) == getattr(row, name) for name in AMOUNTS)


def test_the_command_prints_decimal_strings_never_floats(runner, claim_key):  # noqa: F811
    result = runner.invoke(args=["sanctions", "report", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[-1]["hoster_kvk"] == "total" and rows[-1]["decided"] == "1200.00"
    assert all(isinstance(value, str) for row in rows for value in row.values())
    result = runner.invoke(args=["sanctions", "report", "--format", "csv"])
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert parsed[0]["outstanding"] == "1200.00"
    result = runner.invoke(args=["sanctions", "report"])
    assert "1200.00" in result.stdout and "outstanding" in result.stdout
    result = runner.invoke(args=["sanctions", "report", "--hoster", "00000000"])
    assert result.exit_code == 2 and "no hoster" in result.output
