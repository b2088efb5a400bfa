"""Art. 9 publication as a pure function of dated facts, at its boundaries."""

from datetime import UTC, date, datetime, timedelta

import pytest

from enforcement.public.art9 import (
    Appealed,
    DecisionFacts,
    LegalStatus,
    Objected,
    PublicationStatus,
    Relief,
    earliest_publication,
    legal_status,
    publication,
)

SECOND = timedelta(seconds=1)
# Made known Monday 2 March 2026 at 10:00 UTC (11:00 in Amsterdam); objection term to 13 April.
MADE_KNOWN = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
# The two weeks run 3 to 16 March; publication from Tuesday 17 March, 00:00 Amsterdam (CET).
EARLIEST = datetime(2026, 3, 16, 23, 0, tzinfo=UTC)
TERM_ENDS = date(2026, 4, 13)


def facts(**kwargs) -> DecisionFacts:
    return DecisionFacts(made_known_at=MADE_KNOWN, objection_term_ends=TERM_ENDS, **kwargs)


@pytest.mark.parametrize(
    "made_known, earliest",
    [
        (MADE_KNOWN, EARLIEST),
        # 23:30 in Amsterdam is still Monday 2 March there, though it is 22:30 UTC.
        (datetime(2026, 3, 2, 22, 30, tzinfo=UTC), EARLIEST),
        # 00:30 in Amsterdam on Tuesday 3 March (23:30 UTC on the 2nd): one day later.
        (datetime(2026, 3, 2, 23, 30, tzinfo=UTC), EARLIEST + timedelta(days=1)),
        # Across the change to summer time (29 March): midnight CEST is 22:00 UTC.
        (datetime(2026, 3, 20, 9, 0, tzinfo=UTC), datetime(2026, 4, 3, 22, 0, tzinfo=UTC)),
        # The wait never moves for a weekend: made known Friday, published from a Saturday.
        (datetime(2026, 5, 1, 9, 0, tzinfo=UTC), datetime(2026, 5, 15, 22, 0, tzinfo=UTC)),
    ],
)
def test_earliest_publication_is_midnight_after_two_weeks_from_the_day(made_known, earliest):
    assert earliest_publication(made_known) == earliest


def test_published_exactly_when_the_two_weeks_are_over():
    assert publication(facts(), EARLIEST - SECOND).status == PublicationStatus.WAITING
    published = publication(facts(), EARLIEST)
    assert published.status == PublicationStatus.PUBLISHED and published.published_at == EARLIEST


def test_a_pending_relief_request_suspends_until_the_ruling():
    requested = MADE_KNOWN + timedelta(days=10)
    pending = facts(reliefs=(Relief(requested, "pending"),))
    assert publication(pending, EARLIEST + timedelta(days=30)).status == "suspended"
    ruled = EARLIEST + timedelta(days=5)
    refused = facts(reliefs=(Relief(requested, "refused", ruled),))
    assert publication(refused, ruled - SECOND).status == PublicationStatus.SUSPENDED
    after = publication(refused, ruled)
    assert after.status == PublicationStatus.PUBLISHED and after.published_at == ruled


def test_a_withdrawn_relief_request_lets_publication_go_ahead_at_once():
    withdrawn = MADE_KNOWN + timedelta(days=12)
    relief = Relief(MADE_KNOWN + timedelta(days=10), "withdrawn", withdrawn)
    # Withdrawn before the two weeks ended: publication waits only for the two weeks.
    assert publication(facts(reliefs=(relief,)), EARLIEST).published_at == EARLIEST


def test_a_granted_relief_keeps_the_decision_off():
    relief = Relief(MADE_KNOWN + timedelta(days=3), "granted", MADE_KNOWN + timedelta(days=20))
    result = publication(facts(reliefs=(relief,)), EARLIEST + timedelta(days=60))
    assert result.status == PublicationStatus.SUSPENDED and result.published_at is None


def test_a_relief_request_after_publication_takes_it_down_while_pending():
    requested, ruled = EARLIEST + timedelta(days=3), EARLIEST + timedelta(days=9)
    relief = facts(reliefs=(Relief(requested, "refused", ruled),))
    assert publication(relief, requested - SECOND).status == PublicationStatus.PUBLISHED
    assert publication(relief, requested).status == PublicationStatus.SUSPENDED
    back = publication(relief, ruled)
    assert back.status == PublicationStatus.PUBLISHED and back.published_at == EARLIEST


def test_revoked_before_publication_is_never_shown():
    revoked = facts(revoked_at=EARLIEST - SECOND)
    assert publication(revoked, EARLIEST + timedelta(days=1)).status == PublicationStatus.NEVER


def test_revoked_after_publication_is_withdrawn_from_that_moment():
    revoked_at = EARLIEST + timedelta(days=20)
    revoked = facts(revoked_at=revoked_at)
    assert publication(revoked, revoked_at - SECOND).status == PublicationStatus.PUBLISHED
    gone = publication(revoked, revoked_at)
    assert gone.status == PublicationStatus.WITHDRAWN
    assert (gone.published_at, gone.withdrawn_at) == (EARLIEST, revoked_at)
    assert legal_status(revoked, revoked_at) == LegalStatus.REVOKED


def test_annulled_on_appeal_is_withdrawn():
    judgment = EARLIEST + timedelta(days=200)
    annulled = facts(objections=(Objected(date(2026, 3, 20), "rejected"),),
                     appeals=(Appealed(date(2026, 6, 1), "annulled", judgment),))  # fmt: skip
    assert legal_status(annulled, judgment - SECOND) == LegalStatus.APPEAL_PENDING
    assert publication(annulled, judgment).status == PublicationStatus.WITHDRAWN
    assert legal_status(annulled, judgment) == LegalStatus.ANNULLED


def at_day(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    "objections, appeals, now, expected",
    [
        ((), (), at_day(TERM_ENDS, 20), LegalStatus.OBJECTION_POSSIBLE),  # 22:00 in Amsterdam
        ((), (), at_day(TERM_ENDS, 22), LegalStatus.NO_OBJECTION),  # 00:00 the day after
        ((Objected(date(2026, 4, 1), "pending"),), (), at_day(date(2026, 5, 1)),
         LegalStatus.OBJECTION_PENDING),
        # An objection received later than today is not known yet.
        ((Objected(date(2026, 4, 1), "pending"),), (), at_day(date(2026, 3, 31)),
         LegalStatus.OBJECTION_POSSIBLE),
        ((Objected(date(2026, 4, 1), "rejected"),), (), at_day(date(2026, 6, 1)),
         LegalStatus.APPEAL_POSSIBLE),
        ((Objected(date(2026, 4, 1), "withdrawn"),), (), at_day(date(2026, 6, 1)),
         LegalStatus.OBJECTION_WITHDRAWN),
        ((Objected(date(2026, 4, 1), "inadmissible"),), (Appealed(date(2026, 6, 1), "pending"),),
         at_day(date(2026, 6, 2)), LegalStatus.APPEAL_PENDING),
        ((Objected(date(2026, 4, 1), "rejected"),),
         (Appealed(date(2026, 6, 1), "dismissed", at_day(date(2026, 9, 1))),),
         at_day(date(2026, 9, 1)), LegalStatus.APPEAL_DISMISSED),
    ],
)  # fmt: skip
def test_objection_and_appeal_status(objections, appeals, now, expected):
    assert legal_status(facts(objections=objections, appeals=appeals), now) == expected
