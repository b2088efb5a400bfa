"""The maximum fine of art. 8 of the 2024 law, from the fine categories of art. 23 Sr (pure).

The 2024 law caps the fine at the 2nd category, or for systematic or persistent breach at the
6th category or 10% of the previous year's turnover when that is higher. The category amounts
are dated data (enforcement.fines), indexed every two years (art. 23(9) Sr): the callers pass
the table in force.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

TURNOVER_SHARE = Decimal("0.10")
INDEXATION_YEARS = 2  # art. 23(9) Sr: every two years, from 1 January


@dataclass(frozen=True)
class FineCategories:
    effective_from: date
    second: Decimal
    sixth: Decimal
    source: str = ""


def categories_on(table: Sequence[FineCategories], day: date) -> FineCategories:
    """Return the category amounts in force on a day; ValueError when none is known."""
    in_force = [row for row in table if row.effective_from <= day]
    if not in_force:
        raise ValueError(f"no fine category amounts are known for {day}")
    return max(in_force, key=lambda row: row.effective_from)


def maximum_fine(
    categories: FineCategories, *, systematic: bool, turnover_eur: Decimal | None
) -> Decimal:
    """Return the highest fine allowed for a case under these category amounts (art. 8)."""
    if not systematic:
        return categories.second
    share = (turnover_eur or Decimal(0)) * TURNOVER_SHARE
    return max(categories.sixth, share.quantize(Decimal("0.01")))


def staleness(table: Sequence[FineCategories], today: date) -> str | None:
    """Return a warning when the table may miss the latest indexation (None when current).

    Indexations take effect on 1 January of even years (2018, 2020, ...); one due this year
    or earlier should be in the table.
    """
    due_year = today.year - (today.year % INDEXATION_YEARS)
    latest = max(table, key=lambda row: row.effective_from, default=None)
    if latest is not None and latest.effective_from >= date(due_year, 1, 1):
        return None
    if latest is not None:
        day = latest.effective_from
        known = f"the latest are those from {day.day} {day:%B %Y} ({latest.source})"
    else:
        known = "none are known"
    return (
        f"The fine category amounts may be out of date: {known}. Art. 23(9) Sr indexes them "
        f"every two years, last on 1 January {due_year}: check the Staatsblad and add the "
        "amounts in force before deciding on a fine."
    )
