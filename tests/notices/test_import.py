import json

import pytest
import sqlalchemy as sa

from enforcement.notices.models import Notice

HEADER = "notice_id,url,ip,hoster,notice_sent_at,offline_at,reappeared_at,content_hash"


def line(notice_id="n1", url="https://files.example.test/a/1.jpg", ip="192.0.2.10", hoster="",
         sent="2026-03-01T10:00:00+00:00", offline="", reappeared="", digest=""):  # fmt: skip
    return ",".join([notice_id, url, ip, hoster, sent, offline, reappeared, digest])


def write_csv(tmp_path, *lines, name="notices.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def run(runner, path, *args):
    return runner.invoke(args=["notices", "import", str(path), *args])


def notices(session) -> dict[str, Notice]:
    session.expire_all()
    return {n.external_id: n for n in session.scalars(sa.select(Notice))}


def test_import_attributes_by_kvk_or_longest_prefix(runner, session, tmp_path, two_hosters):
    wholesale, reseller = two_hosters
    path = write_csv(
        tmp_path,
        line("a", ip="192.0.2.10"),
        line("b", ip="192.0.2.200"),  # inside the reseller's more specific /25
        line("c", ip="", hoster="00000002"),
        line("d", ip="2001:db8::5", offline="2026-03-01T12:30:00+01:00"),
    )
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "4 row(s): 4 created, 0 updated, 0 unchanged, 0 rejected." in result.output
    found = notices(session)
    assert {k: n.hoster_id for k, n in found.items()} == {
        "a": wholesale.id, "b": reseller.id, "c": reseller.id, "d": wholesale.id,
    }  # fmt: skip
    assert found["d"].offline_at.isoformat() == "2026-03-01T11:30:00+00:00"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (line(url=""), "row 2, column url: required"),
        (line(url="ftp://files.example.test/x"), "row 2, column url: must be an http or https"),
        (line(sent="2026-03-01 10:00"), "column notice_sent_at: has no UTC"),
        (line(sent="yesterday"), "column notice_sent_at: is not an ISO 8601"),
        (
            line(sent="0001-01-01T00:00:00+01:00"),
            "column notice_sent_at: lies outside the years 2000 to 2100",
        ),
        (line(offline="2026-03-01T09:00:00+00:00"), "column offline_at: is before notice_sent_at"),
        (line(ip="", hoster="99999999"), "column hoster: unknown hoster: no such KvK number"),
        (line(ip="198.51.100.7"), "column ip: the address is in no registered hoster's range"),
        (line(ip="192.0.2.300"), "column ip: is not an IPv4 or IPv6 address"),
        (line(ip=""), "column hoster: no hoster and no ip"),
        (line(notice_id=""), "column notice_id: required"),
    ],
)
def test_each_error_class_has_a_clear_message_and_imports_nothing(
    runner, session, tmp_path, two_hosters, row, expected
):
    result = run(runner, write_csv(tmp_path, line("ok"), row))
    assert result.exit_code == 1
    assert expected.replace("row 2", "row 3") in result.output or expected in result.output
    assert "nothing was imported" in result.output
    assert notices(session) == {}


def test_errors_never_show_the_url(runner, session, tmp_path, two_hosters):
    secret = "https://files.example.test/secret-path/1.jpg"
    result = run(runner, write_csv(tmp_path, line(url=secret, sent="bad")))
    assert result.exit_code == 1
    assert "secret-path" not in result.output


def test_duplicate_id_within_a_file_and_every_error_listed(runner, session, tmp_path, two_hosters):
    result = run(runner, write_csv(tmp_path, line("a"), line("a"), line("b", ip="x")))
    assert "row 3, column notice_id: appears on an earlier row of this file" in result.output
    assert "row 4, column ip: is not an IPv4 or IPv6 address" in result.output
    assert "2 error(s) in the file; nothing was imported" in result.output


def test_missing_column_is_reported(runner, session, tmp_path, two_hosters):
    path = tmp_path / "short.csv"
    path.write_text("notice_id,ip\nn1,192.0.2.1\n")
    result = run(runner, path)
    assert "row 2, column url: required column is missing" in result.output
    assert "row 2, column notice_sent_at: required column is missing" in result.output


def test_assume_tz_reads_naive_times_in_that_zone(runner, session, tmp_path, two_hosters):
    path = write_csv(tmp_path, line(sent="2026-07-01T10:00:00", offline="2026-07-01T12:00:00"))
    assert run(runner, path, "--assume-tz", "Europe/Amsterdam").exit_code == 0
    notice = notices(session)["n1"]
    assert notice.notice_sent_at.isoformat() == "2026-07-01T08:00:00+00:00"  # CEST is UTC+2
    result = run(runner, path, "--assume-tz", "Mars/Olympus")
    assert result.exit_code == 2 and "unknown time zone" in result.output


def test_skip_invalid_imports_valid_rows_and_writes_the_rejected(runner, session, tmp_path,
                                                                 two_hosters):  # fmt: skip
    path = write_csv(tmp_path, line("a"), line("b", ip="198.51.100.7"), line("c"))
    result = run(runner, path, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "3 row(s): 2 created, 0 updated, 0 unchanged, 1 rejected." in result.output
    assert set(notices(session)) == {"a", "c"}
    rejected = (tmp_path / "notices.rejected.csv").read_text().splitlines()
    assert rejected[0] == HEADER + ",row,errors"
    assert rejected[1].startswith("b,") and "in no registered hoster's range" in rejected[1]


def test_same_file_twice_changes_nothing_and_offline_fills_in(runner, session, tmp_path,
                                                             two_hosters):  # fmt: skip
    first = write_csv(tmp_path, line("a"), line("b"), name="first.csv")
    assert run(runner, first).exit_code == 0
    before = {k: (n.updated_at, n.offline_at) for k, n in notices(session).items()}
    again = run(runner, first)
    assert "2 row(s): 0 created, 0 updated, 2 unchanged, 0 rejected." in again.output
    assert {k: (n.updated_at, n.offline_at) for k, n in notices(session).items()} == before
    later = write_csv(tmp_path, line("a", offline="2026-03-01T15:00:00+00:00"), line("b"),
                      name="later.csv")  # fmt: skip
    result = run(runner, later)
    assert "0 created, 1 updated, 1 unchanged" in result.output
    assert notices(session)["a"].offline_at.hour == 15
    # An empty offline_at in a later file never clears the observation.
    assert "0 updated, 2 unchanged" in run(runner, first).output
    assert notices(session)["a"].offline_at is not None
    assert len(notices(session)) == 2


def test_same_id_from_another_source_is_another_notice(runner, session, tmp_path, two_hosters):
    path = write_csv(tmp_path, line("a"))
    run(runner, path, "--source", "hotline")
    run(runner, path, "--source", "monitor")
    assert session.scalar(sa.select(sa.func.count(Notice.id))) == 2


def test_jsonl_notices(runner, session, tmp_path, two_hosters):
    row = {"notice_id": 17, "url": "http://x.example.test/1", "ip": "192.0.2.9",
           "notice_sent_at": "2026-03-01T10:00:00Z", "offline_at": None}  # fmt: skip
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps(row) + "\n")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert notices(session)["17"].offline_at is None


def test_rejected_rows_keep_every_column_of_the_file(runner, session, tmp_path, two_hosters):
    """Rows read by position come back whole when rejected, also a repeat found a chunk late."""
    path = tmp_path / "semicolons.csv"
    rows = ["url;notice_id;notice_sent_at;hoster;note",
            "https://x.example.test/1;a;2026-03-01T10:00:00Z;00000001;first",
            "https://x.example.test/2;b;2026-03-01T10:00:00Z;99999999;unknown hoster",
            "https://x.example.test/3;a;2026-03-01T10:00:00Z;00000002;again",
            "https://x.example.test/4;c;2026-03-01T10:00:00Z;00000002"]  # fmt: skip
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(runner, path, "--skip-invalid")
    assert "4 row(s): 2 created, 0 updated, 0 unchanged, 2 rejected." in result.output
    rejected = (tmp_path / "semicolons.rejected.csv").read_text().splitlines()
    assert rejected[0] == "url,notice_id,notice_sent_at,hoster,note,row,errors"
    assert rejected[1].startswith("https://x.example.test/2,b,2026-03-01T10:00:00Z,99999999,")
    assert rejected[2] == (
        "https://x.example.test/3,a,2026-03-01T10:00:00Z,00000002,again,4,"
        "notice_id: appears on an earlier row of this file"
    )
    assert {k: n.hoster_id for k, n in notices(session).items()} == {
        "a": two_hosters[0].id, "c": two_hosters[1].id}  # fmt: skip


def test_rejected_csv_escapes_cells_a_spreadsheet_would_run(runner, tmp_path, two_hosters):
    """Issue 15, finding 9: a formula in a rejected row stays text when the file is opened."""
    path = write_csv(tmp_path, line('=HYPERLINK("http://x.example.test")', ip="198.51.100.7"))
    assert run(runner, path, "--skip-invalid").exit_code == 0
    rejected = (tmp_path / "notices.rejected.csv").read_text().splitlines()
    assert rejected[1].startswith("\"'=HYPERLINK(")


def test_an_unwritable_rejected_file_is_a_message_not_a_traceback(runner, tmp_path, two_hosters):
    """Issue 15, finding 9: CLI tracebacks on odd paths."""
    path = write_csv(tmp_path, line("a"), line("b", ip="198.51.100.7"))
    (tmp_path / "notices.rejected.csv").mkdir()  # where the rejected rows would go
    result = run(runner, path, "--skip-invalid")
    assert result.exit_code == 1
    assert "notices.rejected.csv cannot be read or written" in result.output
    assert "Traceback" not in result.output
