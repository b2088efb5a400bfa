"""Fine categories of art. 23 Wetboek van Strafrecht, as dated data (indexed every few years).

The 2024 law (art. 8) caps the fine at the 2nd category, or for systematic or persistent
breach at the 6th category or 10% of the previous year's turnover when that is higher.
A new indexation is one more row here, with the date it takes effect.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class FineCategories:
    effective_from: date
    second: Decimal
    sixth: Decimal


# 2018 indexation (verified, see shared/docs/domain.md); add later ones as they are published.
FINE_CATEGORY_TABLE = (FineCategories(date(2018, 1, 1), Decimal("4150.00"), Decimal("830000.00")),)
TURNOVER_SHARE = Decimal("0.10")


def categories_on(day: date) -> FineCategories:
    """Return the category amounts in force on a day."""
    in_force = [row for row in FINE_CATEGORY_TABLE if row.effective_from <= day]
    if not in_force:
        raise ValueError(f"no fine categories are known for {day}")
    return max(in_force, key=lambda row: row.effective_from)


def maximum_fine(day: date, *, systematic: bool, turnover_eur: Decimal | None) -> Decimal:
    """Return the highest fine allowed on a day for a case (art. 8 of the 2024 law)."""
    categories = categories_on(day)
    if not systematic:
        return categories.second
    share = (turnover_eur or Decimal(0)) * TURNOVER_SHARE
    return max(categories.sixth, share.quantize(Decimal("0.01")))
