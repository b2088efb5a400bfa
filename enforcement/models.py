"""Import every model module, so metadata (create_all, migrations) sees all tables."""

from enforcement.auth.models import SignInAttempt, User
from enforcement.holidays.models import DecreedHoliday
from enforcement.hosters.models import Hoster, HosterChange, HosterIpRange
from enforcement.metrics.models import BreachPolicy
from enforcement.notices.models import Notice, NoticeCheck, NoticeSource

__all__ = [
    "BreachPolicy",
    "DecreedHoliday",
    "Hoster",
    "HosterChange",
    "HosterIpRange",
    "Notice",
    "NoticeCheck",
    "NoticeSource",
    "SignInAttempt",
    "User",
]
