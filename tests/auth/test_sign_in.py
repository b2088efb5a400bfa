def test_sign_in_and_out(create_user, auth, client):
    user = create_user("officer")
    response = auth.login(user.email)
    assert response.status_code == 302
    assert client.get("/hosters/").status_code == 200
    auth.logout()
    assert client.get("/hosters/").status_code == 302
