"""Whether each item of a removal order was complied with, violated or is pending (pure).

For an item, as of a moment ``as_of``, with ``inaccessible_at`` the moment the monitor first
found the URL inaccessible (after the order's content was last seen online before receipt):

- complied: inaccessible_at is known, inaccessible_at <= due_at and inaccessible_at <= as_of
  (an item already inaccessible before the order was received counts as complied);
- violated: due_at <= as_of and the item was not inaccessible by due_at; exactly at due_at is
  complied;
- pending: due_at > as_of (or not yet known: the receipt is not recorded) and not inaccessible.

A reappearance after compliance is reported beside the item, never counted automatically.
No database and no Flask here: the queries load the facts, this decides.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from enforcement.notices.checks import Check, Streak, offline_streaks


class ItemStatus(StrEnum):
    COMPLIED = "complied"
    VIOLATED = "violated"
    PENDING = "pending"


@dataclass(frozen=True)
class Inaccessibility:
    """When an item's content was made inaccessible, and when (if ever) it came back after."""

    inaccessible_at: datetime | None
    reappeared_at: datetime | None


def item_status(
    inaccessible_at: datetime | None, due_at: datetime | None, as_of: datetime
) -> ItemStatus:
    """Return an item's status as of a moment (see the module's rules)."""
    made_inaccessible = inaccessible_at is not None and inaccessible_at <= as_of
    if made_inaccessible and (due_at is None or inaccessible_at <= due_at):
        return ItemStatus.COMPLIED
    if due_at is not None and due_at <= as_of:
        return ItemStatus.VIOLATED
    return ItemStatus.PENDING


def inaccessibility_from_streaks(streaks: Sequence[Streak], since: datetime) -> Inaccessibility:
    """Return the first counted offline streak still lasting at ``since`` or starting after it.

    ``since`` is the moment the order took hold (its receipt, or its issue while receipt is
    unknown): a streak that ended before it concerned content that was back online when the
    order arrived, so it does not count as acting on the order.
    """
    for streak in streaks:
        if streak.end is None or streak.end > since:
            return Inaccessibility(streak.start, streak.end)
    return Inaccessibility(None, None)


def inaccessibility(
    *,
    checks: Iterable[Check],
    offline_at: datetime | None,
    reappeared_at: datetime | None,
    since: datetime,
    original_hash: str | None,
    failures_for_offline: int,
) -> Inaccessibility:
    """Return an item's inaccessibility from the monitor's check log, or from the notice's own
    offline_at and reappeared_at when no check of it was imported (as the figures use them)."""
    checks = list(checks)
    if not checks:
        if offline_at is None:
            return Inaccessibility(None, None)
        later = reappeared_at if reappeared_at is not None and reappeared_at > offline_at else None
        return Inaccessibility(offline_at, later)
    streaks = offline_streaks(
        checks, original_hash=original_hash, failures_for_offline=failures_for_offline
    )
    return inaccessibility_from_streaks(streaks, since)


def last_online_check(
    checks: Iterable[Check], until: datetime, original_hash: str | None = None
) -> datetime | None:
    """Return the last check at or before ``until`` that found the reported content online."""
    moments = [
        check.checked_at
        for check in checks
        if check.online
        and check.checked_at <= until
        and (original_hash is None or check.content_hash in (None, original_hash))
    ]
    return max(moments, default=None)


@dataclass(frozen=True)
class Counts:
    complied: int = 0
    violated: int = 0
    pending: int = 0


def count_statuses(statuses: Iterable[ItemStatus]) -> Counts:
    """Return how many items have each status."""
    statuses = list(statuses)
    return Counts(
        complied=statuses.count(ItemStatus.COMPLIED),
        violated=statuses.count(ItemStatus.VIOLATED),
        pending=statuses.count(ItemStatus.PENDING),
    )


def total_counts(counts: Iterable[Counts]) -> Counts:
    """Return the sum of several orders' counts."""
    counts = list(counts)
    return Counts(
        complied=sum(c.complied for c in counts),
        violated=sum(c.violated for c in counts),
        pending=sum(c.pending for c in counts),
    )
