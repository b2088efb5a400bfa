from datetime import datetime

import pytest

from enforcement.notices.importing import get_or_create_source
from enforcement.notices.models import Notice
from tests.hosters.conftest import create_hoster  # noqa: F401  (fixture)


@pytest.fixture
def add_notices(session):
    """Factory: store notices for a hoster from (sent, offline, reappeared) moments."""
    counter = iter(range(1, 1_000_000))

    def factory(hoster, moments: list[tuple[datetime, datetime | None, datetime | None]]):
        source = get_or_create_source(session, "hotline")
        for sent, offline, reappeared in moments:
            number = next(counter)
            session.add(
                Notice(source_id=source.id, external_id=f"n{number}", hoster_id=hoster.id,
                       url=f"https://files.example.test/{number}.jpg", ip="192.0.2.1",
                       notice_sent_at=sent, offline_at=offline, reappeared_at=reappeared)
            )  # fmt: skip
        session.commit()

    return factory
