def test_staff_pages_are_never_cached_but_the_sign_in_page_may_be(client, signed_in):
    assert "no-store" not in client.get("/sign-in").headers.get("Cache-Control", "")
    signed_in("officer")
    assert client.get("/hosters/").headers["Cache-Control"] == "no-store"


def test_an_oversized_body_is_refused_before_it_is_read(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/sign-in", data={"email": "x" * 4096})
    assert response.status_code == 413
