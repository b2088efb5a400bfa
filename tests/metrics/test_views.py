"""Candidates, the hoster page's figures, chart and notices, and the policy page."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from enforcement.core.time import LOCAL_TZ, format_local, utcnow
from enforcement.metrics.models import BreachPolicy
from tests.conftest import csrf_token_from

WINDOW = "from=2026-03-02&to=2026-03-15"


def at(day: int, hour: float) -> datetime:
    return datetime(2026, 3, day, tzinfo=UTC) + timedelta(hours=hour)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def slow(add_notices, hoster):
    """12 notices: 6 taken down after 30 h, 5 after 2 h, 1 still online (41.7 %, 8.3 %)."""
    add_notices(hoster, [(at(2, i), at(2, i + 30), None) for i in range(6)]
                + [(at(3, i), at(3, i + 2), None) for i in range(5)]
                + [(at(4, 0), None, None)])  # fmt: skip


def mostly_online(add_notices, hoster):
    """10 notices: 4 taken down after 1 h, 6 still online: the median is more than the window."""
    add_notices(hoster, [(at(5, i), at(5, i + 1), None) for i in range(4)]
                + [(at(5, 10 + i), None, None) for i in range(6)])  # fmt: skip


def fast(add_notices, hoster):
    add_notices(hoster, [(at(6, i), at(6, i + 1), None) for i in range(12)])


def test_candidates_lists_breaching_hosters_worst_first(
    client, signed_in, create_hoster, add_notices
):
    slow(add_notices, create_hoster(1, trade_name="Slowhost"))
    mostly_online(add_notices, create_hoster(2, trade_name="Stuckhost"))
    fast(add_notices, create_hoster(3, trade_name="Quickhost"))
    signed_in("legal")
    page = text_of(client.get(f"/candidates?{WINDOW}"))
    assert "Quickhost" not in page
    assert page.index("Stuckhost") < page.index("Slowhost")  # 40.0 % before 41.7 %
    assert "41.7\xa0%" in page and "40.0\xa0%" in page
    assert "offline within 24 h 41.7% < 90.0%" in page
    assert "online over 72 h 8.3% > 1.0%" in page
    assert "more than the window" in page  # Stuckhost's median
    assert "2026-03-02 to 2026-03-15" in page


def test_candidates_with_equal_offline_share_put_more_online_first(
    client, signed_in, create_hoster, add_notices
):
    # Both take 10 notices and remove 5 within 24 h; one leaves 3 online, the other 1.
    for number, name, online in ((1, "Onelefthost", 1), (2, "Threelefthost", 3)):
        add_notices(create_hoster(number, trade_name=name),
                    [(at(2, i), at(2, i + 1), None) for i in range(5)]
                    + [(at(3, i), at(3, i + 30), None) for i in range(5 - online)]
                    + [(at(4, i), None, None) for i in range(online)])  # fmt: skip
    signed_in("officer")
    page = text_of(client.get(f"/candidates?{WINDOW}"))
    assert page.index("Threelefthost") < page.index("Onelefthost")


def test_candidates_default_to_the_last_six_weeks(client, signed_in, create_hoster, add_notices):
    now = utcnow()
    recent = create_hoster(1, trade_name="Recenthost")
    add_notices(recent, [(now - timedelta(days=3, hours=i), None, None) for i in range(10)])
    old = create_hoster(2, trade_name="Oldhost")
    add_notices(old, [(now - timedelta(days=50, hours=i), None, None) for i in range(10)])
    signed_in("supervisor")
    page = text_of(client.get("/candidates"))
    assert "Recenthost" in page and "Oldhost" not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "Give dates as YYYY-MM-DD"),
        ("from=yesterday&to=today", "Give dates as YYYY-MM-DD"),
        ("from=2026-03-15&to=2026-03-02", "The window ends before it starts."),
        ("from=2020-01-01&to=2026-03-02", "A window is at most 366 days."),
    ],
)
def test_bad_dates_are_explained_not_a_500(client, signed_in, create_hoster, query, message):
    signed_in("officer")
    response = client.get(f"/candidates?{query}")
    assert response.status_code == 400
    assert message in text_of(response)
    hoster = create_hoster(1)
    response = client.get(f"/hosters/{hoster.id}?{query}")
    assert response.status_code == 400
    assert message in text_of(response) and "Host 1 B.V." in text_of(response)


def test_admin_may_not_see_candidates(client, signed_in):
    signed_in("admin")
    assert client.get("/candidates").status_code == 403


def chart_of(page: str) -> ET.Element:
    """Return the inline chart, parsed; raises when it is not well-formed SVG."""
    match = re.search(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert match, "no inline SVG on the page"
    return ET.fromstring(match.group(0))  # noqa: S314  (our own chart, not input from outside)


def test_hoster_page_shows_the_figures_verdict_and_chart(
    client, signed_in, create_hoster, add_notices
):
    hoster = create_hoster(1, trade_name="Slowhost")
    slow(add_notices, hoster)
    signed_in("officer")
    response = client.get(f"/hosters/{hoster.id}?{WINDOW}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Notices sent 2026-03-02 to 2026-03-15" in page
    for shown in ("41.7\xa0%", "8.3\xa0%", "30.0\xa0h", "In breach"):
        assert shown in page
    svg = chart_of(response.get_data(as_text=True))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert "2026-03-02 to 2026-03-08" in page and "2026-03-09 to 2026-03-15" in page


def test_hoster_page_reads_a_null_median_as_more_than_the_window(
    client, signed_in, create_hoster, add_notices
):
    hoster = create_hoster(1)
    mostly_online(add_notices, hoster)
    signed_in("legal")
    page = text_of(client.get(f"/hosters/{hoster.id}?{WINDOW}"))
    assert "Median takedown time</dt><dd>more than the window" in page


def test_hoster_page_without_notices_says_so(client, signed_in, create_hoster):
    hoster = create_hoster(1)
    signed_in("admin")
    response = client.get(f"/hosters/{hoster.id}")
    assert "No notices were sent to this hoster in this window." in text_of(response)
    assert "Not judged" in text_of(response)
    chart_of(response.get_data(as_text=True))


def listed(page: str) -> list[str]:
    """Return the notice ids in the notices table, in order."""
    table = page[page.index('<table class="notices">') :]
    return re.findall(r"<tr>\s*<td><code>(n\d+)</code>", table)


def test_notices_list_pages_by_25(client, signed_in, create_hoster, add_notices):
    hoster = create_hoster(1)
    add_notices(hoster, [(at(2, i), at(2, i + 1), None) for i in range(30)])
    signed_in("officer")
    first = text_of(client.get(f"/hosters/{hoster.id}?{WINDOW}"))
    assert listed(first) == [f"n{i}" for i in range(30, 5, -1)]  # newest first
    assert "Page 1 of 2 (30 in all)" in first
    assert "https://files.example.test/30.jpg" in first
    assert 'href="https://files.example.test' not in first  # shown, never a link
    second = text_of(client.get(f"/hosters/{hoster.id}?{WINDOW}&page=2"))
    assert listed(second) == ["n5", "n4", "n3", "n2", "n1"]
    previous = [link for link in re.findall(r'href="([^"]*)"', second) if "page=1" in link]
    assert previous and all("from=2026-03-02" in link and "to=2026-03-15" in link
                            for link in previous)  # fmt: skip


def test_notices_filters_follow_the_figure_definitions(
    client, signed_in, create_hoster, add_notices
):
    hoster = create_hoster(1)
    now = utcnow()
    sent = now - timedelta(days=10)
    add_notices(hoster, [
        (sent, sent + timedelta(hours=1), None),  # n1: quick
        (sent, sent + timedelta(hours=24), None),  # n2: exactly 24 h counts as within
        (sent, sent + timedelta(hours=24, microseconds=1), None),  # n3: just over
        (sent, None, None),  # n4: still online for weeks
        (now - timedelta(hours=2), None, None),  # n5: still online, but only 2 h old
        (sent, now + timedelta(days=1), None),  # n6: offline only after now: still online
    ])  # fmt: skip
    signed_in("officer")
    window = f"from={(now - timedelta(days=20)).date()}&to={(now + timedelta(days=1)).date()}"
    base = f"/hosters/{hoster.id}?{window}"
    assert sorted(listed(text_of(client.get(base)))) == ["n1", "n2", "n3", "n4", "n5", "n6"]
    assert sorted(listed(text_of(client.get(f"{base}&show=online")))) == ["n4", "n5", "n6"]
    assert sorted(listed(text_of(client.get(f"{base}&show=over24")))) == ["n3", "n4", "n6"]
    assert sorted(listed(text_of(client.get(f"{base}&show=bogus")))) == sorted(
        ["n1", "n2", "n3", "n4", "n5", "n6"]
    )
    page = text_of(client.get(f"{base}&show=online"))
    assert "still online" in page and "h so far" in page
    assert '<strong aria-current="true">Still online</strong>' in page
    empty = text_of(client.get(f"/hosters/{hoster.id}?from=2026-01-01&to=2026-01-31&show=over24"))
    assert "No notices over 24 h in this window." in empty


TODAY = utcnow().astimezone(LOCAL_TZ).date()
NEXT_MONTH = (TODAY + timedelta(days=31)).isoformat()


def policy_fields(**overrides) -> dict:
    fields = {"effective_from": NEXT_MONTH, "min_notices": "20",
              "min_offline_within_24h_pct": "95", "max_online_over_72h_pct": "0.5",
              "reason": "Stricter norm after the sector meeting"}  # fmt: skip
    return {**fields, **overrides}


def post_policy(client, **fields):
    token = csrf_token_from(client.get("/policy").text)
    return client.post("/policy", data={"csrf_token": token, **fields})


def policies(session) -> list[BreachPolicy]:
    session.expire_all()
    return list(session.scalars(sa.select(BreachPolicy)))


def test_supervisor_adds_a_version_and_the_history_shows_who_when_why(client, signed_in, session):
    supervisor = signed_in("supervisor")
    response = post_policy(client, **policy_fields())
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "The new policy version is recorded." in page
    assert "Stricter norm after the sector meeting" in page
    assert supervisor.email in page and NEXT_MONTH in page
    [stored] = policies(session)
    assert (stored.min_notices, stored.created_by_id) == (20, supervisor.id)
    assert stored.min_offline_within_24h_pct == 95.0
    assert stored.effective_from.isoformat() == NEXT_MONTH
    assert format_local(stored.created_at) in page


def test_policy_page_shows_the_version_in_force(client, signed_in, session):
    signed_in("supervisor")
    post_policy(client, **policy_fields(effective_from=TODAY.isoformat(), reason="First"))
    post_policy(client, **policy_fields(effective_from="2099-01-01", reason="Later"))
    page = text_of(client.get("/policy"))
    assert re.search(rf"{TODAY.isoformat()}\s*<strong>\(in force\)</strong>", page)
    assert re.search(r"2099-01-01\s*<em>\(scheduled\)</em>", page)
    assert "at least 20 notices" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_notices": "0"}, "At least 1."),
        ({"effective_from": (TODAY - timedelta(days=1)).isoformat()}, "Today or later"),
        ({"min_offline_within_24h_pct": "150"}, "A percentage from 0 to 100."),
        ({"max_online_over_72h_pct": "-1"}, "A percentage from 0 to 100."),
        ({"max_online_over_72h_pct": "nan"}, "A percentage from 0 to 100."),
        ({"min_notices": "99999999999"}, "Number must be at most"),
        ({"reason": ""}, "This field is required."),
        ({"reason": "  "}, "Say why the policy changes."),
        ({"effective_from": "someday"}, "Not a valid date value."),
    ],
)
def test_invalid_policy_values_are_explained_and_nothing_is_stored(
    client, signed_in, session, fields, message
):
    signed_in("supervisor")
    response = post_policy(client, **policy_fields(**fields))
    assert response.status_code == 200
    assert message in text_of(response)
    assert policies(session) == []


@pytest.mark.parametrize("role", ["officer", "legal", "admin"])
def test_only_supervisors_change_the_policy(client, signed_in, session, role):
    signed_in(role)
    page = client.get("/policy")
    assert page.status_code == 200 and "Record a new version" not in page.text
    token = csrf_token_from(client.get("/hosters/").text)
    response = client.post("/policy", data={"csrf_token": token, **policy_fields()})
    assert response.status_code == 403
    assert policies(session) == []
