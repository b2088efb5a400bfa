"""The weekly trend: the SVG chart (deterministic, self-contained) and the weekly figures."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from enforcement.metrics.charts import weekly_chart
from enforcement.metrics.services import figures_by_hoster, weekly_series

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
WEEKS = [(date(2026, 3, 2), 12, 41.7), (date(2026, 3, 9), 0, None), (date(2026, 3, 16), 30, 96.7)]


def parse_svg(svg: str) -> ET.Element:
    """Parse the chart; raises on anything that is not well-formed XML."""
    return ET.fromstring(svg)  # noqa: S314  (our own chart, not input from outside)


def test_same_weeks_give_the_same_bytes():
    assert weekly_chart(WEEKS, threshold_pct=90.0) == weekly_chart(WEEKS, threshold_pct=90.0)
    assert weekly_chart(WEEKS) != weekly_chart(WEEKS[:2])


def test_a_chart_does_not_depend_on_the_charts_drawn_before_it():
    # The figure is kept and refilled (charts._Canvas): nothing of one chart may leak into the
    # next. A fresh interpreter draws the chart from nothing; this one after others.
    script = (
        "import datetime; from enforcement.metrics.charts import weekly_chart; "
        f"print(weekly_chart({WEEKS!r}, threshold_pct=90.0, language='nl'), end='')"
    )
    fresh = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout  # fmt: skip
    longer = [(date(2026, 1, 5) + timedelta(weeks=n), 40 + n, 99.0) for n in range(9)]
    weekly_chart(longer, language="nl")  # more weeks, no norm line
    weekly_chart([], threshold_pct=75.0, language="nl")
    assert weekly_chart(WEEKS, threshold_pct=90.0, language="nl") == fresh


@pytest.mark.parametrize("weeks", [WEEKS, [], [(date(2026, 3, 2), 0, None)]])
def test_chart_is_one_well_formed_svg_element_with_nothing_external(weeks):
    svg = weekly_chart(weeks, threshold_pct=90.0)
    root = parse_svg(svg)
    assert root.tag == f"{SVG}svg"
    assert svg.startswith("<svg") and "<!DOCTYPE" not in svg and "<?xml" not in svg
    assert set(re.findall(r"(?:https?|file|ftp)://[^\"'\s]*", svg)) <= NAMESPACES
    for element in root.iter():
        assert element.tag not in {f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image"}
        assert not any(name.lower().startswith("on") for name in element.attrib)
        for name in ("href", XLINK_HREF):
            assert element.get(name, "#").startswith("#")  # only references inside the chart
    assert "metadata" not in svg and "matplotlib.org" not in svg


def test_chart_shows_the_week_labels_and_axis_names():
    svg = weekly_chart(WEEKS, threshold_pct=90.0)
    texts = {"".join(el.itertext()).strip() for el in parse_svg(svg).iter(f"{SVG}text")}
    assert {"2 Mar", "9 Mar", "16 Mar", "Notices per week", "Offline within 24 h (%)"} <= texts
    assert "Policy minimum (90 %)" in texts


def utc(day: int, hour: float) -> datetime:
    return datetime(2026, 3, day, tzinfo=UTC) + timedelta(hours=hour)


def test_weekly_series_follows_the_figure_definitions(session, create_hoster, add_notices):
    hoster, other = create_hoster(1), create_hoster(2)
    add_notices(hoster, [
        (utc(3, 12), None, None),  # Tuesday 3 March: before the window
        # Week of Monday 2 March, clipped to Wednesday 4 to Sunday 8: 1 h, 2 h, exactly 24 h, 30 h.
        (utc(4, 8), utc(4, 9), None),
        (utc(5, 8), utc(5, 10), None),
        (utc(6, 8), utc(7, 8), utc(8, 0)),
        (utc(8, 22.5), utc(10, 4.5), None),  # Sunday 23:30 in Amsterdam: still week 1
        # Week of Monday 9 March: 00:30 on Monday in Amsterdam, and two more.
        (utc(8, 23.5), None, None),  # still online at as_of, 36.5 h after the notice
        (utc(10, 1), None, None),  # still online, only 11 h old at as_of: not yet eligible
        (utc(11, 9), utc(11, 10), None),  # sent after as_of: not known then
    ])  # fmt: skip
    add_notices(other, [(utc(4, 8), None, None)])
    as_of = utc(10, 12)
    weeks = weekly_series(session, hoster.id, date(2026, 3, 4), date(2026, 3, 15), as_of)
    assert [(w.first_day, w.last_day) for w in weeks] == [
        (date(2026, 3, 4), date(2026, 3, 8)),
        (date(2026, 3, 9), date(2026, 3, 15)),
    ]
    first, second = (w.figures for w in weeks)
    assert (first.notices, first.offline_within_24h_pct, first.online_over_48h_pct) == (
        4,
        75.0,
        0.0,
    )
    assert (first.median_hours, first.p90_hours, first.reappeared) == (2.0, 30.0, 1)
    assert (second.notices, second.offline_within_24h_pct, second.still_online) == (2, 0.0, 2)
    assert second.median_hours is None  # the rank falls on a notice still online
    # Each week is exactly the figures of its days, so the weeks add up to the window.
    for week in weeks:
        days = figures_by_hoster(session, week.first_day, week.last_day, as_of, [hoster.id])
        assert days[hoster.id] == week.figures
    window = figures_by_hoster(session, date(2026, 3, 4), date(2026, 3, 15), as_of, [hoster.id])
    assert sum(w.figures.notices for w in weeks) == window[hoster.id].notices == 6


def test_weekly_series_has_a_point_for_an_empty_week(session, create_hoster, add_notices):
    hoster = create_hoster(1)
    add_notices(hoster, [(utc(2, 8), utc(2, 9), None)])
    weeks = weekly_series(session, hoster.id, date(2026, 3, 2), date(2026, 3, 22), utc(28, 0))
    assert [w.figures.notices for w in weeks] == [1, 0, 0]
    assert weeks[1].figures.offline_within_24h_pct is None
