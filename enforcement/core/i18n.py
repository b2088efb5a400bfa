"""Languages of the pages: Flask-Babel with Dutch as the default and English by choice.

A view (or a blueprint's URL processor) puts the language it serves in ``g.lang``; without one
the default applies. The public pages take it from their URL, so a cached page never depends on
a cookie; the staff pages can set it from the user's choice the same way.
"""

from flask import Flask, g

from config import BASE_DIR

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
TRANSLATIONS = BASE_DIR / "translations"


def select_locale() -> str:
    """Return the language of this request: the one the view chose, or the default."""
    lang = g.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def init_babel(app: Flask) -> None:
    """Bind Flask-Babel to the app with the catalogs in translations/."""
    from enforcement.extensions import babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
