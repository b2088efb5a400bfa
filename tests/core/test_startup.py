"""The app refuses to serve outside debug or testing without a real SECRET_KEY."""

import pytest

from config import DEVELOPMENT_SECRET_KEY, Config
from enforcement import create_app


def production_config(**overrides) -> type:
    """Return a non-debug, non-testing config that touches no real database."""
    attrs = {"DEBUG": False, "TESTING": False, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    return type("ProductionConfig", (Config,), {**attrs, **overrides})


@pytest.mark.parametrize("secret", [None, "", DEVELOPMENT_SECRET_KEY])
def test_refuses_to_start_without_a_real_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(production_config(SECRET_KEY=secret))


def test_starts_with_a_real_secret_key():
    app = create_app(production_config(SECRET_KEY="a" * 64))
    assert not app.debug and not app.testing
    assert app.config["SECRET_KEY"] == "a" * 64


@pytest.mark.parametrize("flag", ["DEBUG", "TESTING"])
def test_development_key_is_allowed_in_debug_or_testing(flag):
    app = create_app(production_config(SECRET_KEY=DEVELOPMENT_SECRET_KEY, **{flag: True}))
    assert app.config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY
