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
from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case, PendingStep
from enforcement.core.errors import DomainError
from enforcement.core.time import utcnow
from enforcement.letters import builders, gathering, sanctions
from enforcement.letters.context import Gathered, ensure_plain
from enforcement.letters.models import Letter
from enforcement.letters.services import create_draft
from enforcement.sanctions import letters as money

ContextBuilder = Callable[..., dict[str, Any]]  # (gathered, *, language, letter_date, kenmerk)
Gatherer = Callable[..., Gathered]  # (session, case, **options)


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter: its step, whether it is a decision, its gatherer and context function."""

    name: str
    # The step of the ladder this letter belongs to (STEPS[trigger].letter == name); None for a
    # letter not tied to one step (the decision on an objection that is rejected, say).
    trigger: Trigger | None
    # A decision (besluit): it carries the objection clause; otherwise it says it is none.
    decision: bool
    gather: Gatherer
    build_context: ContextBuilder
    # The options ``gather`` takes; ``required`` of them must be given.
    options: tuple[str, ...] = ()
    required: tuple[str, ...] = ()

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
        LetterKind("warning", Trigger.SEND_WARNING, False, gathering.gather_warning,
                   builders.warning, options=gathering.WARNING_OPTIONS),
        LetterKind("naming_intent", Trigger.INTEND_NAMING, False,
                   gathering.gather_naming_intent, builders.naming_intent),
        LetterKind("naming_decision", Trigger.NAME_PUBLICLY, True,
                   gathering.gather_naming_decision, builders.naming_decision),
        LetterKind("penalty_intent", Trigger.INTEND_PENALTY, False,
                   gathering.gather_penalty_intent, sanctions.penalty_intent),
        LetterKind("penalty_order", Trigger.IMPOSE_PENALTY, True,
                   gathering.gather_penalty_order, sanctions.penalty_order),
        LetterKind("fine_report", Trigger.DRAW_FINE_REPORT, False,
                   gathering.gather_fine_report, sanctions.fine_report),
        LetterKind("fine_intent", Trigger.INTEND_FINE, False, gathering.gather_fine_intent,
                   sanctions.fine_intent, options=("amount",)),
        LetterKind("fine_decision", Trigger.IMPOSE_FINE, True,
                   gathering.gather_fine_decision, sanctions.fine_decision),
        # Every decided objection gets one (rejected ones too); an upheld one goes with REVOKE.
        LetterKind("objection_decision", Trigger.REVOKE, True,
                   gathering.gather_objection_decision, builders.objection_decision,
                   options=("objection_id",)),
        LetterKind("closure", Trigger.CLOSE, False, gathering.gather_closure, builders.closure),
        # The money side (enforcement.sanctions): not steps of the ladder.
        LetterKind("collection_decision", None, True, money.gather_collection_decision,
                   money.collection_decision, options=("collection_id",),
                   required=("collection_id",)),
        LetterKind("payment_reminder", None, False, money.gather_payment_reminder,
                   money.payment_reminder, options=("claim",), required=("claim",)),
    )
}  # fmt: skip


def get_kind(name: str) -> LetterKind:
    """Return a registered kind; DomainError for one the registry does not know."""
    try:
        return KINDS[name]
    except KeyError:
        raise DomainError(f"There is no letter kind {name!r}.") from None
