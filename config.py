"""Configuration read from environment variables, with safe defaults."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A value that marks "no real secret configured"; the app refuses to serve with it in production.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'enforcement.sqlite'}"
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants a driver too.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


class Config:
    """Settings for a running app; every value can come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None

    DISPLAY_TIMEZONE = "Europe/Amsterdam"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies outside debug; a plain-http local run sets SESSION_COOKIE_SECURE=false.
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", not _env_bool("FLASK_DEBUG", False))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # A session ends after this long without a request, and this long after sign-in at most.
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = SESSION_MAX_HOURS * 3600

    # Sign-in throttling, kept in the database so it holds across app processes.
    SIGNIN_MAX_FAILURES = _env_int("SIGNIN_MAX_FAILURES", 5)
    SIGNIN_LOCKOUT_MINUTES = _env_int("SIGNIN_LOCKOUT_MINUTES", 15)

    # Rate limits (Flask-Limiter), counted in RATELIMIT_STORAGE_URI: memory:// counts per
    # process; with several processes use Redis, e.g. redis://127.0.0.1:6379.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "enforcement"
    SIGNIN_RATE_LIMIT_CLIENT = os.environ.get("SIGNIN_RATE_LIMIT_CLIENT") or "20/minute;200/hour"
    SIGNIN_RATE_LIMIT_ADDRESS = os.environ.get("SIGNIN_RATE_LIMIT_ADDRESS") or "10/minute;60/hour"
    API_RATE_LIMIT_TOKEN = os.environ.get("API_RATE_LIMIT_TOKEN") or "120/minute"
    API_RATE_LIMIT_CLIENT = os.environ.get("API_RATE_LIMIT_CLIENT") or "240/minute"
    # Reverse proxies in front of the app whose X-Forwarded-For and -Proto are believed; 0: none.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # The monitor counts content as offline after this many failed checks in a row.
    CHECK_FAILURES_FOR_OFFLINE = _env_int("CHECK_FAILURES_FOR_OFFLINE", 3)

    # Request bodies are refused above this size; the notice upload page allows its own limit.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
    NOTICE_UPLOAD_MAX_BYTES = _env_int("NOTICE_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)

    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a method name, not a password)

    # Keys the case event chains, the issue records of letters and the audit checkpoints
    # (HMAC-SHA256). Keep it outside the database and its backups; without it new records are
    # hashed unkeyed and `flask audit checkpoint` refuses to run.
    AUDIT_KEY = os.environ.get("AUDIT_KEY") or None

    # Kenmerken of issued letters: PREFIX-YEAR-NUMBER, e.g. ENF-2026-000123.
    LETTER_KENMERK_PREFIX = os.environ.get("LETTER_KENMERK_PREFIX") or "ENF"
    # Who signs issued letters under mandate (Awb 10:10), "namens" the authority, per language.
    LETTER_SIGNATORY = {
        "nl": os.environ.get("LETTER_SIGNATORY_NL") or "het hoofd van de afdeling Handhaving",
        "en": os.environ.get("LETTER_SIGNATORY_EN") or "the head of the Enforcement department",
    }

    # Seconds a process keeps a rendered public page while the data it was made from holds.
    PUBLIC_CACHE_SECONDS = _env_int("PUBLIC_CACHE_SECONDS", 60)
    # Dispatch: the mail server issued letters go out through (none configured: they wait in
    # the outbox). SMTP_STARTTLS is auto (when offered), true (required) or false.
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = _env_int("SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or ""
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or ""
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS") or "auto"
    MAIL_FROM = os.environ.get("MAIL_FROM") or "ATKM Handhaving <handhaving@atkm.example.test>"
    # Where the demo's catch-all mail server keeps what it received (one .eml file per message).
    CATCHALL_MAIL_DIR = os.environ.get("CATCHALL_MAIL_DIR") or str(INSTANCE_DIR / "mail")

    HOSTERS_PER_PAGE = 25
    USERS_PER_PAGE = 50


class TestConfig(Config):
    """Settings for the test suite: in-memory SQLite unless TEST_DATABASE_URL says otherwise."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    SIGNIN_MAX_FAILURES = 5
    SIGNIN_LOCKOUT_MINUTES = 15
    # No mail goes out unless a test starts its own server and names it; jobs run at once.
    SMTP_HOST = None
    JOBS_IMMEDIATE = True
    AUDIT_KEY = "test-audit-key"
    # Hundreds of users are created per run; scrypt's deliberate cost would dominate the suite.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105
    PUBLIC_CACHE_SECONDS = 0  # every request computes its page; a test turns the cache on
