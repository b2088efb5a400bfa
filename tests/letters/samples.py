"""A warning letter's context from plain stand-ins for the case and notices (no database)."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from enforcement.letters.context import Measurement, warning_context
from enforcement.metrics.figures import NoticeTimes, compute_figures
from enforcement.metrics.policy import Thresholds
from enforcement.metrics.services import WeekFigures

AS_OF = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in Amsterdam
FIRST_DAY, LAST_DAY = date(2026, 1, 19), date(2026, 3, 1)
IMPROVEMENT_ENDS = date(2026, 4, 27)  # a Monday
LEGAL_NAME = "Traaghost Hosting B.V."


def sample_case(language: str = "nl") -> SimpleNamespace:
    hoster = SimpleNamespace(
        legal_name=LEGAL_NAME, trade_name="Traaghost", kvk="01234567", country="NL",
        formal_email="juridisch@traaghost.example.test",
        postal_address="Voorbeeldweg 1\n1000 AA Voorbeeldstad", language=language,
    )  # fmt: skip
    return SimpleNamespace(id=42, hoster=hoster, hoster_id=7)


def sample_notices(count: int) -> list[SimpleNamespace]:
    """Notices sent every 30 minutes before AS_OF; every 5th still online, the rest 30 h late."""
    notices = []
    for number in range(count):
        sent = AS_OF - timedelta(days=5, minutes=30 * (count - number))
        offline = None if number % 5 == 0 else sent + timedelta(hours=30, minutes=number % 60)
        notices.append(
            SimpleNamespace(id=number + 1, external_id=f"hl-{number + 1:05d}", ip="192.0.2.10",
                            url=f"https://files.example.test/c/{number + 1:05d}/img.jpg",
                            notice_sent_at=sent, offline_at=offline, reappeared_at=None)
        )  # fmt: skip
    return notices


def sample_measurement(notices: list[SimpleNamespace]) -> Measurement:
    times = [NoticeTimes(n.notice_sent_at, n.offline_at) for n in notices]
    figures = compute_figures(times, AS_OF)
    weeks = [
        WeekFigures(FIRST_DAY + timedelta(weeks=k), FIRST_DAY + timedelta(weeks=k, days=6),
                    compute_figures(times[k::6], AS_OF))
        for k in range(6)
    ]  # fmt: skip
    return Measurement(FIRST_DAY, LAST_DAY, AS_OF, figures, Thresholds(), weeks)


def sample_context(
    language: str = "nl", *, notices: int = 60, kenmerk: str | None = "ENF-2026-000123"
) -> dict:
    cited = sample_notices(notices)
    return warning_context(
        sample_case(language),
        sample_measurement(cited),
        cited,
        IMPROVEMENT_ENDS,
        language=language,
        letter_date=AS_OF,
        kenmerk=kenmerk,
    )
