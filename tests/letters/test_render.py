"""The warning letter rendered to PDF/A-3b, read back with pdftotext, qpdf, pdfinfo, pdfdetach.

Each PDF is rendered once per module (a render takes about half a second).
"""

import csv
import hashlib
import io
import json
import time

import pytest

from enforcement.letters.context import evidence_json
from enforcement.letters.formatting import format_percentage
from enforcement.letters.render import render_html, render_snapshot, template_source
from enforcement.letters.services import build_pdf
from tests.letters import pdftools
from tests.letters.samples import LEGAL_NAME, sample_context

pytestmark = pdftools.needs_pdf_tools
KENMERK = "ENF-2026-000123"
EXPECTED = {
    "nl": {
        "deadline": "maandag 27 april 2026",
        "letter_date": "maandag 2 maart 2026",
        "not_a_decision": "Deze brief is geen besluit in de zin van de Algemene wet "
        "bestuursrecht; bezwaar is daarom niet mogelijk.",
        "more": "Nog 10 meldingen staan in de bijlage evidence.csv.",
        "page": "Pagina 1 van",
        "kvk": "KvK-nummer: 01234567",
    },
    "en": {
        "deadline": "Monday 27 April 2026",
        "letter_date": "Monday 2 March 2026",
        "not_a_decision": "This letter is not a decision within the meaning of the General "
        "Administrative Law Act",
        "more": "10 more in the attachment evidence.csv.",
        "page": "Page 1 of",
        "kvk": "Chamber of Commerce (KvK) number: 01234567",
    },
}


class Rendered:
    def __init__(self, language: str, notices: int = 60):
        self.language = language
        self.context = sample_context(language, notices=notices, kenmerk=KENMERK)
        self.snapshot, self.template_sha256 = template_source("warning", language)
        self.html = render_snapshot(self.snapshot, self.context)
        started = time.perf_counter()
        self.pdf = build_pdf(self.snapshot, self.context)
        self.seconds = time.perf_counter() - started
        self.pages = pdftools.page_texts(self.pdf)
        self.text = " ".join(self.pages)


@pytest.fixture(scope="module", params=["nl", "en"])
def letter(request) -> Rendered:
    return Rendered(request.param)


def test_the_kenmerk_and_page_n_of_m_are_on_every_page(letter):
    assert len(letter.pages) >= 2
    for number, page in enumerate(letter.pages, start=1):
        assert KENMERK in page, f"page {number} lacks the kenmerk"
    label = EXPECTED[letter.language]["page"].removesuffix(" 1 van").removesuffix(" 1 of")
    total = len(letter.pages)
    word = "van" if letter.language == "nl" else "of"
    assert f"{label} {total} {word} {total}" in letter.pages[-1]


def test_the_text_names_the_addressee_figures_and_deadline(letter):
    expected = EXPECTED[letter.language]
    for text in (
        LEGAL_NAME,
        expected["kvk"],
        "juridisch@traaghost.example.test",
        expected["letter_date"],
        expected["deadline"],
        expected["not_a_decision"],
        expected["more"],
        format_percentage(letter.context["figures"]["offline_within_24h_pct"], letter.language),
        format_percentage(90.0, letter.language),
    ):
        assert text in letter.text, text


def test_the_body_lists_at_most_fifty_notices(letter):
    assert letter.html.count('<td class="url">') == 50
    assert "hl-" not in letter.text  # hotline ids are in the evidence only


def test_qpdf_finds_no_errors(letter):
    result = pdftools.qpdf_check(letter.pdf)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"No syntax or stream encoding errors" in result.stdout


def test_the_evidence_is_attached_and_parses(letter):
    names, files = pdftools.attachments(letter.pdf)
    assert sorted(names) == ["evidence.csv", "evidence.json"]
    evidence = json.loads(files["evidence.json"])
    assert evidence == json.loads(evidence_json(letter.context))
    assert evidence["figures"] == letter.context["figures"]
    assert len(evidence["notices"]) == 60
    rows = list(csv.DictReader(io.StringIO(files["evidence.csv"].decode("utf-8"))))
    assert len(rows) == 60
    assert rows[0]["url"] == letter.context["notices"][0]["url"]
    assert {row["still_online"] for row in rows} == {"true", "false"}


def test_the_metadata_declares_pdfa_3_title_author_language_and_date(letter):
    metadata = pdftools.xmp(letter.pdf)
    assert 'pdfaid:part="3"' in metadata
    assert 'pdfaid:conformance="B"' in metadata
    info = pdftools.info(letter.pdf)
    assert info["Title"].startswith(KENMERK)
    assert info["Author"] == letter.context["sender"]["name"]
    assert info["CreationDate"] == "Mon Mar  2 09:00:00 2026 UTC"
    assert info["Page size"].endswith("(A4)")
    assert f"/Lang ({letter.language})".encode() in pdftools.uncompressed(letter.pdf)


def test_the_same_context_and_templates_give_the_same_bytes(letter):
    again = build_pdf(letter.snapshot, letter.context)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(letter.pdf).hexdigest()


def test_the_current_files_and_their_snapshot_render_alike(letter):
    assert render_html("warning", letter.language, letter.context) == letter.html


def test_a_letter_citing_2000_notices_keeps_50_in_the_body_and_all_in_the_csv():
    big = Rendered("nl", notices=2000)
    print(f"2,000 cited notices: {len(big.pages)} pages rendered in {big.seconds:.2f} s")
    assert big.html.count('<td class="url">') == 50
    assert "Nog 1.950 meldingen staan in de bijlage evidence.csv." in big.text
    _, files = pdftools.attachments(big.pdf)
    assert len(list(csv.DictReader(io.StringIO(files["evidence.csv"].decode())))) == 2000
    assert len(json.loads(files["evidence.json"])["notices"]) == 2000
    assert len(big.pages) < 10
