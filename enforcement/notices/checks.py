"""Derive offline and reappearance moments from the monitor's raw probes (pure computation).

The hotline probes a URL about every hour. Content counts as offline only after a run of
failed checks (3 by default) or at once when the content hash changed; ``offline_at`` is the
first check of the final unbroken offline streak. Content online again after a counted offline
streak is a relapse: ``reappeared_at`` is the first such check.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

DEFAULT_FAILURES_FOR_OFFLINE = 3


@dataclass(frozen=True)
class Check:
    checked_at: datetime
    online: bool
    content_hash: str | None = None


@dataclass(frozen=True)
class Derived:
    offline_at: datetime | None
    reappeared_at: datetime | None


@dataclass(frozen=True)
class Streak:
    """A counted offline streak: from its first failed check to the first check that found the
    original content online again (``end`` is None while it lasts)."""

    start: datetime
    end: datetime | None


def offline_streaks(
    checks: Iterable[Check],
    *,
    original_hash: str | None = None,
    failures_for_offline: int = DEFAULT_FAILURES_FOR_OFFLINE,
) -> list[Streak]:
    """Return every counted offline streak of one notice, in time order, from its checks.

    ``original_hash`` is the hash of the reported content; without it the first hash seen on
    an online check is taken as the original.
    """
    baseline = original_hash
    streaks: list[Streak] = []
    streak_start: datetime | None = None
    streak_length = 0
    streak_counts = False
    for check in sorted(checks, key=lambda c: c.checked_at):
        if check.online and baseline is None and check.content_hash:
            baseline = check.content_hash
        replaced = bool(check.online and check.content_hash and check.content_hash != baseline)
        if not check.online or replaced:
            if streak_length == 0:
                streak_start = check.checked_at
            streak_length += 1
            streak_counts = streak_counts or replaced or streak_length >= failures_for_offline
            continue
        # Online with the original content (or no hash to compare).
        if streak_counts:
            streaks.append(Streak(streak_start, check.checked_at))
        streak_start, streak_length, streak_counts = None, 0, False
    if streak_counts:
        streaks.append(Streak(streak_start, None))
    return streaks


def derive_offline(
    checks: Iterable[Check],
    *,
    original_hash: str | None = None,
    failures_for_offline: int = DEFAULT_FAILURES_FOR_OFFLINE,
) -> Derived:
    """Return offline_at and reappeared_at for one notice from its checks, in any order.

    ``offline_at`` is the start of a streak that lasts to the last check; ``reappeared_at`` the
    end of the first streak, the first time the content was found online again.
    """
    streaks = offline_streaks(
        checks, original_hash=original_hash, failures_for_offline=failures_for_offline
    )
    if not streaks:
        return Derived(offline_at=None, reappeared_at=None)
    last = streaks[-1]
    return Derived(
        offline_at=last.start if last.end is None else None, reappeared_at=streaks[0].end
    )
