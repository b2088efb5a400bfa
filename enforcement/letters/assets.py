"""What a letter may load while it renders: files under letters/, and nothing else.

A letter is evidence: what it shows must come from the project, never from the network or
from elsewhere on the machine. The fetcher serves fonts and images under ``letters/`` and
stops the render with a clear error for any other URL (http, https, data, file outside).
"""

import hashlib
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

LETTERS_DIR = Path(__file__).resolve().parents[2] / "letters"
# Binary files a letter may load; their hashes go into a template snapshot.
ASSET_SUFFIXES = frozenset({".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".gif"})


class LetterRenderError(RuntimeError):
    """A letter cannot be rendered: a template, an asset or a URL it names is not allowed."""


def local_asset(url: str) -> Path:
    """Return the file under letters/ that a file: URL names; LetterRenderError otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        shown = url if len(url) <= 80 else url[:77] + "..."
        raise LetterRenderError(
            f"letters load nothing from outside the project; refused {shown!r}"
            " (put the file under letters/)"
        )
    if parts.netloc not in ("", "localhost"):
        raise LetterRenderError(f"refused {url!r}: a file on another host")
    path = Path(url2pathname(parts.path)).resolve()
    root = LETTERS_DIR.resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise LetterRenderError(f"refused {url!r}: letters may only use files under {root}")
    if path.suffix.lower() not in ASSET_SUFFIXES:
        raise LetterRenderError(f"refused {url!r}: not a font or an image")
    return path


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # lazy: heavy to import

    class LetterAssetFetcher(URLFetcher):
        """Serve files under letters/ only; with expected hashes, refuse one that changed."""

        def __init__(self, expected: dict[str, str] | None):
            super().__init__(allowed_protocols=("file",), fail_on_errors=True)
            self.expected = expected
            # WeasyPrint swallows some failures (an SVG's image): the caller checks this list.
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                path, data = self._load(url)
            except LetterRenderError as exc:
                self.refused.append(str(exc))
                raise
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

        def _load(self, url: str) -> tuple[Path, bytes]:
            path = local_asset(url)
            data = path.read_bytes()
            if self.expected is not None:
                name = path.relative_to(LETTERS_DIR.resolve()).as_posix()
                if self.expected.get(name) != hashlib.sha256(data).hexdigest():
                    raise LetterRenderError(f"{name} is not the file the letter was made with")
            return path, data

    return LetterAssetFetcher


def fetcher(expected_assets: dict[str, str] | None = None):
    """Return a WeasyPrint URL fetcher confined to letters/ (checking hashes when given)."""
    return _fetcher_class()(expected_assets)
