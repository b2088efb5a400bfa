"""The removal order's letter, read from the real PDF: its content, its annex, its register."""

import csv
import io

import pytest

from enforcement.letters.services import verify_letters
from tests.letters.pdftools import attachments, info, needs_pdf_tools, page_texts
from tests.orders.test_services import T0, H, issued

pytestmark = needs_pdf_tools


@pytest.fixture
def order(session, hoster, staff):
    return issued(session, hoster, staff, term_hours=6, reasons="Also found on a mirror host.")


def test_the_order_states_what_art_6_and_dsa_art_9_require(session, order):
    text = " ".join(page_texts(order.letter.pdf))
    for phrase in (
        order.reference,
        "Bevel tot het ontoegankelijk maken van online kinderpornografisch materiaal",
        hoster_legal_name(order),
        "ontoegankelijk te maken",
        "binnen 6 uur na ontvangst van dit bevel",
        "Artikel 6, eerste en vierde lid, van de Wet bestuursrechtelijke aanpak",
        "artikel 9 van Verordening (EU) 2022/2065",
        "artikel 252 van het Wetboek van Strafrecht",
        "Also found on a mirror host.",
        "Awb 4:11, aanhef en onder a (spoedeisendheid)",
        "gehele Europese Unie",
        "artikel 6, derde lid",
        "Bezwaar",
        "schorst de werking van dit besluit niet (artikel 6:16 Awb)",
        "Contactpunt",
        "namens de Autoriteit Online Terroristisch en Kinderpornografisch Materiaal",
    ):
        assert phrase in text, phrase
    # Every item: the hotline's reference, its URL and IP; never "24 uur" as the rule.
    for item in order.items:
        assert item.notice.external_id in text
        assert item.ip in text
    assert order.items[0].url in text.replace(" ", "")
    assert "24 uur" not in text
    assert "geen besluit" not in text  # the order is a decision


def test_the_data_is_embedded_as_a_csv_annex(session, order):
    names, files = attachments(order.letter.pdf)
    assert names == ["removal-order-items.csv"]
    rows = list(csv.DictReader(io.StringIO(files["removal-order-items.csv"].decode())))
    assert [row["notice_reference"] for row in rows] == ["n1", "n2", "n3"]
    assert rows[0]["url"] == order.items[0].url and rows[0]["ip"] == order.items[0].ip
    assert rows[0]["notified_at"] == (T0 - 40 * H).isoformat()


def test_the_pdf_is_pdf_a_and_verifies_from_the_register(session, order):
    assert info(order.letter.pdf)["Title"].startswith(order.reference)
    checked, failed = verify_letters(session, order.reference)
    assert (checked, failed) == (1, [])


def test_an_english_speaking_hoster_gets_the_english_order(
    session, create_hoster, make_notice, staff
):
    english = create_hoster(5, trade_name="Englishhost", language="en")
    notice = make_notice(english, "e1", sent=T0 - 40 * H)
    order = issued(session, english, staff, ids=(notice.external_id,))
    text = " ".join(page_texts(order.letter.pdf))
    assert "Order to make online child sexual abuse material inaccessible" in text
    assert "within 12 hours of receiving this order" in text
    assert "An objection does not suspend the effect of this decision" in text


def hoster_legal_name(order) -> str:
    return order.hoster.legal_name
