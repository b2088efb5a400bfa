"""Kenmerken (reference numbers): ENF-2026-000123, one gap-free sequence per year.

The counter row is incremented by one atomic UPDATE ... RETURNING inside the issuing
transaction. The row stays locked until that transaction ends, so a second process issuing at
the same moment waits and then gets the next number; a rolled-back issue takes its increment
with it, so no number is burnt. The price: issues are serialised for the length of one render.
"""

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from enforcement.letters.models import KenmerkCounter

DEFAULT_KENMERK_PREFIX = "ENF"
PREFIX_PATTERN = re.compile(r"[A-Z][A-Z0-9]{0,15}")


def format_kenmerk(prefix: str, year: int, number: int) -> str:
    """Return the kenmerk text: ``ENF-2026-000123``."""
    return f"{prefix}-{year:04d}-{number:06d}"


def insert_if_absent(session: Session, model: type, key: str, **values: Any) -> None:
    """INSERT a row unless its key exists (ON CONFLICT DO NOTHING); racing inserts both pass."""
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"the letter register does not support {dialect}")
    session.execute(insert(model).values(**values).on_conflict_do_nothing(index_elements=[key]))


def next_kenmerk(session: Session, year: int, prefix: str = DEFAULT_KENMERK_PREFIX) -> str:
    """Take the year's next number in the caller's transaction and return the kenmerk."""
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise ValueError(f"a kenmerk prefix is 1-16 capital letters or digits, not {prefix!r}")
    insert_if_absent(session, KenmerkCounter, "year", year=year, last_value=0)
    number = session.execute(
        sa.update(KenmerkCounter)
        .where(KenmerkCounter.year == year)
        .values(last_value=KenmerkCounter.last_value + 1)
        .returning(KenmerkCounter.last_value)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return format_kenmerk(prefix, year, number)
