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


def derive_offline(
    checks: Iterable[Check],
    *,
    original_hash: str | None = None,
    failures_for_offline: int = DEFAULT_FAILURES_FOR_OFFLINE,
) -> Derived:
    """Return offline_at and reappeared_at for one notice from its checks, in any order.

    ``original_hash`` is the hash of the reported content; without it the first hash seen on
    an online check is taken as the original.
    """
    baseline = original_hash
    streak_start: datetime | None = None
    streak_length = 0
    streak_counts = False
    reappeared_at = None
    was_offline = False
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
            was_offline = True
        if was_offline and reappeared_at is None:
            reappeared_at = check.checked_at
        streak_start, streak_length, streak_counts = None, 0, False
    offline_at = streak_start if streak_counts else None
    return Derived(offline_at=offline_at, reappeared_at=reappeared_at)
