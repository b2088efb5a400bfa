"""Every letter kind in both languages, rendered to PDF/A-3b and read back with real PDF tools.

Each (kind, language) is rendered once per module from the samples in kind_samples.py, citing
12 notices (a long table costs render time; the 50-row cap is checked on the HTML of each kind
here and on a PDF in test_render.py).
"""

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest

from enforcement.letters.context import ensure_plain, evidence_json
from enforcement.letters.formatting import format_percentage
from enforcement.letters.kinds import KINDS
from enforcement.letters.render import LETTERS_DIR, render_html, render_snapshot, template_source
from enforcement.letters.services import build_pdf
from tests.letters import pdftools
from tests.letters.kind_samples import (
    EXPECTED,
    KENMERK,
    SANCTIONS,
    UNMEASURED,
    sample_kind_context,
)
from tests.letters.samples import LEGAL_NAME

pytestmark = pdftools.needs_pdf_tools
LANGUAGES = ("nl", "en")
DECISIONS = {name for name, kind in KINDS.items() if kind.decision}
INTENTS = ("naming_intent", "penalty_intent", "fine_intent")
SAYS = {
    "nl": {
        "kvk": "KvK-nummer: 01234567",
        "letter_date": "maandag 2 maart 2026",
        "not_a_decision": "Deze brief is geen besluit in de zin van de Algemene wet bestuursrecht; "
        "bezwaar is daarom niet mogelijk.",
        "six_weeks": "binnen zes weken na de dag waarop",
        "not_suspend": "schorst de werking van",
        "view": "Uw zienswijze",
        "more": "Nog 10 meldingen staan in de bijlage evidence.csv.",
        "more_violations": "Nog 10 overtredingen staan in de bijlage evidence.csv.",
    },
    "en": {
        "kvk": "Chamber of Commerce (KvK) number: 01234567",
        "letter_date": "Monday 2 March 2026",
        "not_a_decision": "This letter is not a decision within the meaning of the General "
        "Administrative Law Act",
        "six_weeks": "within six weeks after the day on which",
        "not_suspend": "does not suspend the effect",
        "view": "Your view",
        "more": "10 more in the attachment evidence.csv.",
        "more_violations": "10 more violations are in the attachment evidence.csv.",
    },
}


CITED = 12


class Rendered:
    def __init__(self, kind: str, language: str):
        self.kind, self.language = kind, language
        self.context = sample_kind_context(kind, language, notices=CITED)
        self.snapshot, _ = template_source(kind, language)
        self.html = render_snapshot(self.snapshot, self.context)
        self.pdf = build_pdf(self.snapshot, self.context)
        self.pages = pdftools.page_texts(self.pdf)
        self.text = " ".join(self.pages)


@pytest.fixture(
    scope="module",
    params=[(kind, language) for kind in KINDS for language in LANGUAGES],
    ids=lambda param: "-".join(param),
)
def letter(request) -> Rendered:
    return rendered(*request.param)


@cache
def rendered(kind: str, language: str) -> Rendered:
    return Rendered(kind, language)


def test_every_page_has_the_kenmerk_and_the_first_the_addressee(letter):
    for number, page in enumerate(letter.pages, start=1):
        assert KENMERK in page, f"page {number} lacks the kenmerk"
    says = SAYS[letter.language]
    for text in (LEGAL_NAME, says["kvk"], "juridisch@traaghost.example.test", says["letter_date"]):
        assert text in letter.pages[0], text


def test_the_deadlines_with_weekday_and_the_amounts_are_in_the_text(letter):
    for text in EXPECTED[letter.kind][letter.language]:
        assert text in letter.text, text


def test_letters_relying_on_measurements_show_figures_beside_the_norm(letter):
    if letter.kind in UNMEASURED | SANCTIONS:
        assert '<table class="figures">' not in letter.html
        return
    offline = letter.context["figures"]["offline_within_24h_pct"]
    for value in (offline, 90.0):
        assert format_percentage(value, letter.language) in letter.text
    assert letter.html.count('<td class="url">') == CITED
    assert "hl-" not in letter.text  # hotline ids are in the evidence only
    # The trend chart speaks the letter's language too.
    chart = {"nl": ("Meldingen per week", "Offline binnen 24 uur"),
             "en": ("Notices per week", "Offline within 24 h")}[letter.language]  # fmt: skip
    assert all(words in letter.text for words in chart), chart


@pytest.mark.parametrize("kind", sorted(set(KINDS) - UNMEASURED))
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_body_lists_at_most_fifty_notices_and_counts_the_rest(kind, language):
    html = render_html(kind, language, sample_kind_context(kind, language, notices=60))
    assert html.count('<td class="url">') == 50
    more = SAYS[language]["more_violations" if kind in SANCTIONS else "more"]
    assert more in " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("kind", sorted(SANCTIONS))
def test_a_sanction_rests_on_violated_removal_orders_never_the_24_hour_norm(kind):
    for language, rule in (("nl", "artikel 6, derde lid"), ("en", "article 6(3)")):
        text = html_text(kind, language)
        assert rule in text and "ENF-2026-000100" in text  # the order the violation is of
        assert "24 uur" not in text and "24 hours" not in text


def test_a_decision_carries_the_objection_clause_and_nothing_else_does(letter):
    says = SAYS[letter.language]
    clause = (says["six_weeks"], says["not_suspend"], "6:16")
    if letter.kind in DECISIONS:
        assert all(text in letter.text for text in clause), clause
        assert says["not_a_decision"] not in letter.text
    else:
        assert says["not_a_decision"] in letter.text
        assert not any(text in letter.text for text in clause[1:])


def test_an_intent_states_the_term_for_the_view(letter):
    if letter.kind in INTENTS:
        assert SAYS[letter.language]["view"] in letter.text
        assert letter.context["view" if letter.kind != "naming_intent" else "reaction"]["weeks"]


def test_qpdf_finds_no_errors(letter):
    result = pdftools.qpdf_check(letter.pdf)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"No syntax or stream encoding errors" in result.stdout


def test_the_evidence_is_attached_and_parses(letter):
    names, files = pdftools.attachments(letter.pdf)
    assert sorted(names) == ["evidence.csv", "evidence.json"]
    evidence = json.loads(files["evidence.json"])
    assert evidence == json.loads(evidence_json(letter.context))
    rows = list(csv.DictReader(io.StringIO(files["evidence.csv"].decode("utf-8"))))
    cited = evidence["violations"] if letter.kind in SANCTIONS else evidence["notices"]
    assert len(rows) == len(cited) == (0 if letter.kind in UNMEASURED else CITED)
    if letter.kind in SANCTIONS:
        assert rows[0]["order"] == cited[0]["order"] and rows[0]["due_at"] == cited[0]["due_at"]


def test_the_metadata_declares_pdfa_part_3(letter):
    metadata = pdftools.xmp(letter.pdf)
    assert 'pdfaid:part="3"' in metadata
    assert pdftools.info(letter.pdf)["Title"].startswith(KENMERK)


def test_the_context_is_plain_and_survives_json(letter):
    assert ensure_plain(letter.context) is letter.context
    assert json.loads(json.dumps(letter.context)) == letter.context
    assert render_html(letter.kind, letter.language, letter.context) == letter.html


def test_the_fine_intent_has_the_report_annexed_after_the_signature():
    letter = rendered("fine_intent", "nl")
    annex = next(i for i, page in enumerate(letter.pages) if "Bijlage: rapport van" in page)
    signed = next(i for i, page in enumerate(letter.pages) if "Hoogachtend," in page)
    assert annex > signed
    annexed = " ".join(letter.pages[annex:])
    for text in ("vrijdag 27 februari 2026", "vrijdag 29 mei 2026", "artikel 5:51 Awb"):
        assert text in annexed
    assert letter.html.count('<td class="url">') == CITED  # the violations are the report's


def test_one_shared_clause_serves_every_decision():
    clause_files = [path.name for path in LETTERS_DIR.glob("*.html") if "6:16" in path.read_text()]
    assert clause_files == ["_clauses.html"]
    for name in DECISIONS:
        snapshot = json.loads(template_source(name, "nl")[0])
        assert "_clauses.html" in snapshot["files"]
        assert "remedy_clause(remedy)" in Path(LETTERS_DIR, f"{name}.html").read_text()


def html_text(kind: str, language: str, **changes) -> str:
    context = sample_kind_context(kind, language, notices=3)
    for key, value in changes.items():
        context[key] = {**context[key], **value} if isinstance(value, dict) else value
    html = render_html(kind, language, context)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("changes", "says", "not_said"),
    [
        ({"objection": {"outcome": "rejected"}}, ["ongegrond", "blijft in stand"], ["herroepen"]),
        ({"objection": {"outcome": "inadmissible", "on_time": False}},
         ["niet-ontvankelijk", "na afloop van de bezwaartermijn", "artikel 6:11 Awb"],
         ["herroepen"]),
        ({}, ["gegrond", "Wij herroepen ons besluit tot openbaarmaking", "ENF-2026-000009",
              "“waarschuwing”"], ["ongegrond"]),
    ],
)  # fmt: skip
def test_the_decision_on_an_objection_states_its_outcome(changes, says, not_said):
    text = html_text("objection_decision", "nl", **changes)
    assert all(phrase in text for phrase in says), says
    assert not any(phrase in text for phrase in not_said), not_said


@pytest.mark.parametrize(
    ("closure", "says"),
    [
        ({"reason": "withdrawn", "note": "Policy changed."},
         ["not taking enforcement any further", "Policy changed."]),
        ({"reason": "revoked_on_objection",
          "revoked": [{"kind": "penalty_order", "made_known_on": "2026-01-05",
                       "kenmerk": "ENF-2026-000011", "revoked": True}]},
         ["has been revoked", "penalty-payment order of Monday 5 January 2026",
          "ENF-2026-000011"]),
    ],
)  # fmt: skip
def test_the_closure_says_why_the_case_closes(closure, says):
    text = html_text("closure", "en", closure=closure, figures=None, notices=[])
    assert all(phrase in text for phrase in says), says
    assert "Measured figures and the norm" not in text


@pytest.mark.parametrize("kind", ["naming_intent", "naming_decision"])
def test_naming_is_informative_publication_not_a_sanction_under_art_9(kind):
    for language, basis in (("nl", "artikel 2, eerste lid, onder b"), ("en", "article 2(1)(b)")):
        text = html_text(kind, language).lower()
        assert basis in text
        assert not re.search(r"arti(kel|cle) 9\b", text)
        assert "overtreding" not in text and "violation" not in text


def test_the_warning_announces_removal_orders_and_what_not_acting_on_them_leads_to():
    text = html_text("warning", "nl")
    for phrase in ("bevel", "binnen ten hoogste twaalf uur", "artikel 6, derde lid",
                   "last onder dwangsom (artikel 7)", "bestuurlijke boete (artikel 8)",
                   "op zichzelf geen overtreding"):  # fmt: skip
        assert phrase in text, phrase
    assert "within at most twelve hours of receiving the order" in html_text("warning", "en")


def test_the_decision_on_objection_states_grounds_hearing_and_the_court():
    text = html_text("objection_decision", "nl")
    for phrase in ("Traaghost Hosting B.V., through its lawyer",
                   "The reaction period of two weeks was too short to respond.",
                   "gehoord (artikel 7:2 Awb)", "The objector explained its staffing",
                   "artikel 7:12 Awb", "bestuursrechter van de rechtbank Den Haag",
                   "binnen zes weken"):  # fmt: skip
        assert phrase in text, phrase
    assert "the District Court of The Hague" in html_text("objection_decision", "en")


def test_the_fine_decision_states_the_reasons_for_its_amount():
    text = html_text("fine_decision", "nl")
    assert "artikel 5:46, tweede lid, Awb" in text
    assert "Material stayed online for days after three orders." in text
    assert "The sixth category would not deter a company of this size." in text
