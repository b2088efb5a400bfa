"""Bad input to the API is a 400 or a rejected item that names the field, never a 500, and never
repeats the value (issue 15, findings 4 and 5)."""

import io

import pytest
import sqlalchemy as sa
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from enforcement.notices.api import MAX_BODY_BYTES
from enforcement.notices.models import Notice
from tests.notices.test_api import item, post, token_for


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"notice_id": "a\x00b"}, "notice_id", "contains a control character"),
        ({"url": "https://files.example.test/\x00.jpg"}, "url", "contains a control character"),
        (
            {"url": "https://files.example.test/\u202egpj.exe"},
            "url",
            "contains a control character",
        ),
        ({"url": "https://files.example.test/" + "a" * 300_000}, "url", "longer than 2048"),
        ({"ip": "fe80::1%" + "eth0" * 50}, "ip", "zone id"),
        ({"ip": "fe80::1%\x00"}, "ip", "zone id"),
        ({"content_hash": "ab\x00"}, "content_hash", "contains a control character"),
        ({"notice_sent_at": "0001-01-01T00:00:00Z"}, "notice_sent_at", "outside the years"),
        ({"notice_sent_at": "9999-12-31T23:59:59Z"}, "notice_sent_at", "outside the years"),
        ({"offline_at": "9999-12-31T23:59:59Z"}, "offline_at", "outside the years"),
    ],
)
def test_a_bad_item_is_rejected_alone_and_named(client, session, two_hosters, overrides, column,
                                                reason):  # fmt: skip
    token = token_for(session)
    bad = {**item("bad"), **overrides}
    response = post(client, token, {"notices": [item("good"), bad]})
    assert response.status_code == 200
    data = response.get_json()
    assert (data["created"], data["rejected"]) == (1, 1)
    errors = data["results"][1]["errors"]
    assert [e["column"] for e in errors] == [column]
    assert reason in errors[0]["reason"]
    for value in overrides.values():
        assert value not in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Notice.id))) == 1


def test_deeply_nested_json_is_a_400(client, session):
    token = token_for(session)
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/notices", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code == 400
    assert "nests too deeply" in response.get_json()["message"]


def test_a_chunked_body_counts_against_the_limit(client, session):
    token = token_for(session)
    body = b'{"notices": ["' + b"x" * (MAX_BODY_BYTES + 10) + b'"]}'
    environ = EnvironBuilder(
        path="/api/v1/notices",
        method="POST",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Transfer-Encoding": "chunked"},
    ).get_environ()
    del environ["CONTENT_LENGTH"]  # as a server passes a chunked body on
    environ["wsgi.input_terminated"] = True
    response = client.open(Request(environ))
    assert response.status_code == 413, response.get_json()
    assert response.is_json
