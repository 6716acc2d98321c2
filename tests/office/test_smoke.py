def test_home_redirects_anonymous_to_login(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert "/accounts/login/" in resp["Location"]


def test_home_shows_unit_and_roles_in_chinese(client, director):
    client.force_login(director)
    resp = client.get("/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "主任" in body and "个人信息" in body
