"""Fuzz the monitor's API and the upload page with Hypothesis: whatever comes in, the answer is
never a 500 (issue 15). A bounded number of examples keeps the suite fast."""

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement.auth.models import Role
from enforcement.notices.api import issue_token
from tests.conftest import csrf_token_from

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
COLUMNS = ["notice_id", "url", "ip", "hoster", "notice_sent_at", "offline_at", "reappeared_at",
           "content_hash"]  # fmt: skip
odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "fe80::1%eth0", "9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z",
                     "https://x.example.test/" + "a" * 3000, "\u202e", "00000001",
                     "2026-03-01T10:00:00Z", "192.0.2.10", "=1+1", "-1e400"]),
)  # fmt: skip
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), odd_text),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
api_item = st.dictionaries(st.sampled_from(COLUMNS), json_value, max_size=8) | json_value


@FUZZ
@given(items=st.lists(api_item, max_size=5))
def test_the_api_never_fails_with_a_500(client, session, two_hosters, items):
    token = issue_token(session, "monitor")
    session.commit()
    response = client.post("/api/v1/notices", data=json.dumps({"notices": items}),
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code in {200, 400, 413}, response.get_data(as_text=True)


csv_cell = odd_text.map(lambda value: value.replace('"', '""'))


@pytest.fixture
def officer_client(signed_in, client):
    """A client signed in once as an officer, for every example."""
    signed_in(Role.OFFICER)
    return client


@FUZZ
@given(rows=st.lists(st.lists(csv_cell, min_size=8, max_size=9), max_size=4),
       skip_invalid=st.booleans())  # fmt: skip
def test_the_upload_never_fails_with_a_500(officer_client, two_hosters, rows, skip_invalid):
    lines = [",".join(COLUMNS)] + [",".join(f'"{cell}"' for cell in row) for row in rows]
    token = csrf_token_from(officer_client.get("/notices/upload").text)
    data = {"csrf_token": token, "source": "hotline", "file_format": "csv",
            "file": (io.BytesIO("\n".join(lines).encode()), "fuzz.csv")}  # fmt: skip
    if skip_invalid:
        data["skip_invalid"] = "y"
    response = officer_client.post("/notices/upload", data=data,
                                   content_type="multipart/form-data")  # fmt: skip
    assert response.status_code in {200, 302, 413, 422}, response.status_code
