"""Form fields allow exactly what their columns hold, so a long value is a form error, never a
database error (issue 15, finding 9)."""

import pytest
from wtforms.validators import Length

from enforcement.auth.forms import SignInForm
from enforcement.auth.models import User
from enforcement.cases.forms import ObjectionForm
from enforcement.cases.models import Objection
from enforcement.holidays.forms import HolidayForm
from enforcement.holidays.models import DecreedHoliday
from enforcement.hosters.forms import HosterForm
from enforcement.hosters.models import Hoster
from enforcement.notices.forms import UploadForm
from enforcement.notices.models import NoticeSource
from enforcement.users.forms import CreateUserForm

PAIRS = [
    (SignInForm, "email", User.email),
    (CreateUserForm, "email", User.email),
    (ObjectionForm, "objector", Objection.objector),
    (HolidayForm, "name", DecreedHoliday.name),
    (HolidayForm, "decree", DecreedHoliday.decree),
    (HosterForm, "kvk", Hoster.kvk),
    (HosterForm, "trade_name", Hoster.trade_name),
    (HosterForm, "legal_name", Hoster.legal_name),
    (HosterForm, "country", Hoster.country),
    (HosterForm, "formal_email", Hoster.formal_email),
    (HosterForm, "abuse_contact", Hoster.abuse_contact),
    (UploadForm, "source", NoticeSource.name),
]


@pytest.mark.parametrize(("form", "field", "column"), PAIRS,
                         ids=[f"{f.__name__}.{n}" for f, n, _ in PAIRS])  # fmt: skip
def test_a_fields_maximum_is_its_columns_length(form, field, column):
    validators = getattr(form, field).kwargs.get("validators", [])
    maximum = [v.max for v in validators if isinstance(v, Length)]
    assert maximum == [column.type.length]
