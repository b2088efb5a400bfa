"""Drafts filled from the database: gather what a kind needs, build its context, add the draft.

Adding a kind is a template in letters/, a context function in letters.context, and a
function here that gathers its data.
"""

from datetime import date, datetime

from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Case
from enforcement.letters.context import Measurement, warning_context
from enforcement.letters.models import Letter
from enforcement.letters.services import create_draft
from enforcement.metrics.services import hoster_notices_query, hoster_overview
from enforcement.notices.models import Notice


def measure(
    session: Session, case: Case, first_day: date, last_day: date, as_of: datetime
) -> tuple[Measurement, list[Notice]]:
    """Return the case's hoster's figures for a window, and the notices that missed 24 hours."""
    overview = hoster_overview(session, case.hoster_id, first_day, last_day, as_of)
    measurement = Measurement(
        first_day, last_day, as_of, overview.figures, overview.thresholds, overview.weeks
    )
    query = hoster_notices_query(session, case.hoster_id, first_day, last_day, as_of, "over24")
    notices = list(session.scalars(query.order_by(None).order_by(Notice.notice_sent_at, Notice.id)))
    return measurement, notices


def draft_warning(
    session: Session,
    case: Case,
    *,
    actor: User,
    first_day: date,
    last_day: date,
    as_of: datetime,
    improvement_ends: date | datetime,
    letter_date: date | datetime,
    now: datetime | None = None,
) -> Letter:
    """Draft a case's warning letter from the figures of a window, in the hoster's language."""
    measurement, notices = measure(session, case, first_day, last_day, as_of)
    context = warning_context(
        case,
        measurement,
        notices,
        improvement_ends,
        language=case.hoster.language.value,
        letter_date=letter_date,
        kenmerk=None,
    )
    return create_draft(session, case, context, actor=actor, now=now)
