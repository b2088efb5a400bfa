import html

import sqlalchemy as sa

from enforcement.hosters.models import Hoster
from tests.conftest import csrf_token_from
from tests.hosters.conftest import hoster_fields


def post_form(client, path: str, **fields):
    """Open the form page (for its CSRF token and hidden fields), then post the fields."""
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), **fields}
    return client.post(path, data=data)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_officer_registers_a_hoster_and_sees_it_with_its_history(client, signed_in, session):
    officer = signed_in("officer")
    response = post_form(client, "/hosters/new", **hoster_fields(1, ip_ranges="192.0.2.0/28"))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Host 1 B.V." in page and "192.0.2.0/28" in page
    assert officer.email in page and "Saved." in page


def test_invalid_form_shows_a_message_per_field_and_saves_nothing(client, signed_in, session):
    signed_in("legal")
    fields = hoster_fields(1, kvk="123", formal_email="nope", ip_ranges="192.0.2.1/24")
    response = post_form(client, "/hosters/new", **fields)
    assert response.status_code == 200
    page = text_of(response)
    assert "A KvK number is exactly 8 digits" in page
    assert "not a valid e-mail address" in page
    assert "did you mean 192.0.2.0/24?" in page
    assert session.scalar(sa.select(sa.func.count(Hoster.id))) == 0


def test_identical_range_names_the_other_hoster(client, signed_in, create_hoster, session):
    create_hoster(1, trade_name="Wholesale", ip_ranges="192.0.2.0/24")
    signed_in("supervisor")
    response = post_form(client, "/hosters/new", **hoster_fields(2, ip_ranges="192.0.2.0/24"))
    assert response.status_code == 200
    assert "192.0.2.0/24 is already announced by Wholesale (KvK 00000001)." in text_of(response)
    assert session.scalar(sa.select(sa.func.count(Hoster.id))) == 1


def test_nested_range_is_saved_with_a_notice(client, signed_in, create_hoster):
    create_hoster(1, trade_name="Wholesale", ip_ranges="192.0.2.0/24")
    signed_in("officer")
    response = post_form(client, "/hosters/new", **hoster_fields(2, ip_ranges="192.0.2.64/26"))
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "192.0.2.64/26 lies inside 192.0.2.0/24 of Wholesale" in page


def test_edit_records_who_changed_what(client, signed_in, create_hoster):
    hoster = create_hoster(1)
    legal = signed_in("legal")
    path = f"/hosters/{hoster.id}/edit"
    form_page = text_of(client.get(path))
    assert 'value="Host 1 B.V."' in form_page and "198.51.100.16/28" in form_page
    response = post_form(client, path, **hoster_fields(1, legal_name="Renamed B.V."), version="1")
    assert response.status_code == 302
    page = text_of(client.get(f"/hosters/{hoster.id}"))
    assert "Renamed B.V." in page
    assert "Host 1 B.V. → Renamed B.V." in page
    assert legal.email in page


def test_stale_edit_is_refused_and_keeps_the_other_change(
    client, signed_in, create_hoster, session
):
    hoster = create_hoster(1)
    signed_in("officer")
    path = f"/hosters/{hoster.id}/edit"
    first = post_form(client, path, **hoster_fields(1, trade_name="First"), version="1")
    assert first.status_code == 302
    # A second officer still had the form open at version 1.
    second = post_form(client, path, **hoster_fields(1, trade_name="Second"), version="1")
    assert second.status_code == 200
    assert "Someone else changed this hoster" in text_of(second)
    session.expire_all()
    assert session.get(Hoster, hoster.id).trade_name == "First"


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, signed_in, session):
    signed_in("officer")
    response = client.post("/hosters/new", data=hoster_fields(1))
    assert response.status_code == 400
    assert session.scalar(sa.select(sa.func.count(Hoster.id))) == 0


def test_list_searches_and_pages(client, signed_in, create_hoster, app):
    app.config["HOSTERS_PER_PAGE"] = 2
    for number in range(1, 6):
        create_hoster(number, trade_name=f"Host {number:02d}")
    signed_in("admin")
    first = text_of(client.get("/hosters/"))
    assert "Host 01" in first and "Host 02" in first and "Host 03" not in first
    assert "Page 1 of 3 (5 in all)" in first
    third = text_of(client.get("/hosters/?page=3"))
    assert "Host 05" in third
    found = text_of(client.get("/hosters/?q=host 04"))
    assert "Host 04" in found and "Host 01" not in found
    assert "No hoster matches" in text_of(client.get("/hosters/?q=zzz"))


def test_admin_may_read_but_not_edit(client, signed_in, create_hoster):
    hoster = create_hoster(1)
    signed_in("admin")
    assert client.get(f"/hosters/{hoster.id}").status_code == 200
    assert "Edit</a>" not in text_of(client.get(f"/hosters/{hoster.id}"))
    assert client.get(f"/hosters/{hoster.id}/edit").status_code == 403


def test_unknown_hoster_is_a_404(client, signed_in):
    signed_in("officer")
    assert client.get("/hosters/999").status_code == 404
    assert client.get("/hosters/999/edit").status_code == 404
