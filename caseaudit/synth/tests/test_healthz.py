def test_health_answers_ok_without_signing_in(client):
    # No `db` fixture: pytest-django fails the test if the view touches the database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_health_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405
