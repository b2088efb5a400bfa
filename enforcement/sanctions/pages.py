"""What the sanctions pages show and what the signed-in user may do there, computed once so
templates only show (no role strings or statuses re-derived in Jinja)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from enforcement.auth.models import User
from enforcement.cases.models import Case, Decision
from enforcement.core.time import to_local
from enforcement.sanctions.claims import Claim, all_claims
from enforcement.sanctions.models import CollectionDecision, CollectionStatus
from enforcement.sanctions.payments import PAYMENT_RECORDERS, REMINDER_DRAFTERS, reminders_of
from enforcement.sanctions.queries import (
    PenaltyLedger,
    collections_of,
    penalty_ledger,
    penalty_orders,
)
from enforcement.sanctions.services import (
    COLLECTION_APPROVERS,
    COLLECTION_DRAFTERS,
    CONFIRMERS,
)


@dataclass
class OrderPage:
    ledger: PenaltyLedger
    collections: list[CollectionDecision]
    may_confirm: bool
    may_draft_collection: bool
    approvable: set[int]  # collection ids this user may approve or refuse

    @property
    def decision(self) -> Decision:
        return self.ledger.decision


def order_page(session: Session, decision: Decision, user: User, now: datetime) -> OrderPage:
    """Return a penalty order's ledger, its collection decisions, and what the user may do."""
    ledger = penalty_ledger(session, decision, now=now)
    collections = collections_of(session, decision)
    approvable = {c.id for c in collections if c.status == CollectionStatus.DRAFT
                  and user.role in COLLECTION_APPROVERS and c.drafted_by_id != user.id}  # fmt: skip
    return OrderPage(
        ledger, collections,
        may_confirm=user.role in CONFIRMERS and bool(ledger.unconfirmed()),
        may_draft_collection=user.role in COLLECTION_DRAFTERS and not decision.revoked
        and bool(ledger.uncollected()),
        approvable=approvable,
    )  # fmt: skip


@dataclass
class ClaimPage:
    claim: Claim
    overdue: bool
    reminders: list
    may_pay: bool
    may_remind: bool


def claim_page(session: Session, claim: Claim, user: User, now: datetime) -> ClaimPage:
    """Return a claim with its payments and reminders, and what the user may do."""
    overdue = claim.overdue(to_local(now).date())
    return ClaimPage(claim, overdue, reminders_of(session, [claim.key])[claim.key],
                     may_pay=user.role in PAYMENT_RECORDERS,
                     may_remind=overdue and user.role in REMINDER_DRAFTERS)  # fmt: skip


def overdue_claims(session: Session, today: date) -> list[tuple[Claim, list]]:
    """Return the overdue claims, oldest due first, with the reminders each has had."""
    overdue = sorted((c for c in all_claims(session) if c.overdue(today)), key=lambda c: c.due_on)
    reminders = reminders_of(session, [c.key for c in overdue])
    return [(claim, reminders[claim.key]) for claim in overdue]


@dataclass
class CaseMoney:
    ledgers: list[PenaltyLedger]
    claims: list[Claim]


def case_money(session: Session, case: Case, now: datetime) -> CaseMoney | None:
    """Return the case's penalty orders with their ledgers and its claims; None if neither."""
    decisions = [d for d in penalty_orders(session, case.hoster_id) if d.case_id == case.id]
    claims = [c for c in all_claims(session, case.hoster_id) if c.case_id == case.id]
    if not decisions and not claims:
        return None
    return CaseMoney([penalty_ledger(session, d, now=now) for d in decisions], claims)
