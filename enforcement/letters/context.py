"""What a letter template is filled with: plain values only, built by one function per kind.

A context is stored with the letter and is all a re-render needs, so it holds text, numbers,
lists and dicts (dates as ISO text, amounts as Decimal text) and never an ORM object. The
evidence files embedded in the PDF are made from the context alone.

This module holds the parts every kind shares (header, addressee, the figures against the
norm, the cited notices, the evidence) and ``Gathered``, what a kind's context function reads;
the kinds themselves are registered in ``enforcement.letters.kinds``.
"""

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from enforcement.core.tabular import safe_cell
from enforcement.core.time import LOCAL_TZ, to_local
from enforcement.metrics.charts import weekly_chart
from enforcement.metrics.figures import FIGURE_NAMES, Figures
from enforcement.metrics.policy import Thresholds
from enforcement.metrics.services import WeekFigures, notice_line

# The body lists at most this many notices; the annex (evidence.csv) lists them all.
NOTICE_BODY_LIMIT = 50
# Kept in each letter's context, so an issued letter keeps the sender it went out with.
SENDER = {
    "name": "Autoriteit Online Terroristisch en Kinderpornografisch Materiaal",
    "short_name": "ATKM",
    "postal_address": "Postbus 00000\n2500 AA Den Haag",
    "email": "handhaving@atkm.example.test",
    # The court for an appeal against the authority's decisions: the district court of the
    # authority's seat, The Hague (Awb 8:7).
    "court": {"nl": "de rechtbank Den Haag", "en": "the District Court of The Hague"},
}
EVIDENCE_COLUMNS = ("external_id", "url", "ip", "sent_at", "offline_at", "still_online", "hours")
PLAIN_TYPES = (str, int, float, bool, type(None))
REMOVAL_ORDER_KIND = "removal_order"
ORDER_ITEMS_FILE = "removal-order-items.csv"
ORDER_ITEM_COLUMNS = ("position", "notice_reference", "url", "ip", "content_hash", "notified_at")


@dataclass(frozen=True)
class Measurement:
    """The window a step relied on, what was measured in it, and the norm in force."""

    first_day: date
    last_day: date
    as_of: datetime
    figures: Figures
    thresholds: Thresholds
    weeks: Sequence[WeekFigures]


@dataclass(frozen=True)
class Gathered:
    """What a kind's context function reads, collected from a case by the kind's gatherer.

    ``case`` needs ``id`` and ``hoster`` (legal_name, trade_name, kvk, formal_email,
    postal_address, country); ``notices`` need what ``cited_notice`` reads. Tests pass plain
    stand-ins for both. ``facts`` holds the kind's own values (the step's recorded parameters
    and findings, the decision objected to, ...): dates, Decimals and text, made plain by the
    context function. ``source`` (plain) says how to gather again, e.g. for a later date.
    """

    case: Any
    facts: Mapping[str, Any] = field(default_factory=dict)
    measurement: Measurement | None = None
    notices: Sequence[Any] = ()
    extra_holidays: frozenset[date] = frozenset()
    earlier_letters: Sequence[Mapping[str, Any]] = ()
    source: Mapping[str, Any] = field(default_factory=dict)


def plain(value: Any) -> Any:
    """Return a value as plain data: dates and moments as ISO text, Decimals as text."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def ensure_plain(value: Any, where: str = "context") -> Any:
    """Return the value if it is plain JSON data; TypeError naming the first thing that is not."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be text, not {key!r}")
            ensure_plain(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            ensure_plain(item, f"{where}[{index}]")
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(f"{where}: {type(value).__name__} is not a plain value")
    return value


def letter_moment(letter_date: date | datetime) -> datetime:
    """Return the moment a letter is dated: the given moment, or midnight of the given day."""
    if isinstance(letter_date, datetime):
        return to_local(letter_date)
    return datetime.combine(letter_date, time(0), tzinfo=LOCAL_TZ)


def letter_header(kind: str, language: str, letter_date: date | datetime, kenmerk: str | None):
    """Return the part every letter has: kind, language, kenmerk, date and moment."""
    moment = letter_moment(letter_date)
    return {
        "kind": kind,
        "language": language,
        "letter": {"kenmerk": kenmerk, "date": moment.date().isoformat(),
                   "moment": moment.isoformat()},
        "corrects": None,
        "sender": dict(SENDER),
    }  # fmt: skip


def addressee(hoster) -> dict[str, Any]:
    """Return the addressee: legal name, KvK number, electronic and postal address."""
    return {
        "legal_name": hoster.legal_name,
        "trade_name": hoster.trade_name,
        "kvk": hoster.kvk,
        "electronic_address": hoster.formal_email,
        "postal_address": hoster.postal_address or "",
        "country": hoster.country,
    }


def norm_checks(figures: Figures, thresholds: Thresholds) -> dict[str, bool | None]:
    """Return per figure with a norm whether it meets it (None when it cannot be measured)."""
    offline, online = figures.offline_within_24h_pct, figures.online_over_72h_pct
    return {
        "offline_within_24h_pct": None
        if offline is None
        else offline >= thresholds.min_offline_within_24h_pct,
        "online_over_72h_pct": None
        if online is None
        else online <= thresholds.max_online_over_72h_pct,
    }


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def cited_notice(notice, as_of: datetime) -> dict[str, Any]:
    """Return a notice as a letter cites it: URL, sent, offline or still online, hours."""
    line = notice_line(notice, as_of)
    return {
        "external_id": notice.external_id,
        "url": notice.url,
        "ip": notice.ip,
        "sent_at": _moment(notice.notice_sent_at),
        "offline_at": _moment(notice.offline_at) if line.offline else None,
        "still_online": not line.offline,
        "hours": line.hours,
    }


def measurement_context(measurement: Measurement | None, language: str) -> dict[str, Any]:
    """Return the window, the figures beside the norm and the weekly trend (None: not measured)."""
    if measurement is None:
        return dict.fromkeys(("window", "figures", "norm", "checks", "weeks", "chart_svg"))
    measured, norm = measurement.figures, measurement.thresholds
    weeks = [(w.first_day, w.figures.notices, w.figures.offline_within_24h_pct)
             for w in measurement.weeks]  # fmt: skip
    return {
        "window": {"first_day": measurement.first_day.isoformat(),
                   "last_day": measurement.last_day.isoformat(),
                   "as_of": measurement.as_of.isoformat()},
        "figures": {name: getattr(measured, name) for name in FIGURE_NAMES},
        "norm": {"min_notices": norm.min_notices,
                 "min_offline_within_24h_pct": norm.min_offline_within_24h_pct,
                 "max_online_over_72h_pct": norm.max_online_over_72h_pct},
        "checks": norm_checks(measured, norm),
        "weeks": [{"first_day": day.isoformat(), "notices": count, "offline_within_24h_pct": pct}
                  for day, count, pct in weeks],
        "chart_svg": weekly_chart(
            weeks, threshold_pct=norm.min_offline_within_24h_pct, language=language
        ),
    }  # fmt: skip


def notices_context(notices: Iterable, as_of: datetime) -> dict[str, Any]:
    """Return the cited notices in sending order, and how many the body lists."""
    cited = sorted(notices, key=lambda n: (n.notice_sent_at, n.external_id, n.id))
    return {
        "notices": [cited_notice(notice, as_of) for notice in cited],
        "notice_body_limit": NOTICE_BODY_LIMIT,
    }


def common_context(
    kind: str, gathered: Gathered, *, language: str, letter_date: date | datetime,
    kenmerk: str | None,
) -> dict[str, Any]:  # fmt: skip
    """Return what every letter of the registry holds: header, addressee, figures, notices."""
    measurement = gathered.measurement
    as_of = measurement.as_of if measurement else letter_moment(letter_date)
    return {
        **letter_header(kind, language, letter_date, kenmerk),
        "addressee": addressee(gathered.case.hoster),
        "case": {"id": gathered.case.id},
        **measurement_context(measurement, language),
        **notices_context(gathered.notices, as_of),
        "earlier_letters": plain(list(gathered.earlier_letters)),
        "source": plain(dict(gathered.source)),
    }


def warning_context(
    case,
    figures: Measurement,
    notices: Iterable,
    deadline: date | datetime,
    *,
    language: str,
    letter_date: date | datetime,
    kenmerk: str | None,
) -> dict[str, Any]:
    """Build the warning letter's context from the case, the measurement and the notices cited."""
    context = {
        **letter_header("warning", language, letter_date, kenmerk),
        "addressee": addressee(case.hoster),
        "case": {"id": case.id},
        **measurement_context(figures, language),
        "improvement_ends_on": letter_moment(deadline).date().isoformat(),
        **notices_context(notices, figures.as_of),
    }
    return ensure_plain(context)


def evidence_json(context: dict[str, Any]) -> bytes:
    """Return everything a letter relied on as JSON: figures, norm, weeks, every notice."""
    evidence = {key: value for key, value in context.items() if key not in ("chart_svg",)}
    text = json.dumps(evidence, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


VIOLATION_COLUMNS = ("order", "notice", "due_at", "last_online_at", "established_at")


def evidence_csv(context: dict[str, Any]) -> bytes:
    """Return every notice a letter cites as CSV (UTF-8, comma, CRLF), in the letter's order;
    for a sanction letter, every violation of a removal order it rests on."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if context.get("violations") is not None:
        writer.writerow(VIOLATION_COLUMNS)
        for violation in context["violations"]:
            writer.writerow([safe_cell(str(violation.get(c) or "")) for c in VIOLATION_COLUMNS])
        return buffer.getvalue().encode("utf-8")
    writer.writerow(EVIDENCE_COLUMNS)
    for notice in context.get("notices", []):
        row = {**notice, "still_online": "true" if notice["still_online"] else "false"}
        writer.writerow([safe_cell("" if row[c] is None else str(row[c]))
                         for c in EVIDENCE_COLUMNS])  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def order_items_csv(context: dict[str, Any]) -> bytes:
    """Return the data a removal order lists as CSV (UTF-8, comma, CRLF), in the order's order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ORDER_ITEM_COLUMNS)
    for item in context["items"]:
        writer.writerow([safe_cell("" if item[c] is None else str(item[c]))
                         for c in ORDER_ITEM_COLUMNS])  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def evidence_files(context: dict[str, Any]) -> list[tuple[str, bytes]]:
    """Return the files a letter embeds: evidence.json and evidence.csv, or for a removal
    order the data it lists (removal-order-items.csv)."""
    if context.get("kind") == REMOVAL_ORDER_KIND:
        return [(ORDER_ITEMS_FILE, order_items_csv(context))]
    return [("evidence.json", evidence_json(context)), ("evidence.csv", evidence_csv(context))]
