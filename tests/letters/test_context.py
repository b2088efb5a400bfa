"""The warning letter's context: plain values only, and the evidence made from it."""

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from enforcement.letters.context import (
    NOTICE_BODY_LIMIT,
    ensure_plain,
    evidence_csv,
    evidence_files,
    evidence_json,
)
from tests.letters.samples import sample_context


@pytest.fixture(scope="module")
def context():
    return sample_context("en", notices=120)


def test_the_context_survives_a_json_round_trip_unchanged(context):
    assert json.loads(json.dumps(context)) == context


def test_the_context_holds_what_the_letter_shows(context):
    assert context["kind"] == "warning" and context["language"] == "en"
    assert context["letter"] == {
        "kenmerk": "ENF-2026-000123",
        "date": "2026-03-02",
        "moment": "2026-03-02T10:00:00+01:00",
    }
    assert context["addressee"]["kvk"] == "01234567"
    assert context["norm"] == {
        "min_notices": 10,
        "min_offline_within_24h_pct": 90.0,
        "max_online_over_72h_pct": 1.0,
    }
    assert context["checks"] == {"offline_within_24h_pct": False, "online_over_72h_pct": False}
    assert context["improvement_ends_on"] == "2026-04-27"
    assert context["notice_body_limit"] == NOTICE_BODY_LIMIT == 50
    assert context["chart_svg"].startswith("<svg")
    assert len(context["weeks"]) == 6


def test_cited_notices_are_in_sending_order_with_hours(context):
    notices = context["notices"]
    assert len(notices) == 120
    assert [n["sent_at"] for n in notices] == sorted(n["sent_at"] for n in notices)
    still_online = [n for n in notices if n["still_online"]]
    assert still_online and all(n["offline_at"] is None for n in still_online)
    assert {n["hours"] for n in notices if not n["still_online"]} >= {30.0}


@pytest.mark.parametrize(
    "value", [Decimal("1.00"), object(), {1: "a"}, ("a", "b"), {"nested": [{"x": b"bytes"}]}]
)
def test_anything_but_plain_values_is_refused(value):
    with pytest.raises(TypeError):
        ensure_plain({"value": value})


def test_the_evidence_is_the_same_bytes_every_time(context):
    assert evidence_files(context) == evidence_files(json.loads(json.dumps(context)))
    assert [name for name, _ in evidence_files(context)] == ["evidence.json", "evidence.csv"]


def test_evidence_json_has_every_figure_and_notice_but_not_the_chart(context):
    evidence = json.loads(evidence_json(context))
    assert evidence["figures"] == context["figures"]
    assert evidence["notices"] == context["notices"]
    assert "chart_svg" not in evidence
    assert evidence_json(context).endswith(b"}\n")


def test_evidence_csv_has_a_row_per_notice(context):
    data = evidence_csv(context)
    assert data.startswith(b"external_id,url,ip,sent_at,offline_at,still_online,hours\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 120
    first = context["notices"][0]
    assert rows[0]["url"] == first["url"]
    assert rows[0]["sent_at"] == first["sent_at"]
    assert float(rows[0]["hours"]) == first["hours"]


def test_starting_the_app_does_not_import_weasyprint():
    code = (
        "import sys; from config import TestConfig; from enforcement import create_app; "
        "create_app(TestConfig); print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed snippet)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
