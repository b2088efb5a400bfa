"""Alembic environment for Flask-Migrate: the app's engine and the models' metadata."""

import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

config = context.config

# create_app() (outside debug) and pytest set up logging already; the ini's would replace theirs.
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
target_metadata = target_db.metadata


def render_item(type_: str, obj, autogen_context) -> str | bool:
    """Render our own column types as the plain SQLAlchemy type they store.

    A migration must not import app code (``enforcement.core.time.UTCDateTime``): the models
    change, the migration stays as written. The stored type is the decorator's ``impl``.
    """
    if (
        type_ == "type"
        and isinstance(obj, sa.types.TypeDecorator)
        and type(obj).__module__.startswith("enforcement.")
    ):
        return f"sa.{obj.impl!r}"
    return False


def context_options(dialect_name: str) -> dict:
    """Return the options both modes share; Flask-Migrate's configure_args come first."""
    options = dict(current_app.extensions["migrate"].configure_args)
    options.update(
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=dialect_name == "sqlite",
        render_item=render_item,
    )
    return options


def skip_empty_autogenerate(context_, revision, directives) -> None:
    """Write no migration file when autogenerate finds no change."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    """Emit the migrations as SQL (``flask db upgrade --sql``) without connecting."""
    url = target_db.engine.url
    context.configure(url=url, literal_binds=True, **context_options(url.get_backend_name()))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations over a connection from the app's engine."""
    with target_db.engine.connect() as connection:
        options = context_options(connection.dialect.name)
        if options.get("process_revision_directives") is None:
            options["process_revision_directives"] = skip_empty_autogenerate
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
