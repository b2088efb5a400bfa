"""The letter kinds: for each, the step it belongs to, how to gather its data, how to fill it.

The registry the pages, the case steps and the benchmark use::

    from enforcement.letters.kinds import KINDS, get_kind

    kind = get_kind("penalty_order")          # DomainError for an unknown kind
    context = kind.context(session, case, letter_date=now)             # plain values
    letter = kind.draft(session, case, actor=user, letter_date=now, now=now)  # adds a draft

- ``gather(session, case, **options) -> Gathered`` reads the case (the step's recorded
  params and facts, the figures it relied on, the cited notices, earlier letters); it never
  writes. ``options`` are the few a kind takes (``kind.options``), such as the window of a
  warning or the objection a decision on objection answers (``objection_id``).
- ``build_context(gathered, *, language, letter_date, kenmerk) -> dict`` is pure: it computes
  the deadlines from ``letter_date`` (the moment of notification, Awb 2:17) and returns the
  template's plain values. Tests call it with stand-ins, no database.
- ``letter_date`` must be the moment the letter is issued for its deadlines to be right: a draft
  made earlier is renewed with ``drafts.refresh_draft(..., letter_date=issue moment)`` before
  ``services.issue_letter(..., now=the same moment)``.
- ``draft`` and ``context`` ignore options a kind does not take, so one caller can offer the
  same inputs to every kind; a missing required option is a DomainError, as is a kind whose
  step the case has neither taken nor proposed.
- Options per kind: warning (first_day, last_day, as_of, improvement_ends; by default the
  window the case was opened on and the step's improvement weeks), fine_intent (amount, when
  the intent step did not record one), objection_decision (objection_id; by default the
  case's latest decided objection). The others read everything from the case.

Adding a kind (the collection decision, say) is a template ``letters/<kind>.html``, a context
function, a gatherer, and one entry below.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Case, PendingStep
from enforcement.cases.steps import STEPS
from enforcement.core.errors import DomainError
from enforcement.core.time import utcnow
from enforcement.letters import builders, gathering, sanctions
from enforcement.letters.context import Gathered, ensure_plain
from enforcement.letters.models import Letter
from enforcement.letters.services import create_draft

ContextBuilder = Callable[..., dict[str, Any]]  # (gathered, *, language, letter_date, kenmerk)
Gatherer = Callable[..., Gathered]  # (session, case, **options)


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter: its gatherer and context function (the step it carries says the rest)."""

    name: str
    gather: Gatherer
    build_context: ContextBuilder
    # The options ``gather`` takes; ``required`` of them must be given.
    options: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # A decision (besluit) not made by a step of the ladder: the decision on an objection (open
    # to appeal, Awb 8:1), a collection decision (Awb 5:37).
    own_decision: bool = False

    @property
    def decision(self) -> bool:
        """A decision: the letter of a step that makes one, or a decision of its own; the others
        say they are none."""
        return self.own_decision or any(
            step.decision and step.letter == self.name for step in STEPS.values()
        )

    def take_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """Return the options this kind takes (others are ignored); DomainError if one lacks."""
        missing = [name for name in self.required if options.get(name) is None]
        if missing:
            raise DomainError(f"A {self.name} letter needs {', '.join(missing)}.")
        return {name: options[name] for name in self.options if options.get(name) is not None}

    def context(
        self,
        session: Session,
        case: Case,
        *,
        letter_date: date | datetime,
        language: str | None = None,
        kenmerk: str | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """Gather from the case and return the letter's context, in the hoster's language."""
        gathered = self.gather(session, case, **self.take_options(options))
        language = language or case.hoster.language.value
        context = self.build_context(
            gathered, language=language, letter_date=letter_date, kenmerk=kenmerk
        )
        return ensure_plain(context)

    def draft(
        self,
        session: Session,
        case: Case,
        *,
        actor: User,
        letter_date: date | datetime | None = None,
        now: datetime | None = None,
        corrects: Letter | None = None,
        pending_step: PendingStep | None = None,
        **options: Any,
    ) -> Letter:
        """Add a draft of this kind for the case, dated ``letter_date`` (default: now)."""
        now = now or utcnow()
        context = self.context(session, case, letter_date=letter_date or now, **options)
        return create_draft(session, case, context, actor=actor, corrects=corrects,
                            pending_step=pending_step, now=now)  # fmt: skip


KINDS: dict[str, LetterKind] = {
    kind.name: kind
    for kind in (
        LetterKind("warning", gathering.gather_warning, builders.warning,
                   options=gathering.WARNING_OPTIONS),
        LetterKind("naming_intent", gathering.gather_naming_intent, builders.naming_intent),
        LetterKind("naming_decision", gathering.gather_naming_decision, builders.naming_decision),
        LetterKind("penalty_intent", gathering.gather_penalty_intent, sanctions.penalty_intent),
        LetterKind("penalty_order", gathering.gather_penalty_order, sanctions.penalty_order),
        LetterKind("fine_report", gathering.gather_fine_report, sanctions.fine_report),
        LetterKind("fine_intent", gathering.gather_fine_intent, sanctions.fine_intent,
                   options=("amount",)),
        LetterKind("fine_decision", gathering.gather_fine_decision, sanctions.fine_decision),
        # Every decided objection gets one (rejected ones too); an upheld one goes with REVOKE.
        LetterKind("objection_decision", gathering.gather_objection_decision,
                   builders.objection_decision, options=("objection_id",), own_decision=True),
        LetterKind("closure", gathering.gather_closure, builders.closure),
    )
}  # fmt: skip


def register_kind(kind: LetterKind) -> None:
    """Add a kind of letter from a package above this one (the money side's, say)."""
    KINDS[kind.name] = kind


def get_kind(name: str) -> LetterKind:
    """Return a registered kind; DomainError for one the registry does not know."""
    try:
        return KINDS[name]
    except KeyError:
        raise DomainError(f"There is no letter kind {name!r}.") from None
