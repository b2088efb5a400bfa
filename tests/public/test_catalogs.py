"""The Dutch catalog: every message translated, and the compiled .mo is the .po's."""

import io

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from enforcement.core.i18n import TRANSLATIONS

PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")


def load_po():
    with PO.open("rb") as f:
        return read_po(f, locale="nl")


def messages(catalog) -> dict:
    """Return {id: translation}, plural forms as tuples."""
    as_key = lambda value: tuple(value) if isinstance(value, (list, tuple)) else value  # noqa: E731
    return {as_key(m.id): as_key(m.string) for m in catalog if m.id}


def test_every_message_has_a_dutch_translation():
    catalog = load_po()
    untranslated = [key for key, text in messages(catalog).items()
                    if not (all(text) if isinstance(text, tuple) else text)]  # fmt: skip
    assert untranslated == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_the_compiled_catalog_matches_the_po_file():
    """Run `pybabel compile -d translations` after editing the .po; this fails when forgotten."""
    compiled = io.BytesIO()
    write_mo(compiled, load_po())
    compiled.seek(0)
    with MO.open("rb") as f:
        stored = read_mo(f)
    assert messages(stored) == messages(read_mo(compiled))
