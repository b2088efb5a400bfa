import sqlalchemy as sa

from enforcement.notices.api import issue_token
from enforcement.notices.models import Notice, NoticeSource


def item(notice_id: str, **overrides) -> dict:
    return {
        "notice_id": notice_id,
        "url": f"https://files.example.test/{notice_id}.jpg",
        "ip": "192.0.2.10",
        "notice_sent_at": "2026-03-01T10:00:00Z",
        **overrides,
    }


def token_for(session, source="monitor") -> str:
    token = issue_token(session, source)
    session.commit()
    return token


def post(client, token, body):
    return client.post("/api/v1/notices", json=body, headers={"Authorization": f"Bearer {token}"})


def count(session) -> int:
    return session.scalar(sa.select(sa.func.count(Notice.id)))


def test_batch_gives_per_item_results(client, session, two_hosters):
    token = token_for(session)
    body = {"notices": [item("a"), item("b", ip="198.51.100.1"), item("c", hoster="00000002")]}
    response = post(client, token, body)
    assert response.status_code == 200
    data = response.get_json()
    assert (data["created"], data["rejected"]) == (2, 1)
    assert [r["status"] for r in data["results"]] == ["created", "rejected", "created"]
    assert data["results"][1]["errors"] == [
        {"column": "ip", "reason": "the address is in no registered hoster's range"}
    ]
    assert count(session) == 2


def test_a_repeated_batch_changes_nothing(client, session, two_hosters):
    token = token_for(session)
    body = {"notices": [item("a"), item("b")]}
    post(client, token, body)
    session.expire_all()
    before = session.execute(sa.select(Notice.external_id, Notice.updated_at)).all()
    again = post(client, token, body).get_json()
    assert [r["status"] for r in again["results"]] == ["unchanged", "unchanged"]
    session.expire_all()
    assert session.execute(sa.select(Notice.external_id, Notice.updated_at)).all() == before
    later = post(client, token, {"notices": [item("a", offline_at="2026-03-01T11:00:00Z")]})
    assert later.get_json()["results"][0]["status"] == "updated"


def test_wrong_or_missing_token_is_refused(client, session, two_hosters):
    token_for(session)
    for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"Authorization": "Basic x"}):
        response = client.post("/api/v1/notices", json={"notices": [item("a")]}, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "Unauthorized"
    assert count(session) == 0


def test_token_is_stored_hashed_and_a_new_one_replaces_the_old(client, session, two_hosters):
    old = token_for(session)
    stored = session.scalar(sa.select(NoticeSource.token_hash))
    assert old not in stored and len(stored) == 64
    new = token_for(session)
    assert post(client, old, {"notices": [item("a")]}).status_code == 401
    assert post(client, new, {"notices": [item("a")]}).status_code == 200


def test_oversized_and_malformed_batches_are_refused_whole(client, session, two_hosters):
    token = token_for(session)
    big = post(client, token, {"notices": [item(str(n)) for n in range(1001)]})
    assert big.status_code == 413
    assert "at most 1000" in big.get_json()["message"]
    assert post(client, token, {"notices": []}).status_code == 400
    assert post(client, token, [item("a")]).status_code == 400
    bad_json = client.post("/api/v1/notices", data="{", content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert bad_json.status_code == 400 and bad_json.is_json
    assert count(session) == 0


def test_the_source_is_the_tokens_own(client, session, two_hosters):
    post(client, token_for(session, "monitor"), {"notices": [item("a")]})
    post(client, token_for(session, "hotline"), {"notices": [item("a")]})
    sources = session.scalars(sa.select(NoticeSource.name).join(Notice)).all()
    assert sorted(sources) == ["hotline", "monitor"]


def test_token_command_prints_a_working_token(runner, client, session, two_hosters):
    result = runner.invoke(args=["notices", "token", "--source", "monitor"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert post(client, token, {"notices": [item("a")]}).status_code == 200


def test_api_answers_never_echo_the_url(client, session, two_hosters):
    token = token_for(session)
    response = post(client, token, {"notices": [item("a", url="https://x.example.test/hidden",
                                                     notice_sent_at="bad")]})  # fmt: skip
    assert "hidden" not in response.get_data(as_text=True)
