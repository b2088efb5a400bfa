"""The real PDF tools the letter tests read PDFs with: poppler-utils and qpdf."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOOLS = ("pdftotext", "pdfinfo", "pdfdetach", "qpdf")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
needs_pdf_tools = pytest.mark.skipif(
    bool(MISSING), reason=f"install poppler-utils and qpdf (missing: {', '.join(MISSING)})"
)


def run(*args: str) -> subprocess.CompletedProcess:
    # The tools are named here and the arguments are file paths this module made.
    return subprocess.run(args, capture_output=True, check=False, timeout=60)  # noqa: S603


def _with_file(pdf: bytes, action):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "letter.pdf"
        path.write_bytes(pdf)
        return action(path, Path(directory))


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's text (pdftotext), whitespace collapsed to single spaces."""
    result = _with_file(pdf, lambda path, _: run("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert result.returncode == 0, result.stderr
    pages = result.stdout.decode().split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


def qpdf_check(pdf: bytes) -> subprocess.CompletedProcess:
    return _with_file(pdf, lambda path, _: run("qpdf", "--check", str(path)))


def info(pdf: bytes) -> dict[str, str]:
    """Return pdfinfo's fields."""
    result = _with_file(pdf, lambda path, _: run("pdfinfo", str(path)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def xmp(pdf: bytes) -> str:
    """Return the XMP metadata stream (pdfinfo -meta)."""
    result = _with_file(pdf, lambda path, _: run("pdfinfo", "-meta", str(path)))
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def uncompressed(pdf: bytes) -> bytes:
    """Return the PDF rewritten by qpdf with every stream and object stream uncompressed."""

    def action(path: Path, directory: Path) -> bytes:
        target = directory / "qdf.pdf"
        result = run("qpdf", "--qdf", "--object-streams=disable", str(path), str(target))
        assert result.returncode == 0, result.stderr
        return target.read_bytes()

    return _with_file(pdf, action)


def attachments(pdf: bytes) -> tuple[list[str], dict[str, bytes]]:
    """Return the embedded files pdfdetach lists, and their contents (pdfdetach -saveall)."""

    def action(path: Path, directory: Path):
        listed = run("pdfdetach", "-list", str(path))
        assert listed.returncode == 0, listed.stderr
        names = [line.split(": ", 1)[1] for line in listed.stdout.decode().splitlines()[1:]]
        out = directory / "attachments"
        out.mkdir()
        saved = run("pdfdetach", "-saveall", "-o", str(out), str(path))
        assert saved.returncode == 0, saved.stderr
        return names, {file.name: file.read_bytes() for file in out.iterdir()}

    return _with_file(pdf, action)
