"""The Dutch catalog: every message translated, and the compiled .mo is the .po's."""

import io

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from enforcement.core.i18n import TRANSLATIONS

PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def test_every_message_has_a_dutch_translation():
    catalog = read_po(PO.open("rb"), locale="nl")
    untranslated = [m.id for m in catalog if m.id and not all(m.string if isinstance(
        m.string, tuple) else [m.string])]  # fmt: skip
    assert untranslated == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_the_compiled_catalog_matches_the_po_file():
    """`pybabel compile -d translations` after editing the .po; this fails when it was forgotten."""
    catalog = read_po(PO.open("rb"), locale="nl")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    stored = read_mo(MO.open("rb"))
    expected = read_mo(io.BytesIO(compiled.getvalue()))
    assert {m.id: m.string for m in stored if m.id} == {m.id: m.string for m in expected if m.id}
