"""The letters' Jinja environment, template snapshots, and what a letter may load."""

import hashlib
import logging
import shutil

import jinja2
import pytest

from enforcement.letters import assets, render
from enforcement.letters.render import (
    LetterRenderError,
    Snapshot,
    render_pdf,
    render_snapshot,
    template_source,
)
from tests.letters.samples import AS_OF, sample_context

PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title>{head}</head>
<body><p>{{{{ greeting }}}}</p>{body}</body></html>"""


def snapshot_of(head: str = "", body: str = "") -> str:
    page = PAGE.format(head=head, body=body)
    return Snapshot("x.html", {"x.html": page}, {}).text()


def render_page(head: str = "", body: str = "") -> bytes:
    html = render_snapshot(snapshot_of(head, body), {"greeting": "Hello", "language": "en"})
    return render_pdf(html, kenmerk="ENF-2026-000001", created=AS_OF, attachments=[])


def test_rendering_logs_no_progress_chatter(caplog):
    # WeasyPrint announces every rendering step at INFO; the app logs at INFO in production.
    with caplog.at_level(logging.INFO):
        render_page()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_page_using_only_project_fonts_renders():
    head = '<style>@font-face { font-family: X; src: url("fonts/DejaVuSans.ttf") }</style>'
    assert render_page(head=head).startswith(b"%PDF-1.7")


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ("", '<img src="https://example.test/x.png">'),
        ("", '<img src="http://example.test/x.png">'),
        ("", '<img src="file:///etc/passwd">'),
        ("", '<img src="../config.py">'),
        ("", '<img src="fonts/../../config.py">'),
        ("", '<img src="base.html">'),  # under letters/, but not a font or an image
        ("", '<img src="data:image/png;base64,iVBORw0KGgo=">'),
        ('<link rel="stylesheet" href="https://example.test/x.css">', ""),
        ("<style>@import url(https://example.test/x.css);</style>", ""),
        ('<style>@font-face { font-family: X; src: url("https://example.test/x.ttf") }</style>'
         "<style>p { font-family: X }</style>", ""),
        ("", '<svg width="10" height="10"><image href="https://example.test/x.png" '
             'width="10" height="10"/></svg>'),
    ],
)  # fmt: skip
def test_the_renderer_refuses_anything_outside_letters(head, body, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to open a URL itself")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", no_network)
    with pytest.raises(LetterRenderError, match="refused"):
        render_page(head=head, body=body)


def test_a_missing_value_fails_rather_than_printing_nothing():
    with pytest.raises(jinja2.UndefinedError, match="greeting"):
        render_snapshot(snapshot_of(), {"language": "en"})


def test_values_are_escaped():
    html = render_snapshot(snapshot_of(), {"greeting": "<b>Evil</b> & Co", "language": "en"})
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in html


def test_only_a_plain_svg_chart_is_placed_inline():
    assert render.inline_svg('<svg width="1"></svg>') == '<svg width="1"></svg>'
    assert render.inline_svg('<svg><use xlink:href="#p1"/></svg>')
    for bad in (
        "<div>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><foreignObject/></svg>",
        '<svg><image href="https://example.test/x.png"/></svg>',
        "<svg><image xlink:href='file:///etc/passwd'/></svg>",
    ):
        with pytest.raises(LetterRenderError):
            render.inline_svg(bad)


def test_the_snapshot_covers_templates_stylesheet_and_fonts():
    text, digest = template_source("warning", "nl")
    assert digest == hashlib.sha256(text.encode()).hexdigest()
    snapshot = Snapshot.from_text(text)
    assert snapshot.entry == "warning.html"
    assert {"warning.html", "base.html", "letter.css"} <= set(snapshot.files)
    assert set(snapshot.assets) == {"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"}
    assert template_source("warning", "en") == (text, digest)  # one file holds both languages


def test_an_unknown_kind_or_language_has_no_template():
    with pytest.raises(LetterRenderError, match="no template"):
        template_source("no_such_kind", "nl")
    with pytest.raises(LetterRenderError, match="language"):
        template_source("warning", "de")
    with pytest.raises(LetterRenderError, match="not a letter kind"):
        template_source("../base", "nl")


@pytest.fixture
def letters_copy(tmp_path, monkeypatch):
    """The letters/ directory copied to a temporary place, which the renderer then uses."""
    copy = tmp_path / "letters"
    shutil.copytree(assets.LETTERS_DIR, copy)
    monkeypatch.setattr(assets, "LETTERS_DIR", copy)
    monkeypatch.setattr(render, "LETTERS_DIR", copy)
    render.file_environment.cache_clear()
    yield copy
    render.file_environment.cache_clear()


def test_a_snapshot_renders_as_it_was_after_the_files_change(letters_copy):
    context = sample_context("nl", notices=3)
    before, digest = template_source("warning", "nl")
    html_before = render.render_html("warning", "nl", context)
    warning = letters_copy / "warning.html"
    warning.write_text(warning.read_text().replace("Geachte heer, mevrouw,", "Beste hoster,"))
    _, changed_digest = template_source("warning", "nl")
    assert changed_digest != digest
    assert "Beste hoster," in render.render_html("warning", "nl", context)
    assert render_snapshot(before, context) == html_before


def test_a_font_changed_since_the_snapshot_is_refused(letters_copy):
    text, _ = template_source("warning", "nl")
    html = render_snapshot(text, sample_context("nl", notices=3))
    font = letters_copy / "fonts" / "DejaVuSans-Bold.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    with pytest.raises(LetterRenderError, match="not the file the letter was made with"):
        render_pdf(html, kenmerk="K", created=AS_OF, attachments=[],
                   assets=Snapshot.from_text(text).assets)  # fmt: skip
