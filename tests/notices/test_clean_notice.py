"""The fast path of notice validation accepts only what the full validation accepts, and stages
the same row: it may pass a record on to the full validation, never decide otherwise. A CSV
file's rows, read by position, give the fast path the same values as their dicts."""

import io
import itertools
import operator
from zoneinfo import ZoneInfo

import pytest

from enforcement.core.tabular import CsvRecords
from enforcement.hosters.ranges import RangeTable, parse_cidr
from enforcement.notices.parsing import (
    NOTICE_COLUMNS,
    Attributor,
    notice_cleaner,
    notice_values,
    staged_notice,
    validate_notice,
)

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
         "2026-W09-7T10:00Z", "2026-03-01", "yesterday", "",
         "2026-03-01T10:00:00.000001+00:00", "2026-03-01T10:00:00,5+00:00",
         "2026-03-01T12:00:00+02:00", "1969-12-31T23:59:59.5+00:00",
         "2026-02-30T10:00:00+00:00", " 2026-03-01T10:00:00Z "]  # fmt: skip


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
        "offline_at": [*TIMES, "2026-03-01T09:59:59+00:00", "2026-03-01T10:59:59+01:00", None],
        "reappeared_at": [*TIMES, "2026-03-01T09:00:00+00:00", "2026-03-01T10:00:00", 3],
        "content_hash": ["", "ab" * 64, "ab" * 64 + "c"],
    }
    for column, values in variations.items():
        for value in values:
            yield {**base, column: value}
    for url, ip, sent in itertools.product(URLS[:6], IPS[:5], TIMES[:5]):
        yield {**base, "url": url, "ip": ip, "notice_sent_at": sent}
    yield {key: value for key, value in base.items() if key != "reappeared_at"}


@pytest.mark.parametrize("micros", [False, True])
@pytest.mark.parametrize("assume_tz", [None, ZoneInfo("Europe/Amsterdam")])
def test_fast_path_agrees_with_validate_notice(assume_tz, micros):
    clean = notice_cleaner(ATTRIBUTOR, assume_tz, micros=micros)
    fast_paths = 0
    for number, record in enumerate(records(), start=2):
        row, errors = validate_notice(record, ATTRIBUTOR, assume_tz)
        fast = clean(number, notice_values(record))
        if fast is not None:
            fast_paths += 1
            assert errors == [] and fast == staged_notice(number, row, micros=micros), record
    assert fast_paths > 100  # the fast path does take the common rows


def test_staged_times_are_exact_microseconds_since_1970():
    record = {"notice_id": "n1", "url": URLS[0], "hoster": "00000001",
              "notice_sent_at": "2000-01-01T00:00:00.000001+00:00",
              "offline_at": "2026-03-01T11:00:00.000001+01:00"}  # fmt: skip
    staged = notice_cleaner(ATTRIBUTOR, None, micros=True)(2, notice_values(record))
    assert staged[5:8] == (946_684_800_000_001, 1_772_359_200_000_001, None)


def test_csv_rows_give_the_fast_path_what_their_dicts_give():
    columns = [*reversed(NOTICE_COLUMNS), "extra"]
    lines = [";".join(columns)]
    for record in itertools.islice(records(), 150):
        values = ["" if record.get(c) is None else str(record.get(c, "")) for c in columns]
        lines.append(";".join(f'"{value}"' if ";" in value else value for value in values))
    text = "\n".join([*lines, "", ";;", "n9;x"]) + "\n"
    as_dicts = list(CsvRecords(io.StringIO(text, newline="")))
    reader = CsvRecords(io.StringIO(text, newline=""))
    as_rows = list(reader.rows())
    assert [number for number, _ in as_rows] == [number for number, _ in as_dicts]
    assert len(as_rows) == 151  # the blank rows are skipped, the short one is padded
    assert as_rows[-1] == (154, ("n9", "x", *[""] * 7))
    position = operator.itemgetter(*(reader.columns.index(c) for c in NOTICE_COLUMNS))
    clean = notice_cleaner(ATTRIBUTOR, None, micros=True)
    for (number, values), (_, record) in zip(as_rows, as_dicts, strict=True):
        assert reader.record(values) == record
        assert position(values) == tuple(notice_values(record))
        assert clean(number, position(values)) == clean(number, notice_values(record))
