"""The hoster's view (zienswijze, Awb 4:8) on an intent: recorded by legal staff, answered by the
decision that follows it.

The case stands at an intent's stage (naming, penalty or fine intent) while the hoster may give
its view: in writing, or orally (then the record is the hearing's report). A view is an event in
the case's chain; the decision step's guard finds it and makes the step answer it.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import CASE_CHANGED, append_event, stage_entered_at
from enforcement.cases.ladder import Stage, Trigger
from enforcement.cases.models import Case, HosterView
from enforcement.core.errors import Conflict, DomainError, FieldErrors, PermissionDenied
from enforcement.core.time import format_local, utcnow

# The intent whose view the case waits for at each stage.
INTENT_AT_STAGE = {
    Stage.NAMING_INTENT: Trigger.INTEND_NAMING,
    Stage.PENALTY_INTENT: Trigger.INTEND_PENALTY,
    Stage.FINE_INTENT: Trigger.INTEND_FINE,
}
MAX_VIEW = 20_000


def current_views(session: Session, case: Case) -> list[HosterView]:
    """Return the views recorded on the intent the case stands at, the latest first."""
    intent = INTENT_AT_STAGE.get(case.stage)
    if intent is None:
        return []
    since = stage_entered_at(session, case)
    return list(
        session.scalars(
            sa.select(HosterView)
            .where(HosterView.case_id == case.id, HosterView.intent == intent)
            .where(HosterView.received_at >= since)
            .order_by(HosterView.received_at.desc(), HosterView.id.desc())
        )
    )


def record_view(
    session: Session,
    case: Case,
    *,
    received_at: datetime,
    text: str,
    oral: bool,
    actor: User,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> HosterView:
    """Record the hoster's view on the intent the case stands at (legal staff)."""
    if actor.role != Role.LEGAL:
        raise PermissionDenied("Legal staff record the hoster's view.")
    if expected_version is not None and case.version != expected_version:
        raise Conflict(CASE_CHANGED)
    now = now or utcnow()
    intent = INTENT_AT_STAGE.get(case.stage)
    if intent is None:
        raise DomainError("The case stands at no intent: there is no view to record now.")
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = ["give the view, or the report of the oral hearing"]
    elif len(text) > MAX_VIEW:
        errors["text"] = [f"at most {MAX_VIEW:,} characters"]
    since = stage_entered_at(session, case)
    if received_at > now:
        errors["received_at"] = ["is in the future"]
    elif received_at < since:
        errors["received_at"] = [f"before the intent was made known ({format_local(since)})"]
    if errors:
        raise FieldErrors(errors)
    view = HosterView(case_id=case.id, intent=intent, received_at=received_at, oral=oral,
                      text=text, recorded_by_id=actor.id, recorded_at=now)  # fmt: skip
    session.add(view)
    session.flush()
    append_event(session, case, kind="view_received", actor=actor, now=now,
                 data={"view_id": view.id, "intent": intent.value, "oral": oral,
                       "received_at": received_at.isoformat()})  # fmt: skip
    return view
