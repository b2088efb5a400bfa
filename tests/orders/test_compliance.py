"""The status rules of a removal order's items, at every boundary (pure, no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from enforcement.deadlines import hours_deadline
from enforcement.notices.checks import Check
from enforcement.orders.compliance import (
    Counts,
    ItemStatus,
    count_statuses,
    inaccessibility,
    item_status,
    last_online_check,
    total_counts,
)

RECEIVED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
DUE = RECEIVED + timedelta(hours=12)
H = timedelta(hours=1)
COMPLIED, VIOLATED, PENDING = ItemStatus.COMPLIED, ItemStatus.VIOLATED, ItemStatus.PENDING


@pytest.mark.parametrize(
    ("inaccessible_at", "as_of", "expected"),
    [
        (DUE - H, DUE + H, COMPLIED),  # made inaccessible within the term
        (DUE, DUE, COMPLIED),  # exactly at the due moment counts as complied
        (DUE, DUE + H, COMPLIED),
        (DUE + timedelta(seconds=1), DUE + H, VIOLATED),  # one second late
        (None, DUE, VIOLATED),  # still online when the term ends: violated at due_at itself
        (None, DUE - timedelta(seconds=1), PENDING),  # one second before the end
        (None, DUE + 48 * H, VIOLATED),  # never found offline
        (RECEIVED - 5 * H, RECEIVED + H, COMPLIED),  # offline before the order was received
        (DUE - H, DUE - 2 * H, PENDING),  # as of a moment before it went offline
        (DUE + H, DUE - 2 * H, PENDING),  # late, but the term has not ended as of then
        (None, RECEIVED - H, PENDING),  # as of a moment before receipt
    ],
)
def test_item_status_at_the_boundaries(inaccessible_at, as_of, expected):
    assert item_status(inaccessible_at, DUE, as_of) == expected


def test_receipt_not_recorded_leaves_an_online_item_pending_however_late():
    far = RECEIVED + 1000 * H
    assert item_status(None, None, far) == PENDING
    assert item_status(RECEIVED, None, far) == COMPLIED


def test_the_term_is_exact_elapsed_hours_across_the_spring_dst_switch():
    # Amsterdam moves its clocks from 02:00 to 03:00 on 29 March 2026 (01:00 UTC).
    received = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 local, winter time
    due = hours_deadline(received, 12)
    assert due == datetime(2026, 3, 29, 11, 30, tzinfo=UTC)  # 13:30 local: 12 real hours
    assert due - received == timedelta(hours=12)
    assert item_status(due, due, due) == COMPLIED
    assert item_status(None, due, due - timedelta(seconds=1)) == PENDING


def test_the_term_is_exact_across_the_autumn_switch_too():
    received = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # 01:00 local, summer time
    assert hours_deadline(received, 12) - received == timedelta(hours=12)


def hourly(start: datetime, pattern: str) -> list[Check]:
    """Checks an hour apart: '+' online, '-' offline."""
    return [Check(start + n * H, mark == "+") for n, mark in enumerate(pattern)]


def found(checks, since=RECEIVED, offline_at=None, reappeared_at=None):
    return inaccessibility(checks=checks, offline_at=offline_at, reappeared_at=reappeared_at,
                           since=since, original_hash=None, failures_for_offline=3)  # fmt: skip


def test_the_check_log_gives_the_first_failed_check_of_the_streak():
    checks = hourly(RECEIVED - 2 * H, "+++++---")  # offline from receipt + 3 h
    assert found(checks).inaccessible_at == RECEIVED + 3 * H


def test_compliance_survives_a_later_reappearance_which_is_shown_beside_it():
    # Offline 2 h after receipt, online again 20 h later, offline again after that.
    checks = hourly(RECEIVED, "++---" + "-" * 15 + "+++" + "----")
    result = found(checks)
    assert result.inaccessible_at == RECEIVED + 2 * H
    assert result.reappeared_at == RECEIVED + 20 * H
    assert item_status(result.inaccessible_at, DUE, DUE + 30 * H) == COMPLIED


def test_a_streak_that_ended_before_receipt_does_not_count():
    # Offline long before the order, back online before it arrived, offline only late.
    checks = hourly(RECEIVED - 10 * H, "----++++++" + "+" * 14 + "---")
    result = found(checks)
    assert result.inaccessible_at == RECEIVED + 14 * H
    assert item_status(result.inaccessible_at, DUE, DUE + 10 * H) == VIOLATED


def test_still_offline_at_receipt_counts_as_complied():
    checks = hourly(RECEIVED - 5 * H, "+----" + "-" * 10)
    result = found(checks)
    assert result.inaccessible_at == RECEIVED - 4 * H
    assert item_status(result.inaccessible_at, DUE, DUE) == COMPLIED


def test_without_checks_the_notices_own_offline_at_is_used():
    assert found([], offline_at=RECEIVED + H).inaccessible_at == RECEIVED + H
    assert found([]).inaccessible_at is None
    later = found([], offline_at=RECEIVED + H, reappeared_at=RECEIVED + 30 * H)
    assert later.reappeared_at == RECEIVED + 30 * H


def test_the_last_online_check_is_the_evidence_up_to_the_due_moment():
    checks = hourly(RECEIVED, "+" * 14)
    assert last_online_check(checks, DUE) == DUE
    assert last_online_check(checks, RECEIVED - H) is None
    replaced = [Check(RECEIVED, True, "aaa"), Check(RECEIVED + H, True, "bbb")]
    assert last_online_check(replaced, DUE, original_hash="aaa") == RECEIVED


def test_counts():
    statuses = [COMPLIED, VIOLATED, VIOLATED, PENDING]
    assert count_statuses(statuses) == Counts(complied=1, violated=2, pending=1)
    assert total_counts([Counts(1, 2, 3), Counts(1, 0, 0)]) == Counts(2, 2, 3)
