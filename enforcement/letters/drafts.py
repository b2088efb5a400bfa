"""Drafts filled from the database through the kinds' registry (enforcement.letters.kinds).

``draft_letter`` adds a draft of any kind; ``refresh_draft`` gathers a draft again, for the
moment it is about to be issued, so its deadlines count from that moment (Awb 2:17).
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Case
from enforcement.letters.kinds import get_kind
from enforcement.letters.models import Letter
from enforcement.letters.records import measure
from enforcement.letters.services import create_draft, update_draft

__all__ = ["draft_correction", "draft_letter", "draft_warning", "measure", "refresh_draft"]


def draft_letter(
    session: Session,
    case: Case,
    kind: str,
    *,
    actor: User,
    letter_date: date | datetime | None = None,
    now: datetime | None = None,
    **options: Any,
) -> Letter:
    """Draft a case's letter of a kind, in the hoster's language (options: see the kind)."""
    return get_kind(kind).draft(
        session, case, actor=actor, letter_date=letter_date, now=now, **options
    )


def source_options(letter: Letter) -> dict[str, Any]:
    """Return the options a letter was gathered with (its context keeps them as ISO text)."""
    return dict((letter.context.get("source") or {}).get("options") or {})


def refresh_draft(
    session: Session, letter: Letter, *, actor: User, letter_date: date | datetime
) -> Letter:
    """Gather a draft again with the options it was made with, dated ``letter_date``."""
    context = get_kind(letter.kind).context(
        session,
        letter.case,
        letter_date=letter_date,
        language=letter.language.value,
        **source_options(letter),
    )
    return update_draft(session, letter, context, actor=actor)


def draft_correction(session: Session, letter: Letter, *, actor: User, now: datetime) -> Letter:
    """Draft a correction of an issued letter: its kind gathered again from the case as it
    stands, with the options it was made with, citing the letter it replaces."""
    context = get_kind(letter.kind).context(
        session, letter.case, letter_date=now, language=letter.language.value,
        **source_options(letter),
    )  # fmt: skip
    return create_draft(session, letter.case, context, actor=actor, corrects=letter, now=now)


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
    return draft_letter(
        session,
        case,
        "warning",
        actor=actor,
        letter_date=letter_date,
        now=now,
        first_day=first_day,
        last_day=last_day,
        as_of=as_of,
        improvement_ends=improvement_ends,
    )
