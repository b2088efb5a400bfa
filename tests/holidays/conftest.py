from datetime import date

import pytest

from enforcement.holidays.services import add_decreed_holiday

DECREE = "Besluit van 1 oktober 2025, nr. 2025000001"


@pytest.fixture
def create_decreed_holiday(session):
    """Factory: add a decreed holiday through the service and commit it."""

    def factory(day: date, name: str = "Friday after Ascension Day", decree: str = DECREE):
        holiday = add_decreed_holiday(session, day=day, name=name, decree=decree, actor=None)
        session.commit()
        return holiday

    return factory
