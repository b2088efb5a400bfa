"""Security headers on every answer, and CSV exports that spreadsheets read as text (issue 15,
finding 9)."""

import csv
import io
import re
from pathlib import Path

from enforcement.auth.models import Role
from enforcement.letters.context import evidence_csv

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_pages_carry_a_strict_policy_and_the_other_headers(client, signed_in):
    signed_in(Role.OFFICER)
    for response in (client.get("/hosters/"), client.get("/sign-in"), client.get("/nowhere")):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in response.headers  # plain http here


def test_hsts_over_https(client):
    response = client.get("/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_template_has_inline_script_or_style():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", text), path


def test_the_hoster_chart_has_no_inline_css():
    from datetime import date

    from enforcement.metrics.charts import weekly_chart

    svg = weekly_chart([(date(2026, 3, 2), 4, 50.0)], threshold_pct=80.0)
    assert "style" not in svg


def test_evidence_csv_escapes_formulas():
    notice = {"external_id": "=1+2", "url": "https://x.example.test/", "ip": "@SUM(A1)",
              "sent_at": "-3", "offline_at": None, "still_online": True, "hours": 1.5}  # fmt: skip
    rows = list(csv.reader(io.StringIO(evidence_csv({"notices": [notice]}).decode())))
    assert rows[1][:4] == ["'=1+2", "https://x.example.test/", "'@SUM(A1)", "'-3"]
