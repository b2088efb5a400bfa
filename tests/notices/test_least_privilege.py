"""An upload cannot write into the API's source, and a changed notice keeps its earlier values
(issue 15, finding 6)."""

import sqlalchemy as sa

from enforcement.auth.models import Role
from enforcement.notices.api import issue_token
from enforcement.notices.importing import get_or_create_source, import_notices
from enforcement.notices.models import Notice, NoticeRevision
from tests.notices.test_views import csv_bytes, line, upload


def test_an_upload_cannot_overwrite_the_monitors_notices(client, signed_in, session, two_hosters):
    token = issue_token(session, "monitor")
    session.commit()
    item = {"notice_id": "m1", "url": "https://files.example.test/m1.jpg", "ip": "192.0.2.10",
            "notice_sent_at": "2026-03-01T10:00:00Z"}  # fmt: skip
    body = {"notices": [item]}
    client.post("/api/v1/notices", json=body, headers={"Authorization": f"Bearer {token}"})
    signed_in(Role.OFFICER)
    response = upload(client, csv_bytes(line("m1", url="https://evil.example.test/x")),
                      source="monitor")  # fmt: skip
    assert response.status_code == 422
    assert "through the API" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(Notice.url)) == "https://files.example.test/m1.jpg"


def record(notice_id: str, url: str, offline: str = "") -> dict:
    return {"notice_id": notice_id, "url": url, "ip": "192.0.2.10",
            "notice_sent_at": "2026-03-01T10:00:00Z", "offline_at": offline}  # fmt: skip


def test_a_changed_notice_keeps_its_earlier_values(session, two_hosters):
    source = get_or_create_source(session, "hotline")
    first = [
        (2, record("n1", "https://a.example.test/1")),
        (3, record("n2", "https://a.example.test/2")),
    ]
    import_notices(session, first, source=source)
    second = [(2, record("n1", "https://b.example.test/1", "2026-03-01T12:00:00Z")),
              (3, record("n2", "https://a.example.test/2"))]  # fmt: skip
    report = import_notices(session, second, source=source)
    session.commit()
    assert (report.updated, report.unchanged) == (1, 1)
    revisions = session.scalars(sa.select(NoticeRevision)).all()
    assert [(r.url, r.offline_at) for r in revisions] == [("https://a.example.test/1", None)]
    notice = session.get(Notice, revisions[0].notice_id)
    assert (notice.external_id, notice.url) == ("n1", "https://b.example.test/1")
