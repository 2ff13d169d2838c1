import pytest
from django.test import Client

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=/"


def test_sign_in_page_shows_the_protective_marking(client: Client) -> None:
    response = client.get("/accounts/sign-in/")
    assert response.status_code == 200
    assert b'class="app-marking"' in response.content
    assert b"OFFICIAL-SENSITIVE" in response.content


def test_empty_sign_in_shows_a_govuk_error_summary(client: Client) -> None:
    response = client.post("/accounts/sign-in/", {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert "govuk-error-summary" in html
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: Client, coordinator
) -> None:
    response = client.post(
        "/accounts/sign-in/", {"username": coordinator.email, "password": "wrong-password-1"}
    )
    assert "Enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_with_any_letter_case_goes_home(client: Client, coordinator) -> None:
    response = client.post(
        "/accounts/sign-in/", {"username": coordinator.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_sign_in_follows_a_local_next_but_never_an_external_one(
    client: Client, coordinator
) -> None:
    data = {"username": coordinator.email, "password": PASSWORD}
    response = client.post("/accounts/sign-in/?next=/tools/", data)
    assert response["Location"] == "/tools/"
    client.logout()
    response = client.post("/accounts/sign-in/?next=https://evil.example/", data)
    assert response["Location"] == "/"


def test_inactive_account_cannot_sign_in(client: Client, coordinator) -> None:
    coordinator.is_active = False
    coordinator.save()
    client.post("/accounts/sign-in/", {"username": coordinator.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post(client_for, coordinator) -> None:
    client = client_for(coordinator)
    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")
    assert response["Location"] == "/accounts/sign-in/"
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2(coordinator) -> None:
    assert coordinator.password.startswith("argon2")
