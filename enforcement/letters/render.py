"""Letter templates to HTML, and HTML to PDF/A-3b with the evidence embedded.

Templates live in the top-level ``letters/`` directory: ``base.html`` (letterhead, footer with
the kenmerk and page "n of m"), ``letter.css`` (inlined into the HTML, so a preview in the
browser is self-contained) and one file per kind, ``<kind>.html``, holding both languages side
by side through ``t("Nederlands", "English")``. A kind may instead have ``<kind>.nl.html`` and
``<kind>.en.html``; those win when present.

A snapshot (``template_source``) holds the text of every template and stylesheet a letter uses
and the SHA-256 of every font or image under ``letters/``; ``render_snapshot`` renders from the
snapshot alone, so an issued letter can be re-rendered after the files have moved on.

WeasyPrint is imported lazily, once per process: importing it takes about half a second.
"""

import gc
import hashlib
import json
import logging
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from enforcement.letters import formatting
from enforcement.letters.assets import ASSET_SUFFIXES, LETTERS_DIR, LetterRenderError, fetcher

PDF_VARIANT = "pdf/a-3b"
SNAPSHOT_FORMAT = 1

__all__ = ["LETTERS_DIR", "LetterRenderError", "render_html", "render_pdf", "template_source"]


@dataclass(frozen=True)
class Snapshot:
    """The template files (text) and asset hashes a letter was rendered with."""

    entry: str
    files: dict[str, str]
    assets: dict[str, str]

    def text(self) -> str:
        data = {"format": SNAPSHOT_FORMAT, "entry": self.entry, "files": self.files,
                "assets": self.assets}  # fmt: skip
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str) -> "Snapshot":
        data = json.loads(text)
        if data.get("format") != SNAPSHOT_FORMAT:
            raise LetterRenderError(f"unknown template snapshot format {data.get('format')!r}")
        return cls(data["entry"], data["files"], data["assets"])


def sha256_hex(data: bytes | str) -> str:
    """Return the SHA-256 of bytes, or of text encoded as UTF-8, in hex."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


# -- Jinja --------------------------------------------------------------------------------------


def _filter(function):
    """Turn formatting.f(value, language) into a filter reading the letter's language."""

    @jinja2.pass_context
    def apply(context: jinja2.runtime.Context, value: Any) -> str:
        return function(value, context["language"])

    return apply


FILTERS = {
    "money": formatting.format_money,
    "integer": formatting.format_integer,
    "date": formatting.format_date,
    "longdate": formatting.format_long_date,
    "moment": formatting.format_moment,
    "pct": formatting.format_percentage,
    "decimal": formatting.format_decimal,
    "hours": formatting.format_hours,
    "window_hours": formatting.format_window_hours,
}


@jinja2.pass_context
def translate(context: jinja2.runtime.Context, dutch: str, english: str) -> str:
    """Return the text in the letter's language: ``t("Geachte ...", "Dear ...")``."""
    return dutch if context["language"] == "nl" else english


@jinja2.pass_environment
def stylesheet(environment: jinja2.Environment, name: str) -> Markup:
    """Return a stylesheet's text to inline in ``<style>``, read through the template loader."""
    source, _, _ = environment.loader.get_source(environment, name)
    if "</" in source:
        raise LetterRenderError(f"{name} may not contain '</' (it would end the <style> element)")
    return Markup(source)  # noqa: S704  (our own stylesheet, from letters/ or its snapshot)


SVG_FORBIDDEN = re.compile(r"<script|<foreignobject|<!doctype|javascript:|href\s*=\s*[\"'](?!#)")


def inline_svg(svg: str) -> Markup:
    """Mark a chart's SVG (made by enforcement.metrics.charts) as safe to place inline.

    Only a self-contained drawing passes: no script, no foreign HTML, no link but to itself.
    """
    text = svg.strip()
    if not text.startswith("<svg") or SVG_FORBIDDEN.search(text.lower()):
        raise LetterRenderError("the chart is not a plain, self-contained inline <svg> element")
    return Markup(text)  # noqa: S704  (checked above; its URLs are refused by the fetcher)


def make_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    """Return the letters' Jinja environment over a loader (files, or a snapshot)."""
    environment = jinja2.Environment(
        loader=loader, undefined=jinja2.StrictUndefined, autoescape=True, auto_reload=True
    )
    environment.filters.update({name: _filter(f) for name, f in FILTERS.items()})
    environment.filters["svg"] = inline_svg
    environment.globals.update(t=translate, stylesheet=stylesheet)
    return environment


@cache
def file_environment() -> jinja2.Environment:
    """The environment over the files in letters/ (reloads a template when its file changes)."""
    return make_environment(jinja2.FileSystemLoader(LETTERS_DIR, encoding="utf-8"))


def template_name(kind: str, language: str) -> str:
    """Return the entry template of a kind: ``<kind>.<language>.html`` or ``<kind>.html``."""
    if language not in formatting.LANGUAGES:
        raise LetterRenderError(f"unknown letter language {language!r}")
    if not kind.replace("_", "").isalnum():
        raise LetterRenderError(f"not a letter kind: {kind!r}")
    for name in (f"{kind}.{language}.html", f"{kind}.html"):
        if (LETTERS_DIR / name).is_file():
            return name
    raise LetterRenderError(f"no template for letter kind {kind!r} in {LETTERS_DIR}")


def _referenced_templates(environment: jinja2.Environment, entry: str) -> dict[str, str]:
    """Return the text of a template and of every template it extends, includes or imports."""
    files: dict[str, str] = {}
    pending = [entry]
    while pending:
        name = pending.pop()
        if name in files:
            continue
        source, _, _ = environment.loader.get_source(environment, name)
        files[name] = source
        for referenced in jinja2.meta.find_referenced_templates(environment.parse(source)):
            if referenced is None:
                raise LetterRenderError(f"{name} names a template by a variable; name it plainly")
            pending.append(referenced)
    return files


def take_snapshot(kind: str, language: str) -> Snapshot:
    """Snapshot the current files a letter of this kind and language is rendered with."""
    entry = template_name(kind, language)
    files = _referenced_templates(file_environment(), entry)
    for path in sorted(LETTERS_DIR.rglob("*.css")):
        files[path.relative_to(LETTERS_DIR).as_posix()] = path.read_text(encoding="utf-8")
    assets = {
        path.relative_to(LETTERS_DIR).as_posix(): sha256_hex(path.read_bytes())
        for path in sorted(LETTERS_DIR.rglob("*"))
        if path.is_file() and path.suffix.lower() in ASSET_SUFFIXES
    }
    return Snapshot(entry, files, assets)


def template_source(kind: str, language: str) -> tuple[str, str]:
    """Return the snapshot text of the files a letter uses, and its SHA-256.

    Taken again only when a file under letters/ changed (its size or modification time): a
    snapshot reads, parses and hashes every template, stylesheet and font (about 13 ms).
    """
    return _cached_source(kind, language, letters_signature())


def letters_signature() -> tuple[tuple[str, int, int], ...]:
    """Return the name, size and modification time of every file under letters/."""
    files = [path for path in sorted(LETTERS_DIR.rglob("*")) if path.is_file()]
    return tuple((path.as_posix(), *stat_of(path)) for path in files)


def stat_of(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=64)
def _cached_source(kind: str, language: str, signature: tuple) -> tuple[str, str]:
    text = take_snapshot(kind, language).text()
    return text, sha256_hex(text)


def render_html(kind: str, language: str, context: dict[str, Any]) -> str:
    """Render a letter to HTML from the current files in letters/."""
    template = file_environment().get_template(template_name(kind, language))
    return template.render({**context, "language": language})


def render_snapshot(snapshot_text: str, context: dict[str, Any]) -> str:
    """Render a letter to HTML from a stored snapshot, not from the current files."""
    return _snapshot_template(snapshot_text).render(context)


def render_subject(snapshot_text: str, context: dict[str, Any]) -> str:
    """Return a letter's subject as plain text (its ``subject`` block), from its snapshot."""
    template = _snapshot_template(snapshot_text)
    block = template.blocks.get("subject")
    if block is None:
        return ""
    rendered = "".join(block(template.new_context(context)))
    text = Markup(rendered).striptags()  # noqa: S704  (our template's output, only read)
    return " ".join(text.split())


@lru_cache(maxsize=32)
def _snapshot_template(snapshot_text: str) -> jinja2.Template:
    """Compile a snapshot's entry template once per process (a snapshot never changes)."""
    snapshot = Snapshot.from_text(snapshot_text)
    environment = make_environment(jinja2.DictLoader(snapshot.files))
    return environment.get_template(snapshot.entry)


# -- PDF ----------------------------------------------------------------------------------------


class SvgStyleNoise(logging.Filter):
    """Drop WeasyPrint's "unknown property" warnings for an inline SVG's own style attributes.

    The HTML cascade also reads the style attributes of the chart's SVG elements and warns
    about properties that only SVG knows (the SVG renderer applies them). Dozens per letter
    would bury a real warning, such as one about our own stylesheet.
    """

    PATTERN = re.compile(r"Ignored `(fill|stroke|text-anchor|clip-path|opacity)[a-z-]*: ")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("unknown property" in message and self.PATTERN.match(message))


@cache
def _weasyprint():
    # Its progress ("Step 2 - Fetching and parsing CSS") is a handful of INFO lines a letter,
    # and three on import (its own stylesheets).
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint  # heavy: imported on the first render only

    logging.getLogger("weasyprint").addFilter(SvgStyleNoise())
    # A render makes hundreds of thousands of objects, so the collector's full passes come
    # often; each walked every object of the app, WeasyPrint and its fonts as well (about a
    # fifth of a letter's time). What exists now lives as long as the process: leave it out.
    gc.collect()
    gc.freeze()
    return weasyprint


def pdf_date(moment: datetime) -> datetime:
    """Return the moment as PDF metadata keeps it: UTC, whole seconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the letter's moment needs a time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


def render_pdf(
    html: str,
    *,
    kenmerk: str,
    created: datetime,
    attachments: list[tuple[str, bytes, str]],
    assets: dict[str, str] | None = None,
) -> bytes:
    """Render letter HTML to PDF/A-3b, embedding the attachments (name, data, description).

    Every date in the file is ``created`` (the letter's moment) and the file identifier comes
    from the kenmerk, so the same HTML always gives the same bytes. With ``assets`` (path to
    SHA-256, from a snapshot) a font or image that changed since then is refused.
    """
    weasyprint = _weasyprint()
    moment = pdf_date(created)
    url_fetcher = fetcher(assets)
    try:
        pdf = _write_pdf(weasyprint, html, url_fetcher, kenmerk, moment, attachments)
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise LetterRenderError(str(exc.__cause__ or exc)) from None
    if url_fetcher.refused:
        raise LetterRenderError(url_fetcher.refused[0])
    return pdf


def _write_pdf(weasyprint, html, url_fetcher, kenmerk, moment, attachments) -> bytes:
    base_url = LETTERS_DIR.as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render()
    stamp = moment.isoformat().replace("+00:00", "Z")
    document.metadata.created = document.metadata.modified = stamp
    files = [
        weasyprint.Attachment(string=data, name=name, description=description, created=moment,
                              modified=moment, relationship="Data")
        for name, data, description in attachments
    ]  # fmt: skip
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes the file.
        warnings.filterwarnings("ignore", r"unclosed file .*sRGB2014\.icc", ResourceWarning)
        return document.write_pdf(
            pdf_variant=PDF_VARIANT, pdf_identifier=kenmerk.encode(), attachments=files
        )
