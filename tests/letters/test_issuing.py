"""Drafting and issuing letters: who may, the kenmerk sequence, what is stored."""

import hashlib
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from enforcement.core.errors import Conflict, DomainError, PermissionDenied
from enforcement.letters.models import KenmerkCounter, Letter, LetterStatus, LetterTemplate
from enforcement.letters.render import Snapshot, template_source
from enforcement.letters.services import create_draft, issue_letter, preview_pdf
from enforcement.metrics.services import hoster_overview
from tests.letters import pdftools
from tests.letters.conftest import FIRST_DAY, LAST_DAY, T0

ISSUED_AT = datetime(2026, 3, 3, 8, 15, 30, 123456, tzinfo=UTC)  # Tuesday 3 March, 09:15 local


def test_a_warning_draft_holds_the_window_figures_and_the_late_notices(session, case, draft):
    letter = draft()
    assert (letter.status, letter.kenmerk, letter.pdf) == (LetterStatus.DRAFT, None, None)
    assert (letter.kind, letter.language.value) == ("warning", "nl")
    overview = hoster_overview(session, case.hoster_id, FIRST_DAY, LAST_DAY, T0)
    assert letter.context["figures"] == overview.figures.as_dict()
    assert letter.context["norm"]["min_offline_within_24h_pct"] == 90.0
    # The 11 late ones (30 h) and the one still online; the 12 taken down in 2 h are not cited.
    assert len(letter.context["notices"]) == 12
    sent = [notice["sent_at"] for notice in letter.context["notices"]]
    assert sent == sorted(sent)
    assert letter.context["improvement_ends_on"] == "2026-04-27"
    assert letter.context["addressee"]["legal_name"] == "Traaghost Hosting B.V."


@pytest.mark.parametrize("role", ["officer", "supervisor", "admin"])
def test_only_legal_staff_issue(session, draft, staff, role):
    letter = draft()
    with pytest.raises(PermissionDenied, match="Only legal staff issue letters"):
        issue_letter(session, letter, actor=staff[role], now=ISSUED_AT)
    session.rollback()
    assert session.get(Letter, letter.id).status == LetterStatus.DRAFT


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_only_officers_and_legal_staff_draft(session, case, draft, staff, role):
    context = draft().context
    with pytest.raises(PermissionDenied):
        create_draft(session, case, context, actor=staff[role])


def test_issuing_stores_kenmerk_pdf_hashes_and_snapshot(session, draft, staff):
    letter = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT)
    session.commit()
    assert letter.status == LetterStatus.ISSUED
    assert letter.kenmerk == "ENF-2026-000001"
    assert (letter.issued_by_id, letter.issued_at) == (staff["legal"].id, ISSUED_AT)
    assert letter.pdf_sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert letter.context["letter"] == {
        "kenmerk": "ENF-2026-000001",
        "date": "2026-03-03",
        "moment": "2026-03-03T09:15:30.123456+01:00",
    }
    text, digest = template_source("warning", "nl")
    assert letter.template_sha256 == digest
    assert session.get(LetterTemplate, digest).source == text
    assert Snapshot.from_text(text).entry == "warning.html"
    pages = pdftools.page_texts(letter.pdf)
    assert all("ENF-2026-000001" in page for page in pages)
    assert "dinsdag 3 maart 2026" in pages[0]
    assert "CONCEPT" not in " ".join(pages)
    assert pdftools.info(letter.pdf)["CreationDate"] == "Tue Mar  3 08:15:30 2026 UTC"


def test_a_draft_preview_has_no_kenmerk(draft):
    text = " ".join(pdftools.page_texts(preview_pdf(draft())))
    assert "CONCEPT" in text and "ENF-" not in text


def test_kenmerken_follow_each_other_per_year(session, case, draft, staff):
    numbers = []
    for moment in (ISSUED_AT, ISSUED_AT, datetime(2026, 12, 31, 23, 30, tzinfo=UTC)):
        numbers.append(issue_letter(session, draft(), actor=staff["legal"], now=moment).kenmerk)
        session.commit()
    # 23:30 UTC on 31 December is 00:30 on 1 January 2027 in Amsterdam: next year's first.
    assert numbers == ["ENF-2026-000001", "ENF-2026-000002", "ENF-2027-000001"]
    counters = session.execute(sa.select(KenmerkCounter.year, KenmerkCounter.last_value))
    assert sorted(counters) == [(2026, 2), (2027, 1)]


def test_a_rolled_back_issue_gives_its_number_back(session, draft, staff):
    letter = draft()
    assert issue_letter(session, letter, actor=staff["legal"], now=ISSUED_AT).kenmerk.endswith(
        "000001"
    )
    session.rollback()
    letter = session.get(Letter, letter.id)
    assert letter.status == LetterStatus.DRAFT
    issued = issue_letter(session, letter, actor=staff["legal"], now=ISSUED_AT)
    assert issued.kenmerk == "ENF-2026-000001"


def test_a_letter_is_issued_once(session, draft, staff):
    letter = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT)
    session.commit()
    with pytest.raises(Conflict, match="already issued as ENF-2026-000001"):
        issue_letter(session, letter, actor=staff["legal"], now=ISSUED_AT)


def test_the_prefix_is_configurable(session, draft, staff):
    letter = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT, prefix="ATKM")
    assert letter.kenmerk == "ATKM-2026-000001"
    with pytest.raises(ValueError, match="prefix"):
        issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT, prefix="atkm-")


def test_the_app_config_carries_the_prefix(app):
    assert app.config["LETTER_KENMERK_PREFIX"] == "ENF"


def test_a_correction_is_a_new_letter_citing_the_old(session, case, draft, staff):
    old = issue_letter(session, draft(), actor=staff["legal"], now=ISSUED_AT)
    session.commit()
    correction = create_draft(session, case, old.context, actor=staff["legal"], corrects=old)
    assert correction.corrects_letter_id == old.id
    assert correction.context["corrects"] == {"kenmerk": "ENF-2026-000001", "date": "2026-03-03"}
    assert correction.context["letter"]["kenmerk"] is None
    issued = issue_letter(session, correction, actor=staff["legal"], now=ISSUED_AT)
    text = " ".join(pdftools.page_texts(issued.pdf))
    assert "vervangt de brief met kenmerk ENF-2026-000001 van dinsdag 3 maart 2026" in text
    assert issued.kenmerk == "ENF-2026-000002"


def test_only_an_issued_letter_can_be_corrected(session, case, draft, staff):
    earlier = draft()
    with pytest.raises(DomainError, match="replaces an issued letter"):
        create_draft(session, case, earlier.context, actor=staff["legal"], corrects=earlier)


def test_the_context_must_be_plain_values(session, case, draft, staff):
    context = {**draft().context, "hoster": case.hoster}
    with pytest.raises(TypeError, match=r"context\.hoster: Hoster is not a plain value"):
        create_draft(session, case, context, actor=staff["officer"])
