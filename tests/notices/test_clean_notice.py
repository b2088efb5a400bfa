"""The fast path of notice validation accepts only what the full validation accepts, and gives
the same row: it may pass a record on to the full validation, never decide otherwise."""

import itertools
from zoneinfo import ZoneInfo

import pytest

from enforcement.hosters.ranges import RangeTable, parse_cidr
from enforcement.notices.parsing import Attributor, clean_notice, validate_notice

RANGES = RangeTable([(parse_cidr("192.0.2.0/24"), 1)])
ATTRIBUTOR = Attributor({"00000001": 1, "00000002": 2}, RANGES)

URLS = [
    "https://files.example.test/a.jpg", "HTTP://Files.Example.test", "http://x.example.test:8080/p",
    "https://x.example.test:/p", "https://user@x.example.test/p", "https://[2001:db8::1]/p",
    "https://x.example.test?q=1", "https://x.example.test#f", "ftp://x.example.test/p",
    "https://", "https:///p", "http//x.example.test", "https://x.exa mple.test/p",
    "https://x.example.test/\tp", "https://ëxample.test/", "  https://x.example.test/  ", "",
    "https://x.example.test\\p", "https://x.example.test:99999/p", "javascript:alert(1)",
]  # fmt: skip
IPS = ["192.0.2.7", " 192.0.2.7 ", "192.0.2.007", "2001:db8::1", "2001:DB8:0:0::1",
       "::ffff:192.0.2.1", "fe80::1%eth0", "192.0.2.300", "198.51.100.1", "", "x"]  # fmt: skip
TIMES = ["2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00.5+01:00",
         "2026-03-01 10:00:00-00:00", "2026-03-01T10:00:00", "20260301T100000Z",
         "2026-W09-7T10:00Z", "2026-03-01", "yesterday", ""]  # fmt: skip


def records():
    """A broad mix of good and bad values, every column varied against a good baseline."""
    base = {"notice_id": "n1", "url": URLS[0], "ip": IPS[0], "hoster": "00000001",
            "notice_sent_at": TIMES[0], "offline_at": "2026-03-01T12:00:00+00:00",
            "reappeared_at": "", "content_hash": "ab" * 32}  # fmt: skip
    variations = {
        "notice_id": ["n1", " n2 ", "", "x" * 200, "x" * 201, 17, None],
        "url": URLS,
        "ip": IPS,
        "hoster": ["00000001", "00000002", "", "99999999", " 00000001 "],
        "notice_sent_at": TIMES,
        "offline_at": [*TIMES, "2026-03-01T09:59:59+00:00", None],
        "reappeared_at": [*TIMES, "2026-03-01T09:00:00+00:00"],
        "content_hash": ["", "ab" * 64, "ab" * 64 + "c"],
    }
    for column, values in variations.items():
        for value in values:
            yield {**base, column: value}
    for url, ip, sent in itertools.product(URLS[:6], IPS[:5], TIMES[:5]):
        yield {**base, "url": url, "ip": ip, "notice_sent_at": sent}
    yield {key: value for key, value in base.items() if key != "reappeared_at"}


@pytest.mark.parametrize("assume_tz", [None, ZoneInfo("Europe/Amsterdam")])
def test_clean_notice_agrees_with_validate_notice(assume_tz):
    fast_paths = 0
    for record in records():
        row, errors = validate_notice(record, ATTRIBUTOR, assume_tz)
        fast = clean_notice(record, ATTRIBUTOR, assume_tz)
        if fast is not None:
            fast_paths += 1
            assert errors == [] and fast == row, record
    assert fast_paths > 100  # the fast path does take the common rows
