"""Only administrators may use the user pages; everyone else gets 403 and changes nothing."""

import pytest
import sqlalchemy as sa

from enforcement.auth.models import Role, User
from tests.conftest import csrf_token_from

NON_ADMINS = [Role.OFFICER, Role.LEGAL, Role.SUPERVISOR]
USER_ROUTES = [
    ("GET", "/admin/users/", {}),
    ("GET", "/admin/users/new", {}),
    (
        "POST",
        "/admin/users/new",
        {
            "email": "sneaky@authority.example.test",
            "role": "admin",
            "password": "a long enough password",
            "password_repeat": "a long enough password",
        },
    ),
    ("GET", "/admin/users/{id}", {}),
    ("POST", "/admin/users/{id}/role", {"role": "admin"}),
    ("POST", "/admin/users/{id}/active", {"active": "0"}),
]


def users_state(session) -> list[tuple]:
    """Return every user's e-mail address, role and state, to show nothing changed."""
    session.expire_all()
    rows = session.execute(sa.select(User.email, User.role, User.active).order_by(User.id))
    return [tuple(row) for row in rows]


@pytest.mark.parametrize("role", NON_ADMINS)
@pytest.mark.parametrize(("method", "path", "data"), USER_ROUTES)
def test_non_admins_get_403(signed_in, create_user, client, session, role, method, path, data):
    user = signed_in(role)
    create_user(Role.ADMIN)
    before = users_state(session)
    token = csrf_token_from(client.get("/sign-in").text)
    url = path.format(id=user.id)
    response = client.open(url, method=method, data={"csrf_token": token, **data})
    assert response.status_code == 403
    assert users_state(session) == before
