"""Record what art. 9 publication depends on, and record publication itself in the case chain.

Interim relief, appeals and the hoster's response to its naming are recorded by legal staff,
each as an event in the case's chain. ``record_publications`` (run by ``flask public publish``
every few minutes) appends an event whenever what the public sees of a decision changed:
published, updated (objection or appeal status, content), suspended, withdrawn. The pages do not
wait for it: they compute the same answer on read.
"""

import hashlib
import json
import re
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.auth.models import Role, User
from enforcement.cases.events import append_event
from enforcement.cases.models import CaseEvent, Decision, Objection, ObjectionOutcome
from enforcement.core.errors import DomainError, PermissionDenied
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.public.art9 import PublicationStatus
from enforcement.public.models import (
    Appeal,
    AppealOutcome,
    InterimRelief,
    NamingResponse,
    ReliefOutcome,
)
from enforcement.public.queries import SANCTION_KINDS, PublicDecision, sanction_decisions

PUBLICATION_EVENT = "publication"
RECORDERS = frozenset({Role.LEGAL})
MAX_RESPONSE = 4000
# What may never reach a public page: a URL or host, an IP address, a content hash.
UNPUBLISHABLE = re.compile(
    r"(?i)(\b[a-z][a-z0-9+.-]*://|\b(?:[a-z0-9-]+\.)+[a-z]{2,24}\b"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}\b|\b[0-9a-f]{32,}\b)"
)


def _require_recorder(actor: User) -> None:
    if actor.role not in RECORDERS:
        raise PermissionDenied("Interim relief, appeals and responses are recorded by legal staff.")


def _not_future(moment: datetime, now: datetime, what: str) -> None:
    if moment > now:
        raise DomainError(f"{what} cannot lie in the future.")


def _sanction(decision: Decision) -> None:
    if decision.kind not in SANCTION_KINDS:
        raise DomainError("Only a penalty-payment order or a fine is published under art. 9.")


def record_relief(
    session: Session, decision: Decision, *, requested_at: datetime, actor: User,
    now: datetime | None = None,
) -> InterimRelief:  # fmt: skip
    """Record a request for interim relief against a sanction decision (Awb 8:81)."""
    _require_recorder(actor)
    _sanction(decision)
    now = now or utcnow()
    _not_future(requested_at, now, "The request")
    if requested_at < decision.made_known_at:
        raise DomainError("A request for interim relief follows the decision it is against.")
    relief = InterimRelief(decision=decision, requested_at=requested_at,
                           recorded_by_id=actor.id, recorded_at=now)  # fmt: skip
    session.add(relief)
    session.flush()
    append_event(session, decision.case, kind="interim_relief_requested", actor=actor, now=now,
                 data={"decision_id": decision.id, "relief_id": relief.id,
                       "requested_at": requested_at})  # fmt: skip
    return relief


def decide_relief(
    session: Session, relief: InterimRelief, *, outcome: ReliefOutcome, decided_at: datetime,
    actor: User, now: datetime | None = None,
) -> InterimRelief:  # fmt: skip
    """Record the court's ruling on (or the withdrawal of) a request for interim relief."""
    _require_recorder(actor)
    now = now or utcnow()
    if relief.outcome != ReliefOutcome.PENDING:
        raise DomainError("This request was decided already.")
    if outcome == ReliefOutcome.PENDING:
        raise DomainError("Choose how the request ended.")
    _not_future(decided_at, now, "The ruling")
    if decided_at < relief.requested_at:
        raise DomainError("The ruling cannot come before the request.")
    relief.outcome, relief.decided_at = outcome, decided_at
    append_event(session, relief.decision.case, kind="interim_relief_decided", actor=actor,
                 now=now, data={"decision_id": relief.decision_id, "relief_id": relief.id,
                                "outcome": outcome, "decided_at": decided_at})  # fmt: skip
    return relief


def record_appeal(
    session: Session, decision: Decision, *, lodged_on: date, actor: User,
    now: datetime | None = None,
) -> Appeal:  # fmt: skip
    """Record an appeal to the court against a decision whose objection was decided."""
    _require_recorder(actor)
    now = now or utcnow()
    if lodged_on > now.astimezone(LOCAL_TZ).date():
        raise DomainError("The appeal cannot be lodged in the future.")
    decided = session.scalar(
        sa.select(Objection.id)
        .where(
            Objection.decision_id == decision.id,
            Objection.outcome.in_([ObjectionOutcome.REJECTED, ObjectionOutcome.INADMISSIBLE]),
        )
        .limit(1)
    )
    if decided is None:
        raise DomainError("An appeal follows the decision on an objection (Awb 7:1).")
    appeal = Appeal(decision=decision, lodged_on=lodged_on, recorded_by_id=actor.id,
                    recorded_at=now)  # fmt: skip
    session.add(appeal)
    session.flush()
    append_event(session, decision.case, kind="appeal_lodged", actor=actor, now=now,
                 data={"decision_id": decision.id, "appeal_id": appeal.id,
                       "lodged_on": lodged_on})  # fmt: skip
    return appeal


def decide_appeal(
    session: Session, appeal: Appeal, *, outcome: AppealOutcome, decided_at: datetime,
    actor: User, now: datetime | None = None,
) -> Appeal:  # fmt: skip
    """Record the court's judgment on (or the withdrawal of) an appeal."""
    _require_recorder(actor)
    now = now or utcnow()
    if appeal.outcome != AppealOutcome.PENDING:
        raise DomainError("This appeal was decided already.")
    if outcome == AppealOutcome.PENDING:
        raise DomainError("Choose how the appeal ended.")
    _not_future(decided_at, now, "The judgment")
    if decided_at.astimezone(LOCAL_TZ).date() < appeal.lodged_on:
        raise DomainError("The judgment cannot come before the appeal.")
    appeal.outcome, appeal.decided_at = outcome, decided_at
    append_event(session, appeal.decision.case, kind="appeal_decided", actor=actor, now=now,
                 data={"decision_id": appeal.decision_id, "appeal_id": appeal.id,
                       "outcome": outcome, "decided_at": decided_at})  # fmt: skip
    return appeal


def check_publishable(text: str) -> str:
    """Return the text stripped; refuse one holding a URL, host name, IP address or hash."""
    text = (text or "").strip()
    if not text:
        raise DomainError("Give the text of the response.")
    if len(text) > MAX_RESPONSE:
        raise DomainError(f"A response shown to the public has at most {MAX_RESPONSE} characters.")
    if UNPUBLISHABLE.search(text):
        raise DomainError("A public text may not hold a URL, host name, IP address or hash.")
    return text


def record_naming_response(
    session: Session, decision: Decision, *, text: str, received_on: date, actor: User,
    now: datetime | None = None,
) -> NamingResponse:  # fmt: skip
    """Record the response the hoster asked to be shown beside its naming (replacing any)."""
    _require_recorder(actor)
    now = now or utcnow()
    if decision.kind != "naming_decision":
        raise DomainError("A response is shown beside a naming decision only.")
    text = check_publishable(text)
    response = session.scalar(
        sa.select(NamingResponse).where(NamingResponse.decision_id == decision.id)
    ) or NamingResponse(decision=decision)
    response.text, response.received_on = text, received_on
    response.recorded_by_id, response.recorded_at = actor.id, now
    session.add(response)
    session.flush()
    append_event(session, decision.case, kind="naming_response_recorded", actor=actor, now=now,
                 data={"decision_id": decision.id, "text": text,
                       "received_on": received_on})  # fmt: skip
    return response


def content_digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def last_publications(session: Session, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return the last publication event's data per decision."""
    events = session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.kind == PUBLICATION_EVENT)
        .order_by(CaseEvent.case_id, CaseEvent.sequence)
    )
    return {int(e.data["decision_id"]): e.data for e in events}


def publication_action(entry: PublicDecision, last: dict[str, Any] | None) -> str | None:
    """Return what to record for a decision given its last recorded publication, or None."""
    shown = last is not None and last["action"] in ("published", "updated")
    if entry.status == PublicationStatus.PUBLISHED:
        if not shown:
            return "published"
        return "updated" if content_digest(entry.content()) != last["content_sha256"] else None
    if entry.status == PublicationStatus.WITHDRAWN and last and last["action"] != "withdrawn":
        return "withdrawn"
    if entry.status == PublicationStatus.SUSPENDED and shown:
        return "suspended"
    return None


def record_publications(
    session: Session, now: datetime, *, actor: User | None = None
) -> list[tuple[PublicDecision, str]]:
    """Append a publication event for every decision whose public state changed since the last
    one recorded; return what was recorded. Running it twice records nothing twice."""
    entries = sanction_decisions(session, now)
    recorded = last_publications(session, sorted({e.case_id for e in entries}))
    done = []
    for entry in entries:
        action = publication_action(entry, recorded.get(entry.decision_id))
        if action is None:
            continue
        content = entry.content()
        case = session.get(Decision, entry.decision_id).case
        data = {"decision_id": entry.decision_id, "action": action, "content": content,
                "content_sha256": content_digest(content)}  # fmt: skip
        append_event(session, case, kind=PUBLICATION_EVENT, actor=actor, now=now,
                     reason=f"Art. 9: {action}", data=data)  # fmt: skip
        done.append((entry, action))
    return done
