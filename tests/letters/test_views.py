"""The letter pages through their real forms: the register, a letter, drafting, issuing, refusals.

Most letters here are issued with a stand-in PDF (rendering takes a while); the test that issues
through the page and downloads the result renders for real.
"""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.queries import hoster_figures
from enforcement.cases.services import open_case
from enforcement.casework import operations
from enforcement.core.time import to_local
from enforcement.letters.models import KenmerkCounter, Letter, LetterStatus
from enforcement.letters.services import create_draft, issue_letter
from enforcement.letters.views import PREVIEW_CSP
from tests.cases.pages import find_form, submit, text_of
from tests.conftest import csrf_token_from
from tests.letters.conftest import FIRST_DAY, LAST_DAY, T0
from tests.letters.pdftools import needs_pdf_tools, page_texts

# Monday 9 March 2026, 23:30 UTC: already Tuesday 10 March in Amsterdam.
LATE_EVENING = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)


@pytest.fixture
def measured_case(session, create_hoster, add_notices, staff):
    """A case opened on the figures of its window, as the candidates page opens one."""
    hoster = create_hoster(5, legal_name="Meetbaar Hosting B.V.", language="en")
    sent = [datetime(2026, 2, 2, 8, 0, tzinfo=UTC) + timedelta(hours=20 * n) for n in range(24)]
    add_notices(hoster, [(at, at + timedelta(hours=30 if n % 2 else 2), None)
                         for n, at in enumerate(sent)])  # fmt: skip
    figures = hoster_figures(session, hoster.id, FIRST_DAY, LAST_DAY, T0)
    opened = open_case(session, hoster, actor=staff["officer"], reason="Slow",
                       opening_figures=figures.frozen(), breaches=True, now=T0)  # fmt: skip
    session.commit()
    return opened


@pytest.fixture
def issued(session, draft, staff):
    letter = issue_letter(session, draft(), actor=staff["legal"], now=LATE_EVENING)
    session.commit()
    return letter


def stored_row(session, letter_id: int) -> dict:
    """Read a letter's row straight from the table, past the session's memory."""
    table = Letter.__table__
    row = session.execute(sa.select(table).where(table.c.id == letter_id)).mappings().one()
    return dict(row)


def letter_count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Letter))


def post_with_token(client, url: str, **data):
    token = csrf_token_from(client.get("/letters/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


# The register ---------------------------------------------------------------------------------


@pytest.fixture
def register(session, case, draft, staff, create_hoster):
    """A draft and an issued letter for Traaghost, and a draft for a hoster at another stage."""
    first = draft()
    issued = issue_letter(session, draft(), actor=staff["legal"], now=LATE_EVENING)
    elders = create_hoster(4, trade_name="Elders Hosting")
    other = open_case(session, elders, actor=staff["officer"], reason="Slow", opening_figures={},
                      breaches=True, now=T0)  # fmt: skip
    other.stage = Stage.WARNING
    session.commit()
    elsewhere = create_draft(session, other, first.context, actor=staff["officer"], now=T0)
    session.commit()
    return {"draft": first.id, "issued": issued.id, "elsewhere": elsewhere.id}


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/letters/?{query}")
    assert response.status_code == 200, text_of(response)
    return [int(x) for x in re.findall(r'<tr data-letter="(\d+)"', response.get_data(as_text=True))]


# (query, the letters listed in order): one register, set up once, asked each of these.
FILTER_CASES = [
    ("", ["issued", "elsewhere", "draft"]),
    ("kind=warning", ["issued", "elsewhere", "draft"]),
    ("kind=closure", []),
    ("status=draft", ["elsewhere", "draft"]),
    ("status=issued", ["issued"]),
    ("hoster=traag", ["issued", "draft"]),
    ("hoster=ELDERS+host", ["elsewhere"]),
    ("hoster=%25", []),  # a LIKE wildcard is searched for as text
    ("stage=warning", ["elsewhere"]),
    ("stage=notice&status=issued", ["issued"]),
    # Calendar days in Amsterdam: issued at 23:30 UTC on the 9th is the 10th there.
    ("dates=issued&from=2026-03-10&to=2026-03-10", ["issued"]),
    ("dates=issued&from=2026-03-09&to=2026-03-09", []),
    ("dates=created&from=2026-03-02&to=2026-03-02", ["issued", "elsewhere", "draft"]),
    ("dates=created&to=2026-03-01", []),
    ("dates=issued&from=2026-03-03", ["issued"]),
]


def test_the_register_filters(client, signed_in, register):
    signed_in("supervisor")
    wrong = [
        (query, listed(client, query))
        for query, expected in FILTER_CASES
        if listed(client, query) != [register[name] for name in expected]
    ]
    assert wrong == []


def test_the_register_shows_kenmerk_hoster_case_status_and_hash(
    client, signed_in, session, register
):
    pdf_sha256 = session.get(Letter, register["issued"]).pdf_sha256
    signed_in("admin")
    page = text_of(client.get("/letters/"))
    issued_row = page.split(f'data-letter="{register["issued"]}"')[1].split("</tr>")[0]
    assert "ENF-2026-000001" in issued_row and "<td>Host 3</td>" in issued_row
    assert pdf_sha256[:12] in issued_row
    assert "2026-03-10 00:30 by legal" in issued_row
    draft_row = page.split(f'data-letter="{register["draft"]}"')[1].split("</tr>")[0]
    assert ">draft<" in draft_row and 'href="/cases/' in draft_row


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=sonnet", "Choose a letter kind from the list."),
        ("stage=limbo", "Choose a stage from the list."),
        ("status=sent", "The status is draft or issued."),
        ("dates=posted&from=2026-03-01", "the day a letter was created or the day it was issued"),
        ("from=2026-13-01", "Give dates as YYYY-MM-DD"),
        ("from=2026-03-10&to=2026-03-01", "The date range ends before it starts."),
    ],
)
def test_bad_filter_values_get_a_message(client, signed_in, query, message):
    signed_in("officer")
    response = client.get(f"/letters/?{query}")
    assert response.status_code == 400
    assert message in text_of(response)
    assert "<table" not in response.get_data(as_text=True)


def test_the_register_pages_by_25(client, signed_in, session, case, draft, staff):
    context = draft().context
    for _ in range(25):
        create_draft(session, case, context, actor=staff["officer"], now=T0)
    session.commit()
    signed_in("legal")
    assert len(listed(client)) == 25
    assert "Page 1 of 2 (26 in all)" in text_of(client.get("/letters/?status=draft"))
    assert len(listed(client, "status=draft&page=2")) == 1


# Drafting from the case page ------------------------------------------------------------------


def test_an_officer_drafts_the_warning_from_the_case_page(
    client, signed_in, session, measured_case
):
    officer = signed_in("officer")
    case_page = f"/cases/{measured_case.id}"
    page = client.get(case_page).get_data(as_text=True)
    assert "Draft the warning letter" in page and "No letter yet." in page
    old_form = find_form(page, "/letters/draft", kind="warning")
    response = submit(client, case_page, "/letters/draft", {"kind": "warning"})
    letter = session.scalar(sa.select(Letter))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/letters/{letter.id}"
    assert (letter.kind, letter.status, letter.created_by_id) == ("warning", "draft", officer.id)
    assert letter.context["addressee"]["legal_name"] == "Meetbaar Hosting B.V."
    assert (letter.language, len(letter.context["notices"])) == ("en", 12)
    page = client.get(case_page).get_data(as_text=True)
    assert f'href="/letters/{letter.id}"' in page and "Draft the warning letter" not in page
    # The old page's button again: the draft there is, not a second one.
    again = client.post("/letters/draft", data=old_form.fields)
    assert again.headers["Location"] == f"/letters/{letter.id}"
    assert letter_count(session) == 1


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_only_officers_and_legal_staff_see_the_draft_button(client, signed_in, measured_case, role):
    signed_in(role)
    page = client.get(f"/cases/{measured_case.id}").get_data(as_text=True)
    assert 'id="letters"' in page and "Draft the warning letter" not in page


def test_an_unknown_kind_is_refused_with_a_message(client, signed_in, session, measured_case):
    signed_in("legal")
    response = post_with_token(client, "/letters/draft", case_id=measured_case.id, kind="sonnet")
    assert response.status_code == 400
    assert "There is no letter of that kind." in text_of(response)
    assert letter_count(session) == 0


# One letter: preview, PDF, regenerate, issue ----------------------------------------------------


def test_the_preview_is_the_letter_with_a_strict_csp(client, signed_in, draft):
    letter = draft()
    signed_in("supervisor")
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    assert f'src="/letters/{letter.id}/preview" sandbox' in page
    response = client.get(f"/letters/{letter.id}/preview")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == PREVIEW_CSP
    # The letter page frames it: only the app's own pages may (the default is DENY).
    assert "frame-ancestors 'self'" in PREVIEW_CSP
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Traaghost Hosting B.V." in text_of(response)
    assert "<script" not in response.get_data(as_text=True).lower()


@needs_pdf_tools
def test_a_draft_pdf_is_rendered_afresh_and_marked_as_a_draft(client, signed_in, session, draft):
    letter = draft()
    signed_in("officer")
    response = client.get(f"/letters/{letter.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = f'attachment; filename="DRAFT-warning-{letter.id}.pdf"'
    assert response.headers["Content-Disposition"] == disposition
    assert "CONCEPT" in page_texts(response.data)[0]
    assert stored_row(session, letter.id)["status"] == "draft"


def test_regenerating_gathers_the_draft_again(client, signed_in, session, draft, add_notices):
    letter = draft()
    cited = len(letter.context["notices"])
    sent = T0 - timedelta(days=3)
    add_notices(letter.case.hoster, [(sent, sent + timedelta(hours=40), None)])
    signed_in("officer")
    page = f"/letters/{letter.id}"
    response = submit(client, page, f"/letters/{letter.id}/regenerate")
    assert response.headers["Location"] == page
    assert "gathered again" in text_of(client.get(page))
    session.expire_all()
    assert len(session.get(Letter, letter.id).context["notices"]) == cited + 1
    assert letter_count(session) == 1


def test_only_legal_staff_issue(client, signed_in, session, draft):
    letter = draft()
    before = stored_row(session, letter.id)
    signed_in("officer")
    page = client.get(f"/letters/{letter.id}").get_data(as_text=True)
    assert f"/letters/{letter.id}/issue" not in page and "Legal staff issue letters." in page
    response = post_with_token(client, f"/letters/{letter.id}/issue")
    assert response.status_code == 403
    assert stored_row(session, letter.id) == before
    assert session.scalar(sa.select(KenmerkCounter)) is None


@needs_pdf_tools
@pytest.mark.parametrize("app_config", [{"LETTER_KENMERK_PREFIX": "ATKM"}])
def test_legal_staff_issue_and_the_download_is_the_stored_pdf(
    client, signed_in, session, case, staff
):
    letter = operations.take_step(
        session, case, Trigger.SEND_WARNING, actor=staff["officer"], now=T0
    )
    session.commit()
    legal = signed_in("legal")
    page = f"/letters/{letter.id}"
    response = submit(client, page, f"/letters/{letter.id}/issue")
    assert response.headers["Location"] == page
    row = stored_row(session, letter.id)
    assert re.fullmatch(r"ATKM-\d{4}-000001", row["kenmerk"])
    assert (row["status"], row["issued_by_id"]) == ("issued", legal.id)
    # Gathered once more and dated the moment of issue: its deadlines count from then.
    assert row["context"]["letter"]["moment"] == to_local(row["issued_at"]).isoformat()
    shown = client.get(page)
    assert f"Issued as {row['kenmerk']}." in text_of(shown)
    assert "/regenerate" not in shown.get_data(as_text=True)
    assert f"/letters/{letter.id}/issue" not in shown.get_data(as_text=True)
    download = client.get(f"/letters/{letter.id}.pdf")
    assert download.data == row["pdf"]
    assert hashlib.sha256(download.data).hexdigest() == row["pdf_sha256"]
    assert download.headers["Content-Disposition"] == f'attachment; filename="{row["kenmerk"]}.pdf"'
    assert row["kenmerk"] in page_texts(download.data)[0]


def test_a_stored_pdf_that_no_longer_matches_its_hash_is_not_served(
    client, signed_in, session, issued
):
    table = Letter.__table__
    with session.get_bind().begin() as connection:  # past the app: as an intruder would
        connection.execute(sa.update(table).where(table.c.id == issued.id).values(pdf=b"%PDF-x"))
    signed_in("supervisor")
    response = client.get(f"/letters/{issued.id}.pdf")
    assert response.status_code == 500
    assert "does not match its SHA-256" in text_of(response)


# An issued letter never changes -----------------------------------------------------------------


def post_routes(app) -> dict[str, object]:
    return {r.endpoint: r for r in app.url_map.iter_rules()
            if r.endpoint.startswith("letters.") and "POST" in r.methods}  # fmt: skip


@pytest.mark.parametrize("role", ["legal", "officer"])
def test_no_route_changes_an_issued_letter(app, client, signed_in, session, issued, role):
    routes = post_routes(app)
    assert set(routes) == {"letters.draft", "letters.regenerate", "letters.issue",
                           "letters.correct"}  # fmt: skip
    before = stored_row(session, issued.id)
    signed_in(role)
    for endpoint in ("letters.regenerate", "letters.issue"):
        response = post_with_token(client, f"/letters/{issued.id}/{endpoint.split('.')[1]}")
        if endpoint == "letters.issue" and role == "officer":
            assert response.status_code == 403
            continue
        assert response.status_code == 409, endpoint
        assert f"Letter {before['kenmerk']} was issued and never changes" in text_of(response)
    # Drafting the same kind again makes a new draft; the issued letter stays as it is.
    post_with_token(client, "/letters/draft", case_id=issued.case_id, kind="warning")
    assert stored_row(session, issued.id) == before
    # So does drafting its correction: a new letter that cites it.
    post_with_token(client, f"/letters/{issued.id}/correct")
    assert stored_row(session, issued.id) == before


def test_a_correction_is_drafted_from_the_issued_letter_and_issued_with_its_own_kenmerk(
    client, signed_in, session, case, staff
):
    letter = operations.take_step(
        session, case, Trigger.SEND_WARNING, actor=staff["officer"], now=T0
    )
    operations.issue(session, letter, actor=staff["legal"], now=LATE_EVENING)
    session.commit()
    case.hoster.legal_name = "Traaghost Hosting Nederland B.V."  # the error the correction fixes
    session.commit()
    signed_in("legal")
    page = f"/letters/{letter.id}"
    drafted = submit(client, page, f"/letters/{letter.id}/correct")
    correction_id = int(drafted.headers["Location"].rsplit("/", 1)[1])
    assert correction_id != letter.id
    submit(client, f"/letters/{correction_id}", f"/letters/{correction_id}/issue")
    correction = session.get(Letter, correction_id)
    assert (correction.status, correction.corrects_letter_id) == (LetterStatus.ISSUED, letter.id)
    text = " ".join(page_texts(correction.pdf))
    assert "Traaghost Hosting Nederland B.V." in text
    assert f"vervangt de brief met kenmerk {letter.kenmerk} van dinsdag 10 maart 2026" in text
    assert case.stage == Stage.WARNING and len(case.deadlines) == 1  # the step is not taken again


def test_a_draft_is_not_corrected_but_changed(client, signed_in, session, draft):
    letter = draft()
    signed_in("legal")
    response = post_with_token(client, f"/letters/{letter.id}/correct")
    assert response.status_code == 409
    assert "Only an issued letter is corrected" in text_of(response)
    assert letter_count(session) == 1


def test_a_forged_post_without_a_csrf_token_is_refused(client, signed_in, session, draft):
    letter = draft()
    before = stored_row(session, letter.id)
    signed_in("legal")
    forged = [
        (f"/letters/{letter.id}/issue", {}),
        (f"/letters/{letter.id}/regenerate", {}),
        ("/letters/draft", {"case_id": letter.case_id, "kind": "warning"}),
    ]
    for url, data in forged:
        response = client.post(url, data=data)
        assert response.status_code == 400
        assert "The form expired or was not sent from this site" in text_of(response)
    assert stored_row(session, letter.id) == before
    assert letter_count(session) == 1


def test_the_navigation_links_to_the_register(client, signed_in):
    signed_in("admin")
    assert 'href="/letters/"' in client.get("/cases/").get_data(as_text=True)
