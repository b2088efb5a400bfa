"""The bulk path of the notice import: chunks merged one after another (in the background where
the database allows), repeats found across chunks, re-imports counted, times stored exactly."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from enforcement.core.errors import ImportErrors
from enforcement.notices import bulk, importing
from enforcement.notices.bulk import sqlite_timestamp
from enforcement.notices.importing import get_or_create_source, import_notices
from enforcement.notices.models import Notice


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Three rows a chunk, so a few rows exercise several merges; on SQLite two of them are
    staged by one statement and the third by another."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 3)
    monkeypatch.setattr(bulk, "ROWS_PER_INSERT", 2)


def record(notice_id: str, offline: str = "", ip: str = "192.0.2.10", **extra) -> dict:
    return {"notice_id": notice_id, "url": f"https://files.example.test/{notice_id}.jpg",
            "ip": ip, "hoster": "", "notice_sent_at": "2026-03-01T10:00:00+00:00",
            "offline_at": offline, "reappeared_at": "", "content_hash": "", **extra}  # fmt: skip


def run(session, records, **options):
    source = get_or_create_source(session, "hotline")
    numbered = list(enumerate(records, start=2))
    report = import_notices(session, numbered, source=source, **options)
    session.commit()
    return report


def stored(session) -> dict[str, Notice]:
    session.expire_all()
    return {n.external_id: n for n in session.scalars(sa.select(Notice))}


def test_repeats_are_found_across_chunks_and_the_first_row_wins(session, two_hosters):
    rejected = []
    records = [record("a"), record("b"), record("c"), record("d"), record("a", ip="192.0.2.200"),
               record("e"), record("e"), record("c")]  # fmt: skip

    def on_reject(number, rec, errors):
        rejected.append((number, rec["notice_id"]))

    report = run(session, records, skip_invalid=True, on_reject=on_reject)
    assert report.summary() == "8 row(s): 5 created, 0 updated, 0 unchanged, 3 rejected"
    assert rejected == [(6, "a"), (8, "e"), (9, "c")]
    assert [error[0] for error in report.errors] == [6, 8, 9]
    found = stored(session)
    assert sorted(found) == ["a", "b", "c", "d", "e"]
    assert found["a"].hoster_id == two_hosters[0].id  # row 2's address, not row 6's


def test_an_error_in_a_later_chunk_lists_everything_and_the_caller_rolls_back(session, two_hosters):
    records = [record(f"n{i}") for i in range(7)] + [record("bad", ip="x"), record("n1")]
    with pytest.raises(ImportErrors) as raised:
        run(session, records)
    session.rollback()
    assert [(row, column) for row, column, _ in raised.value.errors] == [
        (9, "ip"), (10, "notice_id")]  # fmt: skip
    assert stored(session) == {}


def test_reimport_over_several_chunks_counts_created_updated_unchanged(session, two_hosters):
    first = [record(f"n{i}") for i in range(7)]
    assert run(session, first).created == 7
    before = {key: n.updated_at for key, n in stored(session).items()}
    later = [record("n0", offline="2026-03-01T11:00:00+00:00"), record("n1"), record("x1"),
             record("n5", offline="2026-03-01T12:00:00Z"), record("n6"), record("x2")]  # fmt: skip
    report = run(session, later, now=datetime(2026, 3, 2, tzinfo=UTC))
    assert report.summary() == "6 row(s): 2 created, 2 updated, 2 unchanged, 0 rejected"
    found = stored(session)
    assert found["n0"].offline_at == datetime(2026, 3, 1, 11, tzinfo=UTC)
    assert found["n1"].updated_at == before["n1"]  # unchanged rows keep their stamp
    assert found["n5"].updated_at == datetime(2026, 3, 2, tzinfo=UTC)
    # An empty offline_at never clears a recorded one.
    again = run(session, [record("n0"), record("n5")])
    assert again.summary() == "2 row(s): 0 created, 0 updated, 2 unchanged, 0 rejected"
    assert stored(session)["n0"].offline_at is not None


def test_times_are_stored_exactly_as_the_orm_stores_them(session, two_hosters):
    records = [
        record("local", offline="2026-07-01T12:30:00.123456+02:00"),
        record("micro", notice_sent_at="2026-03-01T10:00:00.000001Z",
               offline="2026-03-01T10:00:00.999999+00:00"),
        record("old", notice_sent_at="2000-01-01T00:00:00.5+00:00",
               offline="2000-01-01T00:00:01.25+00:00"),
    ]  # fmt: skip
    run(session, records)
    found = stored(session)
    assert found["local"].offline_at == datetime(2026, 7, 1, 10, 30, 0, 123456, tzinfo=UTC)
    assert found["micro"].notice_sent_at == datetime(2026, 3, 1, 10, 0, 0, 1, tzinfo=UTC)
    assert found["micro"].offline_at == datetime(2026, 3, 1, 10, 0, 0, 999999, tzinfo=UTC)
    assert found["old"].notice_sent_at == datetime(2000, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)
    assert found["old"].offline_at == datetime(2000, 1, 1, 0, 0, 1, 250000, tzinfo=UTC)
    if session.get_bind().dialect.name == "sqlite":
        raw = session.execute(
            sa.text("SELECT offline_at FROM notices WHERE external_id = 'old'")
        ).scalar_one()
        assert raw == sqlite_timestamp(found["old"].offline_at) == "2000-01-01 00:00:01.250000"
