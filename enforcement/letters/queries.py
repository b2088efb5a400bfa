"""Read-only queries for the letter pages: the register, a case's letters, what can be drafted.

Drafts are gathered through the registry ``enforcement.letters.kinds.KINDS``; a kind the ladder
names but the registry does not know yet is listed and filtered on, never offered for drafting.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, defer, selectinload

from enforcement.auth.models import User
from enforcement.cases.ladder import Stage, Trigger, stage_after
from enforcement.cases.models import Case, PendingStep
from enforcement.cases.steps import STEPS
from enforcement.core.errors import NotFound
from enforcement.hosters.models import Hoster
from enforcement.letters.context import REMOVAL_ORDER_KIND
from enforcement.letters.kinds import KINDS
from enforcement.letters.models import Letter, LetterStatus
from enforcement.letters.services import DRAFTERS
from enforcement.metrics.services import window_bounds

# Every kind the ladder names a letter for (enforcement.cases.ladder.STEPS), in ladder order.
LADDER_KINDS = tuple(dict.fromkeys(step.letter for step in STEPS.values() if step.letter))
# The letter a case at each stage needs: at `notice` the warning (the step it waits for),
# otherwise the letter of the step that led to the stage. Going back after an upheld objection
# or reopening needs no new letter of the stage returned to, so REVOKE and REOPEN are left out.
STAGE_LETTERS: dict[Stage, str] = {
    Stage.NOTICE: "warning",
    **{
        stage_after(trigger): step.letter
        for trigger, step in STEPS.items()
        if step.letter and trigger not in (Trigger.REVOKE, Trigger.REOPEN)
    },
}


def letter_kinds() -> tuple[str, ...]:
    """Return every letter kind: the ladder's, then any more the registry knows."""
    return tuple(dict.fromkeys([*LADDER_KINDS, *KINDS, REMOVAL_ORDER_KIND]))


def can_draft(kind: str) -> bool:
    """Return whether a page can draft this kind from the case alone (no options to ask for)."""
    return kind in KINDS and not KINDS[kind].required


def can_regenerate(kind: str) -> bool:
    """Return whether a draft of this kind can be gathered again from the data."""
    return kind in KINDS


# Issued letters by the moment they were issued, drafts by the moment they were made.
NEWEST_FIRST = (sa.func.coalesce(Letter.issued_at, Letter.created_at).desc(), Letter.id.desc())


# A listing shows no letter's content: its context (which may cite thousands of notices) stays
# in the database, and reading it by mistake raises rather than loading row by row.
LISTING = defer(Letter.context, raiseload=True)


# The register -----------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def letters_query(
    *,
    kind: str = "",
    hoster: str = "",
    stage: str = "",
    status: str = "",
    date_field: str = "created",
    first_day: date | None = None,
    last_day: date | None = None,
) -> sa.Select:
    """Return the register's query, filtered (values already checked); the newest first."""
    query = (
        sa.select(Letter)
        .join(Hoster, Hoster.id == Letter.hoster_id)
        .outerjoin(Case, Case.id == Letter.case_id)
        .options(
            contains_eager(Letter.hoster),
            contains_eager(Letter.case),
            selectinload(Letter.issued_by),
            LISTING,
        )
    )
    if kind:
        query = query.where(Letter.kind == kind)
    if hoster:
        pattern = _like(hoster)
        query = query.where(
            sa.or_(
                sa.func.lower(Hoster.trade_name).like(pattern, escape="\\"),
                sa.func.lower(Hoster.legal_name).like(pattern, escape="\\"),
            )
        )
    if stage:
        query = query.where(Case.stage == Stage(stage))
    if status:
        query = query.where(Letter.status == LetterStatus(status))
    column = Letter.issued_at if date_field == "issued" else Letter.created_at
    if first_day is not None:  # from the start of that day in Amsterdam
        query = query.where(column >= window_bounds(first_day, first_day)[0])
    if last_day is not None:  # up to the end of that day in Amsterdam
        query = query.where(column < window_bounds(last_day, last_day)[1])
    return query.order_by(*NEWEST_FIRST)


def get_letter(session: Session, letter_id: int) -> Letter:
    """Return a letter by id, or raise NotFound."""
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise NotFound("No such letter.")
    return letter


# The case page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLetters:
    """The case page's letters section: its letters, and the draft it may offer to start."""

    letters: list[Letter]
    stage_kind: str | None
    draft_of_kind: Letter | None
    can_draft: bool  # stage_kind can be drafted from the case alone
    may_draft: bool  # this user drafts letters

    @property
    def offer_draft(self) -> bool:
        return self.may_draft and self.can_draft and self.draft_of_kind is None


def case_letters(session: Session, case: Case, user: User) -> CaseLetters:
    """Return the case's letters (newest first) and whether to offer its stage's letter."""
    letters = list(
        session.scalars(
            sa.select(Letter)
            .where(Letter.case_id == case.id)
            .options(LISTING)
            .order_by(*NEWEST_FIRST)
        )
    )
    kind = STAGE_LETTERS.get(case.stage)
    drafts = [x for x in letters if x.kind == kind and x.status == LetterStatus.DRAFT]
    return CaseLetters(
        letters,
        kind,
        drafts[0] if drafts else None,
        kind is not None and can_draft(kind),
        user.role in DRAFTERS,
    )


def pending_letter(session: Session, pending: PendingStep | None) -> Letter | None:
    """Return the draft letter a pending step waits for, if any."""
    if pending is None:
        return None
    return session.scalar(
        sa.select(Letter)
        .options(LISTING)
        .where(Letter.pending_step_id == pending.id, Letter.status == LetterStatus.DRAFT)
    )


def draft_of(session: Session, case_id: int, kind: str) -> Letter | None:
    """Return the case's draft of a kind, if it has one."""
    return session.scalar(
        sa.select(Letter)
        .where(Letter.case_id == case_id, Letter.kind == kind)
        .where(Letter.status == LetterStatus.DRAFT)
        .order_by(Letter.id.desc())
        .limit(1)
    )
