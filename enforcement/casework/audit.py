"""Tamper evidence across cases and letters: sealed checkpoints and the checks against them.

The event chains are keyed (enforcement.cases.events), but deleting a chain's last events, or a
whole chain, leaves a shorter chain that still verifies; so does lowering the letter register's
counter with its last letters. A checkpoint, sealed under AUDIT_KEY, records every head; a
verify afterwards finds each of them again or names what went missing.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from enforcement.cases.models import Case, CaseEvent
from enforcement.casework.models import AuditCheckpoint
from enforcement.core import sealing
from enforcement.core.errors import DomainError
from enforcement.core.time import utcnow
from enforcement.letters.models import KenmerkCounter


def case_heads(session: Session) -> dict[str, list]:
    """Return {case id: [last sequence, its hash, the case's stage]} of every case."""
    last = (
        sa.select(CaseEvent.case_id, sa.func.max(CaseEvent.sequence).label("sequence"))
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(CaseEvent.case_id, CaseEvent.sequence, CaseEvent.hash, Case.stage)
        .join(last, sa.and_(last.c.case_id == CaseEvent.case_id,
                            last.c.sequence == CaseEvent.sequence))
        .join(Case, Case.id == CaseEvent.case_id)
    )  # fmt: skip
    return {str(case_id): [sequence, hash_, str(getattr(stage, "value", stage))]
            for case_id, sequence, hash_, stage in rows}  # fmt: skip


def letter_heads(session: Session) -> dict[str, int]:
    """Return {year: the last kenmerk number given out}."""
    rows = session.execute(sa.select(KenmerkCounter.year, KenmerkCounter.last_value))
    return {str(year): last for year, last in rows}


def _sealed_text(created_at: datetime, cases: dict, letters: dict) -> str:
    moment = created_at.astimezone(UTC).isoformat()
    return sealing.canonical({"created_at": moment, "cases": cases, "letters": letters})


def make_checkpoint(session: Session, *, now: datetime | None = None) -> AuditCheckpoint:
    """Record and seal the heads of every case chain and of the letter register."""
    if not sealing.is_keyed():
        raise DomainError("AUDIT_KEY is not set: a checkpoint cannot be sealed.")
    now = now or utcnow()
    cases, letters = case_heads(session), letter_heads(session)
    checkpoint = AuditCheckpoint(created_at=now, case_heads=cases, letter_heads=letters,
                                 seal=sealing.seal(_sealed_text(now, cases, letters)))  # fmt: skip
    session.add(checkpoint)
    session.flush()
    return checkpoint


def stage_problems(session: Session) -> list[str]:
    """Return a line per case with no events, or whose stage is not where its events lead."""
    problems = []
    cases = session.execute(sa.select(Case.id, Case.stage).order_by(Case.id)).all()
    last_stage = dict(
        session.execute(
            sa.select(CaseEvent.case_id, CaseEvent.to_stage)
            .where(CaseEvent.to_stage.is_not(None))
            .order_by(CaseEvent.case_id, CaseEvent.sequence)
        ).all()
    )  # fmt: skip  (the last row per case wins)
    has_events = set(session.scalars(sa.select(CaseEvent.case_id).distinct()))
    for case_id, stage in cases:
        stage = str(getattr(stage, "value", stage))
        if case_id not in has_events:
            problems.append(f"case {case_id}: has no events (its history was deleted)")
        elif case_id in last_stage and str(last_stage[case_id]) != stage:
            problems.append(f"case {case_id}: its stage {stage} does not follow from its events")
    return problems


def checkpoint_problems(session: Session) -> tuple[AuditCheckpoint | None, list[str]]:
    """Check the latest checkpoint's seal and find each head it records; return what differs."""
    checkpoint = session.scalar(sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()))
    if checkpoint is None:
        return None, []
    where = f"checkpoint {checkpoint.id}"
    if not sealing.is_keyed():
        return checkpoint, [f"{where}: AUDIT_KEY is not set, so its seal cannot be checked"]
    text = _sealed_text(checkpoint.created_at, checkpoint.case_heads, checkpoint.letter_heads)
    if not sealing.seal_matches(text, checkpoint.seal):
        return checkpoint, [f"{where}: its seal does not match; it was changed"]
    problems = []
    hashes = dict(
        ((str(case_id), sequence), hash_)
        for case_id, sequence, hash_ in session.execute(
            sa.select(CaseEvent.case_id, CaseEvent.sequence, CaseEvent.hash)
        )
    )
    for case_id, (sequence, hash_, _stage) in checkpoint.case_heads.items():
        found = hashes.get((case_id, sequence))
        if found is None:
            problems.append(f"case {case_id}: event {sequence}, recorded by {where}, is gone")
        elif found != hash_:
            problems.append(f"case {case_id}: event {sequence} differs from {where}")
    counters = letter_heads(session)
    for year, last in checkpoint.letter_heads.items():
        if counters.get(year, 0) < last:
            problems.append(f"letters {year}: the register counts fewer than {last}, as {where} "
                            "recorded")  # fmt: skip
    return checkpoint, problems
