"""Error answers: fixed texts, no stack traces, no echo of the request; undeclared views refused."""

import pytest

from enforcement.auth.models import Role
from enforcement.core.web import public

LEAKY_PATH = "/nothing/http%3A%2F%2Fabuse.example.test%2Fimg.jpg"
SECRET_DETAIL = "db password hunter2 at abuse.example.test"


def test_404_page_neither_traces_nor_echoes(client):
    response = client.get(LEAKY_PATH)
    assert response.status_code == 404
    body = response.text
    assert "There is nothing at this address." in body
    assert "abuse.example.test" not in body
    assert "img.jpg" not in body
    assert "Traceback" not in body


def test_404_for_a_json_client_is_json(client):
    response = client.get(LEAKY_PATH, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.json == {
        "error": "Not found",
        "message": "There is nothing at this address.",
        "status": 404,
    }


def test_405_is_a_page_too(client):
    response = client.put("/sign-in")
    assert response.status_code == 405
    assert "does not accept that kind of request" in response.text


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False}])
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_500_leaks_neither_the_exception_nor_a_traceback(app, client, accept, caplog):
    @app.get("/explode")
    @public
    def explode():
        raise RuntimeError(SECRET_DETAIL)

    response = client.get("/explode", headers={"Accept": accept})
    assert response.status_code == 500
    body = response.text
    assert "Something went wrong on our side." in body
    assert "hunter2" not in body
    assert "RuntimeError" not in body
    assert "Traceback" not in body
    assert "hunter2" in caplog.text  # it is logged for the operators instead


def test_view_without_access_declaration_is_refused_even_for_an_admin(app, signed_in, client):
    @app.get("/undeclared")
    def undeclared():
        return "should never be served"

    signed_in(Role.ADMIN)
    response = client.get("/undeclared")
    assert response.status_code == 403
    assert "should never be served" not in response.text


def test_undeclared_view_is_refused_for_anonymous_too(app, client):
    @app.get("/undeclared")
    def undeclared():
        return "should never be served"

    assert client.get("/undeclared").status_code == 403


def test_domain_not_found_is_a_404_with_its_message(signed_in, client):
    signed_in(Role.ADMIN)
    response = client.get("/admin/users/424242", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["message"] == "No such user."


def test_an_id_beyond_the_database_range_is_a_404(signed_in, client):
    signed_in("admin")
    assert client.get("/hosters/99999999999999999999").status_code == 404
    assert client.get("/admin/users/2147483648").status_code == 404
