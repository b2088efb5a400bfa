"""Import every model module, so metadata (create_all, migrations) sees all tables."""

import enforcement.cases.events  # noqa: F401  (refuses changes to case events on flush)
from enforcement.auth.models import SignInAttempt, User
from enforcement.cases.models import (
    Case,
    CaseEvent,
    Deadline,
    Decision,
    HosterView,
    Objection,
    Proposal,
)
from enforcement.casework.models import AuditCheckpoint
from enforcement.dispatch.models import OutboxMessage
from enforcement.fines.models import FineCategoryAmounts
from enforcement.holidays.models import DecreedHoliday
from enforcement.hosters.models import Hoster, HosterChange, HosterIpRange
from enforcement.letters.models import KenmerkCounter, Letter, LetterTemplate
from enforcement.metrics.models import BreachPolicy
from enforcement.notices.models import Notice, NoticeCheck, NoticeRevision, NoticeSource
from enforcement.orders.models import RemovalOrder, RemovalOrderItem, Violation
from enforcement.public.models import Appeal, InterimRelief, NamingResponse
from enforcement.sanctions.models import CollectionDecision, Forfeiture, Payment

__all__ = [
    "Appeal",
    "AuditCheckpoint",
    "BreachPolicy",
    "Case",
    "CaseEvent",
    "CollectionDecision",
    "Deadline",
    "Decision",
    "DecreedHoliday",
    "FineCategoryAmounts",
    "Forfeiture",
    "Hoster",
    "HosterChange",
    "HosterIpRange",
    "HosterView",
    "InterimRelief",
    "KenmerkCounter",
    "Letter",
    "LetterTemplate",
    "NamingResponse",
    "Notice",
    "NoticeCheck",
    "NoticeRevision",
    "NoticeSource",
    "Objection",
    "OutboxMessage",
    "Payment",
    "Proposal",
    "RemovalOrder",
    "RemovalOrderItem",
    "SignInAttempt",
    "User",
    "Violation",
]
