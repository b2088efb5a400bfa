from datetime import UTC, datetime, timedelta

import pytest

from enforcement.notices.checks import Check, derive_offline

START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


def probes(pattern: str, hashes: str | None = None) -> list[Check]:
    """Hourly checks from a pattern: '+' online, '-' offline; hashes per check ('.' = none)."""
    checks = []
    for hour, mark in enumerate(pattern):
        digest = None if hashes is None or hashes[hour] == "." else hashes[hour]
        checks.append(Check(START + timedelta(hours=hour), mark == "+", digest))
    return checks


def at(hour: int) -> datetime:
    return START + timedelta(hours=hour)


@pytest.mark.parametrize(
    ("pattern", "offline_hour", "reappeared_hour"),
    [
        ("++++", None, None),  # never offline
        ("++---", 2, None),  # three failures in a row: offline from the first
        ("++--", None, None),  # two failures are not enough yet
        ("+-+-+--", None, None),  # flapping never reaches three in a row
        ("+--+---", 4, None),  # only the final unbroken streak counts
        ("+---+", None, 4),  # offline, then back online: a relapse, online now
        ("+---+---", 5, 4),  # relapse, then taken down again
        ("+---++---+", None, 4),  # the first reappearance is kept
        ("---", 0, None),  # offline from the first check
    ],
)
def test_three_failure_rule_flapping_and_reappearance(pattern, offline_hour, reappeared_hour):
    derived = derive_offline(probes(pattern))
    assert derived.offline_at == (at(offline_hour) if offline_hour is not None else None)
    assert derived.reappeared_at == (at(reappeared_hour) if reappeared_hour is not None else None)


def test_a_changed_hash_counts_as_offline_at_once():
    derived = derive_offline(probes("+++", "aab"))
    assert derived.offline_at == at(2)


def test_the_reported_hash_is_the_original():
    derived = derive_offline(probes("++", "bb"), original_hash="a")
    assert derived.offline_at == at(0)


def test_original_content_back_after_a_replacement_is_a_relapse():
    derived = derive_offline(probes("+++", "aba"))
    assert derived.offline_at is None
    assert derived.reappeared_at == at(2)


def test_failure_threshold_is_configurable():
    assert derive_offline(probes("+--"), failures_for_offline=2).offline_at == at(1)
    assert derive_offline(probes("+---"), failures_for_offline=4).offline_at is None


def test_order_of_checks_does_not_matter():
    checks = probes("++---")
    assert derive_offline(reversed(checks)) == derive_offline(checks)


def test_no_checks_means_no_observation():
    derived = derive_offline([])
    assert (derived.offline_at, derived.reappeared_at) == (None, None)
