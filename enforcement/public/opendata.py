"""Open data: the published decisions and the takedown report as CSV and JSON, each with its
SHA-256 beside it, and the entries of the Atom feed.

A file's bytes depend only on the data (no moment of generation inside), so its checksum and
ETag change exactly when its content does.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from enforcement.core.time import to_local
from enforcement.public.queries import PublicDecision, published_decisions
from enforcement.public.report import HosterReport, takedown_report

DECISION_FIELDS = (
    "id", "hoster", "hoster_legal_name", "kind", "decision_date", "violated_rule", "amount",
    "amount_per_violation", "maximum", "violations", "violations_from", "violations_to",
    "legal_status", "status", "published_at", "withdrawn_at",
)  # fmt: skip
FIGURE_FIELDS = (
    "notices", "offline_within_24h_pct", "online_over_48h_pct", "online_over_72h_pct",
    "median_hours", "p90_hours", "still_online", "reappeared",
)  # fmt: skip
REPORT_FIELDS = ("hoster", "named_on", "period", "first_day", "last_day", "measured_as_of",
                 *FIGURE_FIELDS, "hoster_response")  # fmt: skip
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class DataFile:
    dataset: str
    fmt: str

    @property
    def name(self) -> str:
        return f"{self.dataset}.{self.fmt}"


FILES = [DataFile(d, f) for d in ("decisions", "takedown-report") for f in ("csv", "json")]


def decision_rows(entries: list[PublicDecision]) -> list[dict[str, Any]]:
    """Return the published and withdrawn decisions as rows, oldest decision first."""
    rows = [entry.content() for entry in sorted(entries, key=lambda e: e.decision_id)]
    return [{name: row.get(name) for name in DECISION_FIELDS} for row in rows]


def report_rows(reports: list[HosterReport]) -> list[dict[str, Any]]:
    """Return one row per named hoster and measured period."""
    rows = []
    for report in reports:
        response = report.naming.response
        for period in report.periods:
            rows.append({
                "hoster": report.naming.hoster_name,
                "named_on": _day(report.naming.named_at),
                "period": "naming" if period.naming else "later",
                "first_day": period.first_day.isoformat(),
                "last_day": period.last_day.isoformat(),
                "measured_as_of": _utc(period.as_of),
                **{name: period.figures.get(name) for name in FIGURE_FIELDS},
                "hoster_response": response.text if response else None,
            })  # fmt: skip
    return rows


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(moment: datetime) -> str:
    return to_local(moment).date().isoformat()


def as_csv(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return out.getvalue().encode()


def as_json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def last_modified(entries: list[PublicDecision]) -> datetime | None:
    """Return when the published decisions last changed (None while there are none)."""
    return max((e.changed_at for e in entries), default=None)


def dataset(session: Session, name: str, fmt: str, now: datetime) -> tuple[bytes, datetime | None]:
    """Return a dataset's bytes in a format, and when its content last changed."""
    if name == "decisions":
        entries = published_decisions(session, now)
        rows, fields, modified = decision_rows(entries), DECISION_FIELDS, last_modified(entries)
    else:
        reports = takedown_report(session, now)
        rows, fields = report_rows(reports), REPORT_FIELDS
        moments = [p.as_of for r in reports for p in r.periods]
        moments += [r.naming.response.recorded_at for r in reports if r.naming.response]
        modified = max(moments, default=None)
    return (as_csv(rows, fields) if fmt == "csv" else as_json(rows)), modified


def sha256_line(content: bytes, filename: str) -> bytes:
    """Return the checksum file's line, as ``sha256sum`` writes and ``sha256sum -c`` reads it."""
    return f"{hashlib.sha256(content).hexdigest()}  {filename}\n".encode()


def file_response(content: bytes, fmt: str, modified: datetime | None) -> Response:
    response = Response(content, mimetype=MEDIA_TYPES[fmt])
    return conditional(response, content, modified)


def checksum_response(content: bytes, filename: str, modified: datetime | None) -> Response:
    line = sha256_line(content, filename)
    return conditional(Response(line, mimetype="text/plain"), line, modified)


def conditional(response: Response, content: bytes, modified: datetime | None) -> Response:
    """Give a file its strong ETag (its SHA-256) and Last-Modified; the blueprint answers 304."""
    response.set_etag(hashlib.sha256(content).hexdigest())
    if modified is not None:
        response.last_modified = modified
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response  # the blueprint's after_request answers 304 when the client has it


@dataclass(frozen=True)
class FeedEntry:
    entry: PublicDecision
    updated: datetime


def feed_entries(entries: list[PublicDecision]) -> list[FeedEntry]:
    """Return the feed's entries, newest change first."""
    items = [FeedEntry(e, e.changed_at) for e in entries]
    return sorted(items, key=lambda item: (item.updated, item.entry.decision_id), reverse=True)
