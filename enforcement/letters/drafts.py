"""Drafts filled from the database through the kinds' registry (enforcement.letters.kinds).

``draft_letter`` adds a draft of any kind; ``draft_step_letter`` the letter a step waits for
(adopting a draft made beforehand); ``refresh_draft`` gathers a draft again, for the
moment it is about to be issued, so its deadlines count from that moment (Awb 2:17).
"""

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Case, PendingStep
from enforcement.letters.context import plain
from enforcement.letters.kinds import get_kind
from enforcement.letters.models import Letter, LetterStatus
from enforcement.letters.records import measure
from enforcement.letters.services import create_draft, update_draft

__all__ = [
    "adoptable_draft",
    "draft_correction",
    "draft_letter",
    "draft_step_letter",
    "draft_warning",
    "measure",
    "refresh_draft",
]


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


def draft_step_letter(
    session: Session,
    case: Case,
    kind: str,
    pending: PendingStep | None,
    *,
    actor: User,
    now: datetime,
    **options: Any,
) -> Letter:
    """Draft the letter of a step, or adopt a draft of it made beforehand (same kind, made
    with the same options, not yet any step's letter)."""
    letter_kind = get_kind(kind)
    existing = adoptable_draft(session, case, kind, letter_kind.take_options(options))
    if existing is None:
        return letter_kind.draft(session, case, actor=actor, letter_date=now, now=now,
                                 pending_step=pending, **options)  # fmt: skip
    context = letter_kind.context(session, case, letter_date=now,
                                  language=existing.language.value, **options)  # fmt: skip
    return update_draft(session, existing, context, actor=actor, pending_step=pending)


def adoptable_draft(
    session: Session, case: Case, kind: str, options: dict[str, Any]
) -> Letter | None:
    """Return the newest draft of this kind made with these options and tied to no step."""
    drafts = session.scalars(
        sa.select(Letter)
        .where(Letter.case_id == case.id, Letter.kind == kind, Letter.status == LetterStatus.DRAFT)
        .where(Letter.corrects_letter_id.is_(None), Letter.pending_step_id.is_(None))
        .order_by(Letter.id.desc())
    )
    wanted = options_key(options)
    for draft in drafts:
        if options_key(source_options(draft)) == wanted:
            return draft
    return None


def options_key(options: dict[str, Any]) -> str:
    """Options as given or as a stored context keeps them (ISO text), in one comparable form."""
    return json.dumps(plain(options), sort_keys=True)
