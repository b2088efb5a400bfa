import json

import pytest
import sqlalchemy as sa

from enforcement.hosters.models import Hoster, HosterChange

HEADER = "kvk,name,legal_name,country,address,email,abuse_contact,language,ip_ranges"


def csv_row(number: int, **overrides) -> str:
    values = {
        "kvk": f"{number:08d}",
        "name": f"Host {number}",
        "legal_name": f"Host {number} B.V.",
        "country": "NL",
        "address": f'"Demostraat {number}, 1000 AB Voorbeeldstad"',
        "email": f"legal@host{number}.example.test",
        "abuse_contact": f"abuse@host{number}.example.test",
        "language": "nl",
        "ip_ranges": f"192.0.2.{number * 16}/28 2001:db8:{number}::/48",
    }
    values.update(overrides)
    return ",".join(values[c] for c in HEADER.split(","))


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(runner, path, *args):
    return runner.invoke(args=["hosters", "import", str(path), *args])


def hosters(session) -> dict[str, Hoster]:
    session.expire_all()
    return {h.kvk: h for h in session.scalars(sa.select(Hoster))}


def test_csv_import_creates_hosters_keeping_leading_zeros(runner, session, tmp_path):
    path = write(tmp_path, "registry.csv", "\n".join([HEADER, csv_row(1), csv_row(2)]) + "\n")
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged." in result.output
    found = hosters(session)
    assert set(found) == {"00000001", "00000002"}
    assert [r.cidr for r in found["00000001"].ip_ranges] == ["192.0.2.16/28", "2001:db8:1::/48"]
    assert found["00000001"].postal_address == "Demostraat 1, 1000 AB Voorbeeldstad"
    changes = session.scalars(sa.select(HosterChange)).all()
    assert {c.source for c in changes} == {"import registry.csv"}


def test_reimport_of_the_same_file_changes_nothing(runner, session, tmp_path):
    path = write(tmp_path, "registry.csv", "\n".join([HEADER, csv_row(1), csv_row(2)]) + "\n")
    assert run_import(runner, path).exit_code == 0
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 2 unchanged." in result.output
    assert len(hosters(session)) == 2
    assert session.scalar(sa.select(sa.func.count(HosterChange.id))) == 2


def test_reimport_updates_by_kvk_and_records_the_change(runner, session, tmp_path):
    run_import(runner, write(tmp_path, "a.csv", f"{HEADER}\n{csv_row(1)}\n"))
    changed = csv_row(1, legal_name="Host One Holding B.V.", language="en")
    result = run_import(runner, write(tmp_path, "b.csv", f"{HEADER}\n{changed}\n"))
    assert "0 created, 1 updated" in result.output
    hoster = hosters(session)["00000001"]
    assert (hoster.legal_name, hoster.language.value) == ("Host One Holding B.V.", "en")
    latest = session.scalars(sa.select(HosterChange).order_by(HosterChange.id.desc())).first()
    assert latest.changes == {
        "legal_name": ["Host 1 B.V.", "Host One Holding B.V."],
        "language": ["nl", "en"],
    }


def test_any_error_imports_nothing_and_every_error_is_listed_by_row(runner, session, tmp_path):
    rows = [
        HEADER,
        csv_row(1),
        csv_row(2, kvk="1234567", email="not-an-address"),
        csv_row(3, ip_ranges="192.0.2.49/28"),
        csv_row(4, kvk="00000001"),
    ]
    result = run_import(runner, write(tmp_path, "bad.csv", "\n".join(rows) + "\n"))
    assert result.exit_code == 1
    assert "row 3, column kvk: A KvK number is exactly 8 digits (leading zeros lost?)" in (
        result.output
    )
    assert "row 3, column email: not a valid e-mail address" in result.output
    assert "row 4, column ip_ranges: '192.0.2.49/28' has host bits set" in result.output
    assert "row 5, column kvk: KvK 00000001 is also on row 2" in result.output
    assert "4 error(s) in the file; nothing was imported" in result.output
    assert hosters(session) == {}


def test_a_range_claimed_by_two_rows_is_an_error(runner, session, tmp_path):
    rows = [HEADER, csv_row(1), csv_row(2, ip_ranges="192.0.2.16/28")]
    result = run_import(runner, write(tmp_path, "dup.csv", "\n".join(rows) + "\n"))
    assert result.exit_code == 1
    assert "row 3, column ip_ranges: 192.0.2.16/28 is already announced by Host 1" in (
        result.output
    )
    assert hosters(session) == {}


def test_nested_range_imports_with_a_note(runner, session, tmp_path):
    rows = [HEADER, csv_row(1), csv_row(2, ip_ranges="192.0.2.16/30")]
    result = run_import(runner, write(tmp_path, "nested.csv", "\n".join(rows) + "\n"))
    assert result.exit_code == 0, result.output
    assert "row 3: note: 192.0.2.16/30 lies inside 192.0.2.16/28 of Host 1" in result.output


def test_missing_required_column_is_reported_for_the_header(runner, session, tmp_path):
    text = "kvk,name,country\n00000001,Host,NL\n"
    result = run_import(runner, write(tmp_path, "short.csv", text))
    assert result.exit_code == 1
    for column in ("legal_name", "email", "abuse_contact", "language", "ip_ranges"):
        assert f"row 1, column {column}: required column is missing" in result.output
    assert hosters(session) == {}


def test_semicolon_csv_with_bom_and_without_address_column(runner, session, tmp_path):
    header = "kvk;name;legal_name;country;email;abuse_contact;language;ip_ranges"
    row = "00000042;Host;Host B.V.;NL;legal@h.example.test;abuse@h.example.test;en;192.0.2.0/28"
    path = tmp_path / "excel.csv"
    path.write_bytes(f"\ufeff{header}\r\n{row}\r\n".encode())
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert hosters(session)["00000042"].postal_address is None


def test_jsonl_import_and_number_kvk_is_refused(runner, session, tmp_path):
    good = {
        "kvk": "00000007", "name": "Json Host", "legal_name": "Json Host B.V.",
        "country": "BE", "email": "legal@json.example.test",
        "abuse_contact": "abuse@json.example.test", "language": "en",
        "ip_ranges": "203.0.113.0/28",
    }  # fmt: skip
    lines = [json.dumps(good), "", json.dumps({**good, "kvk": 7}), "{broken", "[1, 2]"]
    path = write(tmp_path, "registry.jsonl", "\n".join(lines) + "\n")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "row 3, column kvk: A KvK number is exactly 8 digits (leading zeros lost?)" in (
        result.output
    )
    assert "row 4: not valid JSON" in result.output
    assert "row 5: a row must be a JSON object" in result.output
    assert hosters(session) == {}
    path = write(tmp_path, "good.jsonl", json.dumps(good) + "\n")
    assert run_import(runner, path).exit_code == 0
    assert hosters(session)["00000007"].country == "BE"


def test_dry_run_reports_but_changes_nothing(runner, session, tmp_path):
    path = write(tmp_path, "registry.csv", f"{HEADER}\n{csv_row(1)}\n")
    result = run_import(runner, path, "--dry-run")
    assert result.exit_code == 0
    assert "Dry run: 1 created, 0 updated, 0 unchanged; nothing was changed." in result.output
    assert hosters(session) == {}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("registry.xlsx", b"PK\x03\x04", "cannot tell the format"),
        ("registry.csv", b"\xff\xfe\x00k\x00v", "is not UTF-8 text"),
        ("empty.csv", HEADER.encode() + b"\n", "the file has no rows"),
    ],
)
def test_unreadable_files_get_a_clear_error(runner, session, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_import_help_names_the_columns(runner):
    result = runner.invoke(args=["hosters", "import", "--help"])
    assert result.exit_code == 0
    assert "kvk, name, legal_name, country, address (optional)" in result.output


def test_a_malformed_csv_record_is_an_error_not_a_crash(runner, session, tmp_path):
    huge = "x" * (200 * 1024)  # over the csv module's field size limit
    path = write(tmp_path, "huge.csv", f"{HEADER}\n{csv_row(1)}\n{csv_row(2, name=huge)}\n")
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "row 3: unreadable CSV (field larger than field limit" in result.output
    assert hosters(session) == {}
