"""After the demo data, crawl every public route, following links in pages, feed and files:
no notice URL (or its host), IP address, content hash or person's name may appear anywhere."""

import html
import re
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa

from enforcement.auth.models import User
from enforcement.cases.models import Objection
from enforcement.notices.models import Notice, NoticeCheck
from enforcement.orders.models import RemovalOrderItem

LINK = re.compile(r'(?:href|src)="([^"]+)"')


def secrets(session) -> set[str]:
    """Every value that must never be public: notice URLs, their hosts, IPs, content hashes,
    the staff's e-mail addresses and the people who objected."""
    found: set[str] = set()
    for url, ip, content_hash in session.execute(sa.select(Notice.url, Notice.ip,
                                                           Notice.content_hash)):  # fmt: skip
        found |= {url, urlsplit(url).hostname or "", ip or "", content_hash or ""}
    found |= set(session.scalars(sa.select(NoticeCheck.content_hash)))
    for column in ("url", "ip", "content_hash"):
        if hasattr(RemovalOrderItem, column):
            found |= set(session.scalars(sa.select(getattr(RemovalOrderItem, column))))
    found |= set(session.scalars(sa.select(User.email)))
    found |= set(session.scalars(sa.select(Objection.objector)))
    return {value for value in found if value}


def crawl(client, starts: list[str]) -> dict[str, str]:
    """Fetch every /public/ address reachable from the starts; return the bodies by path."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        seen[path] = body
        for link in LINK.findall(body):
            target = urlsplit(html.unescape(link))
            if target.netloc not in ("", "localhost"):
                continue
            if target.path.startswith("/public/") and target.path not in seen:
                queue.append(target.path)
    return seen


def test_no_url_ip_hash_or_name_on_any_public_page_feed_or_file(app, client, session, demo):
    pages = crawl(client, ["/public/", "/public/en/"])
    public_rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("public.")}
    assert len(pages) >= len(public_rules)  # every route, the data files in both formats too
    assert "/public/data/takedown-report.json.sha256" in pages
    assert "Harbour VPS" in pages["/public/report"] and "Jade Racks" in pages["/public/decisions"]
    forbidden = secrets(session)
    assert len(forbidden) > 3000
    for path, body in pages.items():
        text = unquote(html.unescape(body))
        leaked = [value for value in forbidden if value in body or value in text]
        assert not leaked, f"{path} shows {leaked[:3]}"
    assert not re.search(r"\b(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d+", " ".join(pages.values()))
    assert "example.test" not in " ".join(pages.values())
