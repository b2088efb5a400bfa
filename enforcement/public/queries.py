"""Read what the public pages show: sanction decisions with their art. 9 facts, named hosters.

Only the fields that may be published leave this module: the hoster's names, dates, kinds,
amounts and counts. Never a URL, an IP address, a content hash or a person's name.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.ladder import Trigger
from enforcement.cases.models import Case, CaseEvent, Deadline, Decision, Objection
from enforcement.core.time import LOCAL_TZ
from enforcement.deadlines import DeadlineKind
from enforcement.hosters.models import Hoster
from enforcement.public.art9 import (
    Appealed,
    DecisionFacts,
    LegalStatus,
    Objected,
    Publication,
    PublicationStatus,
    Relief,
    legal_status,
    publication,
)
from enforcement.public.models import Appeal, InterimRelief, NamingResponse

SANCTION_KINDS = ("penalty_order", "fine_decision")
# The public amount fields of each kind, from the step's recorded parameters.
AMOUNT_PARAMS = {
    "penalty_order": ("amount_per_violation", "maximum"),
    "fine_decision": ("amount",),
}
# Entries the public sees: published now, or published once and withdrawn since.
SHOWN = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


@dataclass(frozen=True)
class PublicDecision:
    """One sanction decision as art. 9 publishes it (and as the job records it)."""

    decision_id: int
    case_id: int
    hoster_name: str
    hoster_legal_name: str
    kind: str
    decided_on: date
    amounts: dict[str, Decimal]
    violations: int
    violations_from: date | None
    violations_to: date | None
    publication: Publication
    legal_status: LegalStatus
    changed_at: datetime

    @property
    def status(self) -> PublicationStatus:
        return self.publication.status

    def content(self) -> dict[str, Any]:
        """Return the published fields as plain values (what open data and events carry)."""
        withdrawn = self.publication.withdrawn_at
        return {
            "id": self.decision_id,
            "hoster": self.hoster_name,
            "hoster_legal_name": self.hoster_legal_name,
            "kind": self.kind,
            "decision_date": self.decided_on.isoformat(),
            "violated_rule": "art. 6(3) Wet bestuursrechtelijke aanpak online "
            "kinderpornografisch materiaal",
            **{name: str(value) for name, value in self.amounts.items()},
            "violations": self.violations,
            "violations_from": self.violations_from.isoformat() if self.violations_from else None,
            "violations_to": self.violations_to.isoformat() if self.violations_to else None,
            "legal_status": self.legal_status.value,
            "status": self.status.value,
            "published_at": _iso(self.publication.published_at),
            "withdrawn_at": _iso(withdrawn),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _local_day(moment: str | None) -> date | None:
    return datetime.fromisoformat(moment).astimezone(LOCAL_TZ).date() if moment else None


def sanction_rows(session: Session) -> list[tuple[Decision, Hoster, CaseEvent]]:
    """Return every penalty-order and fine decision with its hoster and the event that made it."""
    query = (
        sa.select(Decision, Hoster, CaseEvent)
        .join(Case, Case.id == Decision.case_id)
        .join(Hoster, Hoster.id == Case.hoster_id)
        .join(CaseEvent, CaseEvent.id == Decision.event_id)
        .where(Decision.kind.in_(SANCTION_KINDS))
        .order_by(Decision.made_known_at.desc(), Decision.id.desc())
    )
    return [tuple(row) for row in session.execute(query)]


def revocation_moments(session: Session, case_ids: list[int]) -> dict[int, datetime]:
    """Return when each revoked decision was revoked (the event of the upheld objection)."""
    events = session.scalars(
        sa.select(CaseEvent).where(
            CaseEvent.case_id.in_(case_ids),
            sa.or_(CaseEvent.trigger == Trigger.REVOKE.value,
                   CaseEvent.kind == "decision_revoked"),
        )
    )  # fmt: skip
    moments = {}
    for event in events:
        data = event.data or {}
        decision_id = data.get("decision_id") or (data.get("params") or {}).get("decision_id")
        if decision_id is not None:
            moments.setdefault(int(decision_id), event.occurred_at)
    return moments


def objection_term_ends(session: Session, decision_ids: list[int]) -> dict[int, date]:
    rows = session.execute(
        sa.select(Deadline.decision_id, Deadline.due_at).where(
            Deadline.decision_id.in_(decision_ids), Deadline.kind == DeadlineKind.OBJECTION_TERM
        )
    )
    return {decision_id: due.astimezone(LOCAL_TZ).date() for decision_id, due in rows}


def _by_decision(session: Session, model: Any, decision_ids: list[int]) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in session.scalars(sa.select(model).where(model.decision_id.in_(decision_ids))):
        grouped[row.decision_id].append(row)
    return grouped


@dataclass
class FactTables:
    """The dated facts of many decisions, loaded with one query per table."""

    revoked: dict[int, datetime]
    term_ends: dict[int, date]
    reliefs: dict[int, list] = field(default_factory=dict)
    objections: dict[int, list] = field(default_factory=dict)
    appeals: dict[int, list] = field(default_factory=dict)

    def facts(self, decision: Decision) -> DecisionFacts:
        made_known = decision.made_known_at
        return DecisionFacts(
            made_known_at=made_known,
            objection_term_ends=self.term_ends.get(decision.id, made_known.date()),
            revoked_at=self.revoked.get(decision.id) if decision.revoked else None,
            reliefs=tuple(Relief(r.requested_at, r.outcome.value, r.decided_at)
                          for r in self.reliefs.get(decision.id, [])),
            objections=tuple(Objected(o.received_on, o.outcome)
                             for o in self.objections.get(decision.id, [])),
            appeals=tuple(Appealed(a.lodged_on, a.outcome.value, a.decided_at)
                          for a in self.appeals.get(decision.id, [])),
        )  # fmt: skip


def fact_tables(session: Session, decisions: list[Decision]) -> FactTables:
    ids = [d.id for d in decisions]
    return FactTables(
        revoked=revocation_moments(session, sorted({d.case_id for d in decisions})),
        term_ends=objection_term_ends(session, ids),
        reliefs=_by_decision(session, InterimRelief, ids),
        objections=_by_decision(session, Objection, ids),
        appeals=_by_decision(session, Appeal, ids),
    )


def decision_facts(session: Session, decision: Decision) -> DecisionFacts:
    """Return the art. 9 facts of one decision."""
    return fact_tables(session, [decision]).facts(decision)


def changed_at(
    facts: DecisionFacts, pub: Publication, updated: datetime, now: datetime
) -> datetime:
    """Return the last moment up to now at which what the public sees of a decision changed (or
    may have: any event of its case counts)."""
    term_over = datetime.combine(facts.objection_term_ends + timedelta(days=1), time(0), LOCAL_TZ)
    moments = [pub.published_at, pub.withdrawn_at, updated, term_over]
    return max(m for m in moments if m is not None and m <= now)


def public_decision(row: tuple, tables: FactTables, now: datetime) -> PublicDecision:
    decision, hoster, event = row
    facts = tables.facts(decision)
    params = (event.data or {}).get("params") or {}
    cited = ((event.data or {}).get("facts") or {}).get("violations") or {}
    pub = publication(facts, now)
    return PublicDecision(
        decision_id=decision.id,
        case_id=decision.case_id,
        hoster_name=hoster.trade_name,
        hoster_legal_name=hoster.legal_name,
        kind=decision.kind,
        decided_on=decision.made_known_at.astimezone(LOCAL_TZ).date(),
        amounts={
            name: Decimal(str(params[name]))
            for name in AMOUNT_PARAMS[decision.kind]
            if params.get(name) is not None
        },
        violations=int(cited.get("count") or 0),
        violations_from=_local_day(cited.get("first_due_at")),
        violations_to=_local_day(cited.get("last_due_at")),
        publication=pub,
        legal_status=legal_status(facts, now),
        changed_at=changed_at(facts, pub, decision.case.updated_at, now),
    )


def sanction_decisions(session: Session, now: datetime) -> list[PublicDecision]:
    """Return every penalty-order and fine decision as of now, whatever its publication status."""
    rows = sanction_rows(session)
    tables = fact_tables(session, [row[0] for row in rows])
    return [public_decision(row, tables, now) for row in rows]


def published_decisions(session: Session, now: datetime) -> list[PublicDecision]:
    """Return the decisions the public sees as of now: published, or withdrawn after it."""
    return [d for d in sanction_decisions(session, now) if d.status in SHOWN]


@dataclass(frozen=True)
class Naming:
    """A hoster named by a decision that stands, with the window its figures were measured on."""

    decision_id: int
    hoster_id: int
    hoster_name: str
    named_at: datetime
    measured: dict[str, Any] | None  # {window, as_of, figures, thresholds} the intent relied on
    response: NamingResponse | None


def naming_windows(session: Session, decisions: list[Decision]) -> dict[int, dict[str, Any]]:
    """Return, per naming decision, the figures the intent to name relied on (its window)."""
    events = session.scalars(
        sa.select(CaseEvent)
        .where(
            CaseEvent.case_id.in_(sorted({d.case_id for d in decisions})),
            CaseEvent.trigger == Trigger.INTEND_NAMING.value,
            CaseEvent.kind == "transition",
        )
        .order_by(CaseEvent.sequence)
    ).all()
    made = dict(session.execute(sa.select(CaseEvent.id, CaseEvent.sequence).where(
        CaseEvent.id.in_([d.event_id for d in decisions])
    )).all())  # fmt: skip
    found = {}
    for decision in decisions:
        sequence = made[decision.event_id]
        before = [e for e in events if e.case_id == decision.case_id and e.sequence < sequence]
        figures = ((before[-1].data or {}).get("facts") or {}).get("figures") if before else None
        if figures and figures.get("window") and figures.get("figures"):
            found[decision.id] = figures
    return found


def named_hosters(session: Session, now: datetime) -> list[Naming]:
    """Return each hoster named by a naming decision that stands (its latest), by name."""
    decisions = session.scalars(
        sa.select(Decision)
        .where(Decision.kind == "naming_decision", Decision.revoked.is_(False),
               Decision.made_known_at <= now)
        .order_by(Decision.made_known_at)
    ).all()  # fmt: skip
    latest = {d.case.hoster_id: d for d in decisions}
    windows = naming_windows(session, list(latest.values()))
    responses = {r.decision_id: r for r in session.scalars(
        sa.select(NamingResponse).where(NamingResponse.decision_id.in_([d.id for d in decisions]))
    )}  # fmt: skip
    namings = [
        Naming(d.id, hoster_id, d.case.hoster.trade_name, d.made_known_at,
               windows.get(d.id), responses.get(d.id))
        for hoster_id, d in latest.items()
    ]  # fmt: skip
    return sorted(namings, key=lambda n: (n.hoster_name.lower(), n.hoster_id))
