"""Case management for administrative notice-and-takedown enforcement."""

import logging

from flask import Flask

from config import DEVELOPMENT_SECRET_KEY, INSTANCE_DIR, Config


def create_app(config_class: type = Config) -> Flask:
    """Build the app; touches no database."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config_class)
    refuse_insecure_secret(app)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_access_guard(app)
    register_errors_and_templates(app)
    register_cli(app)
    register_background_jobs(app)
    return app


def register_background_jobs(app: Flask) -> None:
    """Send the outbox through the job queue once a transaction that added to it commits."""
    from enforcement.jobs import register_jobs

    register_jobs(app)


def refuse_insecure_secret(app: Flask) -> None:
    """Refuse to serve in production without a real SECRET_KEY."""
    if app.debug or app.testing:
        return
    if not app.config.get("SECRET_KEY") or app.config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY:
        raise RuntimeError(
            "SECRET_KEY is not set. Set it in the environment to a long random value, e.g. "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )


def register_extensions(app: Flask) -> None:
    import enforcement.models  # noqa: F401  (every table on the metadata)
    from enforcement.core.i18n import init_babel
    from enforcement.extensions import csrf, db, limiter, login_manager, migrate

    trust_proxies(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(INSTANCE_DIR.parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    init_babel(app)
    limiter.init_app(app)
    from enforcement.auth import login, services  # noqa: F401  (login registers the user loader)

    services.password_hash_method = app.config["PASSWORD_HASH_METHOD"]
    from enforcement.core import sealing

    sealing.configure(app.config.get("AUDIT_KEY"))


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address and scheme from them."""
    if hops := app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_url_converters(app: Flask) -> None:
    from enforcement.core.web import RowIdConverter

    app.url_map.converters["int"] = RowIdConverter


def register_blueprints(app: Flask) -> None:
    from enforcement.auth.views import bp as auth_bp
    from enforcement.cases.views import bp as cases_bp
    from enforcement.fines.views import bp as fines_bp
    from enforcement.holidays.views import bp as holidays_bp
    from enforcement.hosters.views import bp as hosters_bp
    from enforcement.letters.views import bp as letters_bp
    from enforcement.metrics.views import bp as metrics_bp
    from enforcement.notices.api import bp as api_bp
    from enforcement.notices.views import bp as notices_bp
    from enforcement.orders.api import bp as orders_api_bp
    from enforcement.orders.views import bp as orders_bp
    from enforcement.public.staff_views import bp as public_staff_bp
    from enforcement.public.views import bp as public_bp
    from enforcement.sanctions.views import bp as sanctions_bp
    from enforcement.users.views import bp as users_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(hosters_bp, url_prefix="/hosters")
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(notices_bp, url_prefix="/notices")
    app.register_blueprint(metrics_bp)
    app.register_blueprint(orders_api_bp, url_prefix="/api/v1/orders")
    app.register_blueprint(orders_bp, url_prefix="/orders")
    app.register_blueprint(cases_bp, url_prefix="/cases")
    app.register_blueprint(letters_bp, url_prefix="/letters")
    app.register_blueprint(holidays_bp, url_prefix="/holidays")
    app.register_blueprint(fines_bp, url_prefix="/fines")
    app.register_blueprint(sanctions_bp, url_prefix="/sanctions")
    app.register_blueprint(users_bp, url_prefix="/admin/users")
    app.register_blueprint(public_bp, url_prefix="/public")
    app.register_blueprint(public_staff_bp, url_prefix="/cases")


def register_access_guard(app: Flask) -> None:
    from enforcement.core.web import (
        guard_access,
        no_store_for_staff,
        refuse_bad_input,
        security_headers,
    )

    app.before_request(refuse_bad_input)
    app.before_request(guard_access)
    app.after_request(no_store_for_staff)
    app.after_request(security_headers)


def register_errors_and_templates(app: Flask) -> None:
    from enforcement.core.web import register_error_handlers, register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)


def register_cli(app: Flask) -> None:
    from enforcement.cli import register_commands

    register_commands(app)
