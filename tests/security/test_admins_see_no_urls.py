"""Admins manage users; they do not see abuse data (issue 15, finding 8)."""

from enforcement.auth.models import Role
from enforcement.notices.importing import get_or_create_source, import_notices
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)

URL = "https://material.example.test/abc.jpg"


def test_the_hoster_page_shows_admins_no_urls(client, signed_in, session, create_hoster):  # noqa: F811
    hoster = create_hoster(1, ip_ranges="192.0.2.0/24")
    record = {"notice_id": "n1", "url": URL, "ip": "192.0.2.5",
              "notice_sent_at": "2026-03-01T10:00:00Z"}  # fmt: skip
    import_notices(session, [(2, record)], source=get_or_create_source(session, "hotline"))
    session.commit()
    window = "?from=2026-03-01&to=2026-03-02"
    signed_in(Role.ADMIN)
    page = client.get(f"/hosters/{hoster.id}{window}").get_data(as_text=True)
    assert "n1" in page and URL not in page


def test_admins_cannot_open_a_letter_or_its_preview(client, signed_in):
    signed_in(Role.ADMIN)
    for path in ("/letters/1", "/letters/1/preview", "/letters/1.pdf"):
        assert client.get(path).status_code == 403
