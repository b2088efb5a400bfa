"""Import every model module, so metadata (create_all, migrations) sees all tables."""

from enforcement.auth.models import SignInAttempt, User
from enforcement.hosters.models import Hoster, HosterChange, HosterIpRange

__all__ = ["Hoster", "HosterChange", "HosterIpRange", "SignInAttempt", "User"]
