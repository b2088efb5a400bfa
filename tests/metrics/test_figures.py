from datetime import UTC, datetime, timedelta

import pytest

from enforcement.metrics.figures import NoticeTimes, compute_figures, nearest_rank, percentage

AS_OF = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def notice(sent_hours_ago: float, takedown_hours: float | None = None, reappeared_after=None):
    """A notice sent that many hours before AS_OF, taken down after takedown_hours (or not)."""
    sent = AS_OF - timedelta(hours=sent_hours_ago)
    offline = sent + timedelta(hours=takedown_hours) if takedown_hours is not None else None
    reappeared = sent + timedelta(hours=reappeared_after) if reappeared_after is not None else None
    return NoticeTimes(sent_at=sent, offline_at=offline, reappeared_at=reappeared)


def test_no_notices_gives_nulls():
    figures = compute_figures([], AS_OF)
    assert figures.as_dict() == {
        "notices": 0, "offline_within_24h_pct": None, "online_over_48h_pct": None,
        "online_over_72h_pct": None, "median_hours": None, "p90_hours": None,
        "still_online": 0, "reappeared": 0,
    }  # fmt: skip


def test_all_taken_down_quickly():
    figures = compute_figures([notice(100, 1), notice(100, 2), notice(100, 3)], AS_OF)
    assert figures.offline_within_24h_pct == 100.0
    assert figures.online_over_48h_pct == 0.0
    assert figures.median_hours == 2.0
    assert figures.p90_hours == 3.0
    assert figures.still_online == 0


def test_still_online_notice_is_censored_at_as_of_not_dropped():
    # Two taken down in 10 h, one still online after 100 h: median 10 h, p90 "more than".
    figures = compute_figures([notice(200, 10), notice(200, 10), notice(100)], AS_OF)
    assert figures.notices == 3
    assert figures.still_online == 1
    assert figures.offline_within_24h_pct == pytest.approx(66.7)
    assert figures.online_over_48h_pct == pytest.approx(33.3)
    assert figures.online_over_72h_pct == pytest.approx(33.3)
    assert figures.median_hours == 10.0
    assert figures.p90_hours is None


def test_offline_after_as_of_counts_as_still_online():
    figures = compute_figures([notice(30, takedown_hours=40)], AS_OF)
    assert figures.still_online == 1
    assert figures.median_hours is None


def test_notices_younger_than_24h_are_only_counted_when_already_offline():
    # Sent 5 h ago and still online: not yet eligible for the 24 h share.
    # Sent 5 h ago and offline after 2 h: counts as offline within 24 h.
    figures = compute_figures([notice(5), notice(5, 2), notice(30, 25)], AS_OF)
    assert figures.offline_within_24h_pct == 50.0  # 1 of (offline-within-24h 1 + aged 30 h 1)
    assert figures.online_over_48h_pct is None  # nothing is 48 h old
    assert figures.online_over_72h_pct is None


def test_over_48_and_72_hours_use_their_own_eligible_notices():
    notices = [notice(100, 50), notice(100, 80), notice(60), notice(60, 1), notice(10)]
    figures = compute_figures(notices, AS_OF)
    # 48 h: eligible = sent >= 48 h ago: 4; over 48 h: 50 h, 80 h, still online 60 h -> 3.
    assert figures.online_over_48h_pct == 75.0
    # 72 h: eligible = the two sent 100 h ago; over: 80 h -> 1.
    assert figures.online_over_72h_pct == 50.0


def test_exactly_24_hours_is_within_24_hours_and_exactly_48_is_not_over():
    figures = compute_figures([notice(100, 24), notice(100, 48)], AS_OF)
    assert figures.offline_within_24h_pct == 50.0
    assert figures.online_over_48h_pct == 0.0


def test_reappeared_counts_only_relapses_up_to_as_of():
    notices = [notice(100, 5, reappeared_after=10), notice(100, 5, reappeared_after=200)]
    assert compute_figures(notices, AS_OF).reappeared == 1


def test_notices_sent_after_as_of_are_left_out():
    assert compute_figures([notice(-5, 1), notice(10, 1)], AS_OF).notices == 1


@pytest.mark.parametrize(
    ("values", "p_median", "p90"),
    [
        ([1.0], 1.0, 1.0),
        ([1.0, 2.0], 1.0, 2.0),  # ceil(0.5*2)=1st, ceil(0.9*2)=2nd
        ([1.0, 2.0, 3.0, 4.0], 2.0, 4.0),
        ([float(i) for i in range(1, 11)], 5.0, 9.0),  # ceil(0.9*10) = 9th
        ([float(i) for i in range(1, 71)], 35.0, 63.0),  # 0.9*70 is exactly 63, not 64
        ([1.0, float("inf")], 1.0, None),
        ([float("inf")] * 3, None, None),
    ],
)
def test_nearest_rank(values, p_median, p90):
    from fractions import Fraction

    assert nearest_rank(values, Fraction(1, 2)) == p_median
    assert nearest_rank(values, Fraction(9, 10)) == p90


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 8, 12.5),
        (1, 16, 6.3),
        (0, 5, 0.0),
        (3, 0, None),
        (1, 2000, 0.1),  # 0.05: ties round half up
        (3, 2000, 0.2),
        (1999, 2000, 100.0),
        (1997, 2000, 99.9),
    ],
)
def test_percentage_rounds_half_up_to_one_decimal(part, whole, expected):
    assert percentage(part, whole) == expected


def test_hours_are_rounded_to_one_decimal():
    figures = compute_figures([notice(100, 1.25), notice(100, 1.25)], AS_OF)
    assert figures.median_hours == 1.3
