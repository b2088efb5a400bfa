"""Bad input on the pages is a 400 naming the parameter or field, never a 500 (issue 15,
finding 5)."""

import pytest

from enforcement.auth.models import Role
from tests.conftest import csrf_token_from


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/hosters/?q=%00", "parameter q contains a control character"),
        ("/hosters/?q=%E2%80%AEabc", "parameter q contains a control character"),
        ("/hosters/?page=9223372036854775808", "parameter page must be a whole number"),
        ("/hosters/?page=0", "parameter page must be a whole number"),
        ("/hosters/?page=-1", "parameter page must be a whole number"),
        ("/hosters/?page=99999", "past the last page"),
        ("/cases/?page=99999", "past the last page"),
        ("/letters/?page=99999", "past the last page"),
        ("/candidates?from=0001-01-01&to=2026-03-01", "parameter from holds a date outside"),
        ("/candidates?from=2026-03-01&to=9999-12-31", "parameter to holds a date outside"),
    ],
)
def test_bad_parameters_are_a_400_that_names_them(signed_in, client, path, named):
    signed_in(Role.SUPERVISOR)
    response = client.get(path)
    assert response.status_code == 400, response.status_code
    assert named in response.text


def test_an_overlong_address_is_refused(signed_in, client):
    signed_in(Role.OFFICER)
    response = client.get("/hosters/?q=" + "a" * 2100)
    assert response.status_code == 414


def test_a_control_character_in_a_form_field_is_a_400(signed_in, client):
    signed_in(Role.ADMIN)
    token = csrf_token_from(client.get("/admin/users/new").text)
    data = {"email": "a\x00@example.test", "csrf_token": token}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert "field email contains a control character" in response.text


def test_the_message_does_not_repeat_the_value(signed_in, client):
    signed_in(Role.OFFICER)
    response = client.get("/hosters/?q=https://secret.example.test/%00")
    assert response.status_code == 400
    assert "secret.example.test" not in response.text
