"""Languages of the pages: Flask-Babel with Dutch as the default and English by choice.

A view (or a blueprint's URL processor) puts the language it serves in ``g.lang``. The public
pages take it from their URL (Dutch by default), so a cached page never depends on a cookie. The
staff pages have no catalog yet and are written in English, so a request that chose no language
gets English (WTForms' messages included); when their Dutch catalog exists, they set ``g.lang``
from the user's choice the same way and STAFF_LANGUAGE becomes "nl".
"""

from flask import Flask, g

from config import BASE_DIR

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
STAFF_LANGUAGE = "en"
TRANSLATIONS = BASE_DIR / "translations"


def select_locale() -> str:
    """Return the language of this request: the one the view chose, or the staff pages'."""
    lang = g.get("lang")
    return lang if lang in LANGUAGES else STAFF_LANGUAGE


def init_babel(app: Flask) -> None:
    """Bind Flask-Babel to the app with the catalogs in translations/."""
    from enforcement.extensions import babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
