"""The holidays page: everyone reads it; supervisors and admins add and remove decreed days."""

import html
from datetime import date

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role
from enforcement.core.time import LOCAL_TZ, utcnow
from enforcement.deadlines import atw_holiday_names
from enforcement.holidays.models import DecreedHoliday
from tests.conftest import csrf_token_from
from tests.holidays.conftest import DECREE

FRIDAY_AFTER_ASCENSION = date(2026, 5, 15)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post_form(client, path: str, **fields):
    token = csrf_token_from(client.get("/holidays").text)
    return client.post(path, data={"csrf_token": token, **fields})


def add_form(day: str = "2026-05-15", name: str = "Friday after Ascension Day", decree=DECREE):
    return {"day": day, "name": name, "decree": decree}


def stored(session) -> list[tuple]:
    """Return every decreed holiday row as (day, name, removal reason), fresh from the database."""
    session.expire_all()
    query = sa.select(DecreedHoliday.day, DecreedHoliday.name, DecreedHoliday.removal_reason)
    return [tuple(row) for row in session.execute(query.order_by(DecreedHoliday.id))]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_this_and_next_years_holidays(client, signed_in, role):
    signed_in(role)
    page = text_of(client.get("/holidays"))
    this_year = utcnow().astimezone(LOCAL_TZ).year
    for year in (this_year, this_year + 1):
        for day, name in atw_holiday_names(year).items():
            assert day.isoformat() in page and name in page
    can_manage = role in (Role.SUPERVISOR, Role.ADMIN)
    assert ("Add a decreed day" in page) is can_manage


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_a_supervisor_or_admin_adds_a_day(client, signed_in, session, role):
    user = signed_in(role)
    response = post_form(client, "/holidays", **add_form())
    assert response.status_code == 302
    assert response.headers["Location"] == "/holidays"
    page = text_of(client.get("/holidays"))
    assert "2026-05-15 (Friday after Ascension Day) now counts as a holiday." in page
    assert DECREE in page and f"by {user.email}" in page
    assert stored(session) == [(FRIDAY_AFTER_ASCENSION, "Friday after Ascension Day", None)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (add_form(day="2026-05-16"), "2026-05-16 is a Saturday"),
        (add_form(day="2026-12-25"), "already a holiday under the Atw itself (Christmas Day)"),
        (add_form(day="15-05-2026"), "Not a valid date value."),
        (add_form(name=""), "This field is required."),
        (add_form(decree=" "), "Cite the decree"),
    ],
)
def test_a_refused_day_is_explained_on_the_form(client, signed_in, session, fields, message):
    signed_in(Role.SUPERVISOR)
    response = post_form(client, "/holidays", **fields)
    assert response.status_code == 422
    assert message in text_of(response)
    assert stored(session) == []


def test_a_duplicate_day_is_refused(client, signed_in, session, create_decreed_holiday):
    create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    signed_in(Role.SUPERVISOR)
    response = post_form(client, "/holidays", **add_form(name="Again"))
    assert response.status_code == 422
    assert "2026-05-15 is already a decreed holiday" in text_of(response)
    assert len(stored(session)) == 1


def test_removal_with_a_reason_keeps_the_history(client, signed_in, session,
                                                 create_decreed_holiday):  # fmt: skip
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    supervisor = signed_in(Role.SUPERVISOR)
    response = post_form(client, f"/holidays/{holiday.id}/remove", reason="Decree withdrawn")
    assert response.status_code == 302
    page = text_of(client.get("/holidays"))
    assert "2026-05-15 no longer counts as a holiday; the record stays." in page
    assert f"by {supervisor.email}:" in page and "Decree withdrawn" in page
    assert "Friday after Ascension Day" in page
    assert stored(session) == [
        (FRIDAY_AFTER_ASCENSION, "Friday after Ascension Day", "Decree withdrawn")
    ]


def test_removal_without_a_reason_changes_nothing(client, signed_in, session,
                                                  create_decreed_holiday):  # fmt: skip
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    signed_in(Role.ADMIN)
    response = post_form(client, f"/holidays/{holiday.id}/remove", reason="")
    assert response.status_code == 302
    assert "Say why 2026-05-15 is removed; nothing was changed." in text_of(client.get("/holidays"))
    assert stored(session) == [(FRIDAY_AFTER_ASCENSION, "Friday after Ascension Day", None)]


def test_removing_twice_is_explained(client, signed_in, create_decreed_holiday):
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    signed_in(Role.SUPERVISOR)
    post_form(client, f"/holidays/{holiday.id}/remove", reason="First")
    post_form(client, f"/holidays/{holiday.id}/remove", reason="Second")
    assert "2026-05-15 was already removed." in text_of(client.get("/holidays"))


def test_removing_an_unknown_day_is_404(client, signed_in):
    signed_in(Role.SUPERVISOR)
    assert post_form(client, "/holidays/999/remove", reason="Gone").status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEGAL])
def test_other_roles_may_not_add_or_remove(client, signed_in, session, create_decreed_holiday,
                                           role):  # fmt: skip
    holiday = create_decreed_holiday(FRIDAY_AFTER_ASCENSION)
    signed_in(role)
    before = stored(session)
    page = text_of(client.get("/holidays"))
    assert "Reason for removing" not in page and "Add a decreed day" not in page
    assert post_form(client, "/holidays", **add_form(day="2026-12-24")).status_code == 403
    removal = post_form(client, f"/holidays/{holiday.id}/remove", reason="No")
    assert removal.status_code == 403
    assert stored(session) == before
