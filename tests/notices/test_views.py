"""The upload page: the CLI's import through a web form, all or nothing, errors by row."""

import html
import io

import pytest
import sqlalchemy as sa

from enforcement.notices.models import Notice, NoticeCheck
from tests.conftest import csrf_token_from

HEADER = "notice_id,url,ip,hoster,notice_sent_at,offline_at,reappeared_at,content_hash"
SECRET_URL = "https://files.example.test/secret-path/1.jpg"


def line(notice_id="n1", url="https://files.example.test/a/1.jpg", ip="192.0.2.10", hoster="",
         sent="2026-03-01T10:00:00+00:00", offline="", reappeared="", digest=""):  # fmt: skip
    return ",".join([notice_id, url, ip, hoster, sent, offline, reappeared, digest])


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def upload(client, content: bytes, name: str = "notices.csv", **fields):
    """Open the upload page for its CSRF token, then post the file with the fields."""
    token = csrf_token_from(client.get("/notices/upload").text)
    data = {"csrf_token": token, "source": "hotline", "file_format": "auto", **fields,
            "file": (io.BytesIO(content), name)}  # fmt: skip
    return client.post("/notices/upload", data=data, content_type="multipart/form-data")


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def stored(session) -> dict[str, Notice]:
    session.expire_all()
    return {n.external_id: n for n in session.scalars(sa.select(Notice))}


def test_valid_csv_creates_notices_and_shows_the_summary(client, signed_in, session, two_hosters):
    wholesale, reseller = two_hosters
    signed_in("officer")
    content = csv_bytes(line("a"), line("b", ip="192.0.2.200"), line("c", ip="", hoster="00000001"))
    response = upload(client, content)
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Imported: 3 row(s): 3 created, 0 updated, 0 unchanged, 0 rejected." in page
    found = stored(session)
    assert {k: n.hoster_id for k, n in found.items()} == {
        "a": wholesale.id, "b": reseller.id, "c": wholesale.id,
    }  # fmt: skip
    again = upload(client, content)
    assert "3 row(s): 0 created, 0 updated, 3 unchanged" in text_of(client.get(again.location))


def test_jsonl_with_assumed_zone(client, signed_in, session, two_hosters):
    signed_in("supervisor")
    content = b'{"notice_id": "j1", "url": "https://files.example.test/j", "ip": "192.0.2.9",' \
              b' "notice_sent_at": "2026-03-01 10:00"}\n'  # fmt: skip
    response = upload(client, content, name="batch.jsonl", assume_tz="Europe/Amsterdam")
    assert response.status_code == 302
    assert stored(session)["j1"].notice_sent_at.isoformat() == "2026-03-01T09:00:00+00:00"


def test_errors_import_nothing_and_are_listed_by_row_and_column(
    client, signed_in, session, two_hosters
):
    signed_in("officer")
    content = csv_bytes(
        line("ok"),
        line("bad-time", url=SECRET_URL, sent="yesterday"),
        line("bad-ip", ip="192.0.2.300"),
    )
    response = upload(client, content)
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was imported." in page
    assert "<td>3</td><td><code>notice_sent_at</code></td><td>is not an ISO 8601" in page
    assert "<td>4</td><td><code>ip</code></td><td>is not an IPv4 or IPv6" in page
    assert "secret-path" not in page
    assert stored(session) == {}


def test_error_list_is_capped(client, signed_in, session, two_hosters, monkeypatch):
    monkeypatch.setattr("enforcement.notices.views.ERRORS_SHOWN", 2)
    signed_in("officer")
    response = upload(client, csv_bytes(*(line(f"n{i}", sent="bad") for i in range(5))))
    page = text_of(response)
    assert page.count("is not an ISO 8601 timestamp") == 2
    assert "… and 3 more." in page


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rejected(
    client, signed_in, session, two_hosters
):
    signed_in("officer")
    content = csv_bytes(line("good"), line("bad", ip="", hoster="99999999"), line("also-good"))
    response = upload(client, content, skip_invalid="y")
    assert response.status_code == 200
    page = text_of(response)
    assert "Imported: 3 row(s): 2 created, 0 updated, 0 unchanged, 1 rejected." in page
    assert "<td>3</td><td><code>hoster</code></td><td>unknown hoster: no such KvK number" in page
    assert set(stored(session)) == {"good", "also-good"}


def test_check_log_updates_offline_times(client, signed_in, session, two_hosters):
    signed_in("officer")
    assert upload(client, csv_bytes(line("n1"))).status_code == 302
    checks = "notice_id,checked_at,online\n" + "".join(
        f"n1,2026-03-01T{hour}:00:00+00:00,false\n" for hour in (11, 12, 13)
    )
    response = upload(client, checks.encode(), name="checks.csv", checks="y")
    assert response.status_code == 302
    assert stored(session)["n1"].offline_at.isoformat() == "2026-03-01T11:00:00+00:00"
    assert session.scalar(sa.select(sa.func.count(NoticeCheck.id))) == 3


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("notice_id,url\nn1,https://x.example.test/é\n".encode("latin-1"), "a.csv", "not UTF-8"),
        (b"", "empty.csv", "The file has no rows to import."),
        (HEADER.encode() + b"\n", "header.csv", "The file has no rows to import."),
        (
            b"notice_id,url\nn1," + b"x" * 200_000 + b"\n",
            "long.csv",
            "unreadable CSV (field larger",
        ),
    ],
    ids=["latin-1", "empty", "header-only", "huge-field"],
)
def test_unreadable_file_gets_a_clear_error_and_changes_nothing(
    client, signed_in, session, two_hosters, content, name, message
):
    signed_in("officer")
    response = upload(client, content, name=name)
    assert response.status_code == 422
    assert message in text_of(response)
    assert stored(session) == {}


@pytest.mark.parametrize(
    ("fields", "name", "message"),
    [
        ({"assume_tz": "Mars/Olympus"}, "a.csv", "Unknown time zone"),
        ({"assume_tz": "../../etc/passwd"}, "a.csv", "Unknown time zone"),
        ({}, "notices.xlsx", "The file name does not tell; choose CSV or JSON Lines."),
        ({"source": ""}, "a.csv", "This field is required."),
    ],
)
def test_invalid_form_fields_are_explained(
    client, signed_in, session, two_hosters, fields, name, message
):
    signed_in("officer")
    response = upload(client, csv_bytes(line()), name=name, **fields)
    assert response.status_code == 200
    assert message in text_of(response)
    assert stored(session) == {}


def test_missing_file_is_explained(client, signed_in):
    signed_in("officer")
    token = csrf_token_from(client.get("/notices/upload").text)
    response = client.post("/notices/upload", data={"csrf_token": token, "source": "hotline"})
    assert "Choose a file to upload." in text_of(response)


def test_legal_user_may_not_upload(client, signed_in, session, two_hosters):
    signed_in("legal")
    assert client.get("/notices/upload").status_code == 403
    response = client.post(
        "/notices/upload", data={"file": (io.BytesIO(csv_bytes(line())), "a.csv")}
    )
    assert response.status_code == 403
    assert stored(session) == {}


def test_post_without_csrf_token_is_refused_and_imports_nothing(
    client, signed_in, session, two_hosters
):
    signed_in("officer")
    data = {"source": "hotline", "file": (io.BytesIO(csv_bytes(line())), "a.csv")}
    response = client.post("/notices/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "not sent from this site" in text_of(response)
    assert stored(session) == {}


@pytest.mark.parametrize("app_config", [{"NOTICE_UPLOAD_MAX_BYTES": 2000}])
def test_oversized_upload_is_refused_before_it_is_read(client, signed_in, session, two_hosters):
    signed_in("officer")
    response = upload(client, csv_bytes(*(line(f"n{i}") for i in range(40))))
    assert response.status_code == 413
    assert "The file is larger than" in text_of(response)
    assert stored(session) == {}
