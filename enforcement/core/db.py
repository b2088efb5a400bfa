"""Column types shared by the models."""

from enum import StrEnum

import sqlalchemy as sa


def enum_column(enum_class: type[StrEnum], name: str) -> sa.Enum:
    """Return an Enum type stored by value with a CHECK constraint, on SQLite and PostgreSQL."""
    return sa.Enum(
        enum_class,
        name=name,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=20,
    )


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys unless asked per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
