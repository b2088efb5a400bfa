"""What the case page's publication panel shows: per decision of the case, its art. 9 state,
interim relief, appeals, the naming response, and which forms this user gets."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from enforcement.auth.models import User
from enforcement.cases.models import Case, Decision
from enforcement.core.time import utcnow
from enforcement.extensions import db
from enforcement.public.art9 import Publication, earliest_publication, legal_status, publication
from enforcement.public.forms import (
    AppealDecisionForm,
    AppealForm,
    NamingResponseForm,
    ReliefDecisionForm,
    ReliefForm,
)
from enforcement.public.models import Appeal, InterimRelief, NamingResponse
from enforcement.public.queries import SANCTION_KINDS, fact_tables
from enforcement.public.services import RECORDERS


@dataclass(frozen=True)
class PanelLine:
    decision: Decision
    publication: Publication | None  # None for a naming decision (not art. 9)
    earliest: datetime | None
    legal_status: str | None
    reliefs: list[InterimRelief]
    appeals: list[Appeal]
    response: NamingResponse | None


def _rows(model: Any, decision_ids: list[int]) -> list:
    return list(db.session.scalars(
        sa.select(model).where(model.decision_id.in_(decision_ids)).order_by(model.id)
    ))  # fmt: skip


def publication_panel(case: Case, user: User, now: datetime | None = None) -> dict[str, Any]:
    """Return the panel's lines and forms for this case and user."""
    now = now or utcnow()
    decisions = list(db.session.scalars(
        sa.select(Decision).where(Decision.case_id == case.id).order_by(Decision.made_known_at)
    ))  # fmt: skip
    ids = [d.id for d in decisions]
    tables = fact_tables(db.session, decisions)
    reliefs, appeals = _rows(InterimRelief, ids), _rows(Appeal, ids)
    responses = {r.decision_id: r for r in _rows(NamingResponse, ids)}
    lines = []
    for d in decisions:
        sanction = d.kind in SANCTION_KINDS
        facts = tables.facts(d)
        lines.append(PanelLine(
            d,
            publication(facts, now) if sanction else None,
            earliest_publication(d.made_known_at) if sanction else None,
            legal_status(facts, now).value if sanction else None,
            [r for r in reliefs if r.decision_id == d.id],
            [a for a in appeals if a.decision_id == d.id],
            responses.get(d.id),
        ))  # fmt: skip
    return {
        "lines": lines,
        "may_record": user.role in RECORDERS,
        "forms": {
            "relief": ReliefForm(formdata=None),
            "relief_decide": ReliefDecisionForm(formdata=None),
            "appeal": AppealForm(formdata=None),
            "appeal_decide": AppealDecisionForm(formdata=None),
            "response": NamingResponseForm(formdata=None),
        },
    }
