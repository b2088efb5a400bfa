"""figures_by_hoster counts in the database; it must give exactly what compute_figures gives
over the same notices, edge cases included (run on SQLite and on PostgreSQL)."""

import random
from datetime import UTC, date, datetime, timedelta

from enforcement.metrics.figures import NoticeTimes, compute_figures
from enforcement.metrics.services import figures_by_hoster, window_bounds

AS_OF = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
FIRST, LAST = date(2026, 3, 1), date(2026, 3, 20)
HOUR = timedelta(hours=1)


def edge_cases() -> list[tuple[datetime, datetime | None, datetime | None]]:
    """Takedowns on and around 24, 48 and 72 hours, ties at rounding, ages at the limits."""
    sent = AS_OF - 100 * HOUR
    cases = [(sent, sent + limit * HOUR + delta, None)
             for limit in (24, 48, 72) for delta in (-timedelta(microseconds=1), timedelta(0),
                                                     timedelta(microseconds=1))]  # fmt: skip
    cases += [(AS_OF - age * HOUR - delta, None, None) for age in (24, 48, 72)
              for delta in (-timedelta(microseconds=1), timedelta(0))]  # fmt: skip
    cases += [
        (sent, sent + timedelta(minutes=75), None),  # 1.25 h: rounds half up to 1.3
        (sent, sent + timedelta(minutes=9), sent + 5 * HOUR),  # reappeared before as_of
        (sent, sent + HOUR, AS_OF + HOUR),  # reappears after as_of: not counted
        (AS_OF - 5 * HOUR, AS_OF + HOUR, None),  # offline after as_of: still online
        (AS_OF, AS_OF, None),  # sent at as_of exactly
        (AS_OF + HOUR, AS_OF + 2 * HOUR, None),  # sent after as_of: left out
    ]
    # Fractions at and around .9995 s, which SQLite's date functions may carry to the next
    # second: takedowns a microsecond either side of 24 hours and of a rounding tie (1.25 h).
    for micros in (999_499, 999_500, 999_501, 999_999):
        at = sent.replace(microsecond=micros)
        for delta in (-1, 0, 1, 500, 501):
            cases += [(at, at + limit + timedelta(microseconds=delta), None)
                      for limit in (24 * HOUR, timedelta(minutes=75))]  # fmt: skip
    return cases


def random_notices(rng: random.Random, count: int):
    start, end = window_bounds(FIRST, LAST)
    span = int((end - start).total_seconds())
    notices = []
    for _ in range(count):
        micros = rng.choice([0, rng.randrange(10**6)])
        sent = start + timedelta(
            seconds=rng.randrange(span + 2 * 86400) - 86400, microseconds=micros
        )
        offline = reappeared = None
        if rng.random() < 0.8:
            offline = sent + timedelta(seconds=rng.choice([60, 1800, 86400, 172800, 259200,
                                                           rng.randrange(14 * 86400)]))  # fmt: skip
            if rng.random() < 0.1:
                reappeared = offline + timedelta(hours=rng.randrange(200))
        notices.append((sent, offline, reappeared))
    return notices


def expected(moments, first_day=FIRST, last_day=LAST, as_of=AS_OF):
    start, end = window_bounds(first_day, last_day)
    inside = [NoticeTimes(*m) for m in moments if start <= m[0] < end and m[0] <= as_of]
    return compute_figures(inside, as_of) if inside else None


def test_database_figures_equal_the_pure_computation(session, create_hoster, add_notices):
    rng = random.Random(3)
    hosters = [create_hoster(n) for n in range(1, 6)]
    data = {hosters[0].id: edge_cases()}
    for count, hoster in zip([1, 2, 10, 70], hosters[1:], strict=True):  # ranks on small counts
        data[hoster.id] = random_notices(rng, count)
    for hoster in hosters:
        add_notices(hoster, data[hoster.id])
    for first_day, last_day, as_of in [(FIRST, LAST, AS_OF), (date(2026, 3, 16), LAST, AS_OF),
                                       (date(2026, 3, 19), LAST, AS_OF),  # under 72 h long
                                       (FIRST, date(2026, 3, 10), AS_OF),  # ends before as_of
                                       (FIRST, date(2026, 3, 10), AS_OF - 240 * HOUR)]:  # fmt: skip
        found = figures_by_hoster(session, first_day, last_day, as_of)
        want = {hid: expected(m, first_day, last_day, as_of) for hid, m in data.items()}
        assert found == {hid: figures for hid, figures in want.items() if figures is not None}
    only = figures_by_hoster(session, FIRST, LAST, AS_OF, hoster_ids=[hosters[4].id])
    assert list(only) == [hosters[4].id]
    assert figures_by_hoster(session, FIRST, LAST, AS_OF, hoster_ids=[]) == {}
