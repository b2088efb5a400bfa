"""Takedown figures for one hoster over one window: pure computation, no database, no Flask.

Definitions (issue 3, exact; letters and tests depend on them):
- a notice's takedown time is offline_at - notice_sent_at when offline_at <= as_of; otherwise
  the notice is still online and censored at as_of;
- offline_within_24h_pct: offline within 24 h, over notices offline within 24 h or sent at least
  24 h before as_of; online_over_{48,72}h_pct: takedown longer than that (or still online for
  longer), over notices sent at least that long before as_of; null when nothing is eligible;
- median_hours and p90_hours: nearest rank (the ceil(p*n)-th smallest), still-online notices
  counting as infinitely long; null when the rank lands on one ("more than the window").
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

HOUR = 3600.0
MEDIAN, P90 = Fraction(1, 2), Fraction(9, 10)
FIGURE_NAMES = (
    "notices",
    "offline_within_24h_pct",
    "online_over_48h_pct",
    "online_over_72h_pct",
    "median_hours",
    "p90_hours",
    "still_online",
    "reappeared",
)


@dataclass(frozen=True)
class NoticeTimes:
    """The moments of one notice that the figures need (aware datetimes)."""

    sent_at: datetime
    offline_at: datetime | None = None
    reappeared_at: datetime | None = None


@dataclass(frozen=True)
class Figures:
    notices: int
    offline_within_24h_pct: float | None
    online_over_48h_pct: float | None
    online_over_72h_pct: float | None
    median_hours: float | None
    p90_hours: float | None
    still_online: int
    reappeared: int

    def as_dict(self) -> dict:
        return asdict(self)


def percentage(part: int, whole: int) -> float | None:
    """Return part/whole as a percentage with one decimal (half up), or None when whole is 0."""
    if whole == 0:
        return None
    # Tenths of a percent, half up, in integers: floor(1000 * part / whole + 1/2). Exact, and
    # the float of n / 10 is the float of the decimal 'n/10' (both are correctly rounded).
    return (2000 * part + whole) // (2 * whole) / 10


def round_hours(hours: float) -> float:
    """Round hours to one decimal, half up."""
    return float(Decimal(repr(hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rank_of(p: Fraction, n: int) -> int:
    """Return the nearest rank ceil(p*n) (at least 1), exactly: 0.9 * 70 is 63, not 63.0000001."""
    return max(1, -(-p.numerator * n // p.denominator))


def nearest_rank(sorted_values: list[float], p: Fraction) -> float | None:
    """Return the ceil(p*n)-th smallest value, None for an empty list or an infinite value."""
    n = len(sorted_values)
    if n == 0:
        return None
    value = sorted_values[rank_of(p, n) - 1]
    return None if math.isinf(value) else round_hours(value)


@dataclass
class Tally:
    """Counts gathered in one pass over the notices of a window."""

    notices: int = 0
    within_24h: int = 0
    eligible_24h: int = 0
    over_48h: int = 0
    eligible_48h: int = 0
    over_72h: int = 0
    eligible_72h: int = 0
    still_online: int = 0
    reappeared: int = 0

    def add(self, takedown_hours: float, age_hours: float, reappeared: bool) -> None:
        """Count one notice: takedown_hours is inf while it is still online at as_of."""
        self.notices += 1
        self.still_online += math.isinf(takedown_hours)
        self.reappeared += reappeared
        within = takedown_hours <= 24
        self.within_24h += within
        self.eligible_24h += within or age_hours >= 24
        for limit in (48, 72):
            if age_hours >= limit:
                setattr(self, f"eligible_{limit}h", getattr(self, f"eligible_{limit}h") + 1)
                if takedown_hours > limit:
                    setattr(self, f"over_{limit}h", getattr(self, f"over_{limit}h") + 1)


def compute_figures(notices: Iterable[NoticeTimes], as_of: datetime) -> Figures:
    """Compute the figures for the given notices (already limited to the window) as of a moment.

    Notices sent after as_of were not known at as_of and are left out.
    """
    tally = Tally()
    durations: list[float] = []
    for notice in notices:
        if notice.sent_at > as_of:
            continue
        age = (as_of - notice.sent_at).total_seconds() / HOUR
        if notice.offline_at is not None and notice.offline_at <= as_of:
            takedown = max(0.0, (notice.offline_at - notice.sent_at).total_seconds() / HOUR)
        else:
            takedown = math.inf
        reappeared = notice.reappeared_at is not None and notice.reappeared_at <= as_of
        tally.add(takedown, age, reappeared)
        durations.append(takedown)
    return figures_from(tally, sorted(durations))


def figures_from(tally: Tally, sorted_durations: list[float]) -> Figures:
    """Turn counts and the sorted takedown hours (inf for still online) into figures."""
    return _figures(
        tally,
        nearest_rank(sorted_durations, MEDIAN),
        nearest_rank(sorted_durations, P90),
    )


def hours_from_micros(micros: int) -> float:
    """Takedown hours from whole microseconds, the float compute_figures gets from datetimes.

    timedelta.total_seconds() is the microseconds divided by 10**6 (rounded once), then / HOUR.
    """
    return max(0.0, micros / 1_000_000 / HOUR)


def figures_from_takedowns(tally: Tally, sorted_micros: Sequence[int]) -> Figures:
    """Turn counts and the sorted takedown times (microseconds) of the notices offline by as_of
    into figures; the tally's still-online notices rank after them as infinitely long."""

    def quantile(p: Fraction) -> float | None:
        rank = rank_of(p, tally.notices)
        if rank > len(sorted_micros):  # a still-online notice (or none at all)
            return None
        return round_hours(hours_from_micros(sorted_micros[rank - 1]))

    return _figures(tally, quantile(MEDIAN), quantile(P90))


def _figures(tally: Tally, median_hours: float | None, p90_hours: float | None) -> Figures:
    return Figures(
        notices=tally.notices,
        offline_within_24h_pct=percentage(tally.within_24h, tally.eligible_24h),
        online_over_48h_pct=percentage(tally.over_48h, tally.eligible_48h),
        online_over_72h_pct=percentage(tally.over_72h, tally.eligible_72h),
        median_hours=median_hours,
        p90_hours=p90_hours,
        still_online=tally.still_online,
        reappeared=tally.reappeared,
    )
