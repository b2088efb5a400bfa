"""Fine category amounts as dated data: the maximum follows the table in force, staleness warns."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from enforcement.core.errors import Conflict, FieldErrors, PermissionDenied
from enforcement.fines.amounts import FineCategories, categories_on, maximum_fine, staleness
from enforcement.fines.models import FineCategoryAmounts
from enforcement.fines.services import add_categories, category_table, remove_categories
from tests.conftest import csrf_token_from

TABLE = [FineCategories(date(2018, 1, 1), Decimal("4150"), Decimal("830000"), "2018"),
         FineCategories(date(2024, 1, 1), Decimal("5150"), Decimal("1030000"), "2024")]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "systematic", "turnover", "maximum"),
    [
        (date(2023, 12, 31), False, None, "4150"),
        (date(2024, 1, 1), False, None, "5150"),
        (date(2024, 6, 1), True, None, "1030000"),
        (date(2024, 6, 1), True, Decimal("20000000"), "2000000.00"),  # 10% beats the 6th
    ],
)
def test_the_maximum_follows_the_amounts_in_force_that_day(day, systematic, turnover, maximum):
    categories = categories_on(TABLE, day)
    assert maximum_fine(categories, systematic=systematic, turnover_eur=turnover) == Decimal(
        maximum
    )


def test_no_amounts_known_for_a_day_is_an_error():
    with pytest.raises(ValueError, match="no fine category amounts"):
        categories_on(TABLE, date(2017, 12, 31))


@pytest.mark.parametrize(
    ("today", "stale"),
    [(date(2025, 6, 1), False), (date(2026, 1, 1), True), (date(2027, 12, 31), True)],
)
def test_the_table_is_stale_once_an_indexation_is_due_that_it_lacks(today, stale):
    assert (staleness(TABLE, today) is not None) == stale
    assert staleness([], today) is not None


def test_supervisors_add_and_remove_amounts_with_their_source(session, create_user):
    supervisor = create_user("supervisor")
    row = add_categories(session, effective_from=date(2024, 1, 1), second="5150",
                         sixth="1030000", source="Stb. 2023, 000", actor=supervisor)  # fmt: skip
    session.commit()
    assert [r.effective_from for r in category_table(session)] == [
        date(2018, 1, 1),
        row.effective_from,
    ]
    with pytest.raises(Conflict):
        add_categories(session, effective_from=date(2024, 1, 1), second="1", sixth="2",
                       source="again", actor=supervisor)  # fmt: skip
    session.rollback()
    with pytest.raises(FieldErrors):
        add_categories(session, effective_from=date(2026, 1, 1), second="6000", sixth="10",
                       source="", actor=supervisor)  # fmt: skip
    with pytest.raises(PermissionDenied):
        add_categories(session, effective_from=date(2026, 1, 1), second="6000", sixth="7000",
                       source="x", actor=create_user("officer"))  # fmt: skip
    remove_categories(session, row, reason="Typo in the 6th category", actor=supervisor)
    session.commit()
    assert [r.effective_from for r in category_table(session)] == [date(2018, 1, 1)]
    assert session.scalar(sa.select(sa.func.count()).select_from(FineCategoryAmounts)) == 2


def test_the_page_adds_amounts_for_a_supervisor_and_shows_the_warning(client, signed_in, session):
    signed_in("supervisor")
    page = client.get("/fines/").get_data(as_text=True)
    assert "may be out of date" in page and "EUR 830,000.00" in page
    response = client.post("/fines/", data={
        "csrf_token": csrf_token_from(page), "effective_from": "2026-01-01",
        "second": "6000", "sixth": "1200000", "source": "Stb. 2025, 000",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get("/fines/").get_data(as_text=True)
    assert "EUR 1,200,000.00" in page and "may be out of date" not in page
