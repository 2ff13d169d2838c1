"""Sign-in: open redirects, session fixation, account enumeration."""

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from caseaudit.accounts.models import User
from caseaudit.demo import DEMO_PASSWORD
from tests.security.conftest import World

pytestmark = pytest.mark.django_db


# Sign-in: open redirects, session fixation, account enumeration --------------------------------


def _sign_in(client: Client, email: str, password: str, next_url: str = "") -> Any:
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(f"/accounts/sign-in/?{urlencode({'next': next_url})}", data)


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "https:evil.example",
        "http://testserver@evil.example/",
    ],
)
def test_sign_in_never_redirects_off_the_site(world: World, next_url: str) -> None:
    response = _sign_in(Client(), "coordinator@demo.example", DEMO_PASSWORD, next_url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert not location.netloc and not location.scheme, response["Location"]
    assert not response["Location"].startswith(("//", "/\\"))


def test_sign_in_still_follows_a_local_next(world: World) -> None:
    response = _sign_in(Client(), "coordinator@demo.example", DEMO_PASSWORD, "/programmes/")
    assert response.status_code == 302
    assert response["Location"] in {"/programmes/", "/accounts/two-factor/"} or response[
        "Location"
    ].startswith("/")


def test_the_session_key_changes_at_sign_in(world: World) -> None:
    client = Client()
    client.get("/accounts/sign-in/")
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted = session.session_key
    client.cookies["sessionid"] = planted
    response = _sign_in(client, "coordinator@demo.example", DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session.session_key != planted


def _normalised(html: str) -> str:
    html = re.sub(r'nonce="[^"]+"', "", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'value="[^"]*@[^"]*"', "", html)


def test_sign_in_does_not_say_whether_an_account_exists(world: World) -> None:
    exists = _sign_in(Client(), "coordinator@demo.example", "not the password at all")
    missing = _sign_in(Client(), "nobody.here@demo.example", "not the password at all")
    assert exists.status_code == missing.status_code
    assert _normalised(exists.content.decode()) == _normalised(missing.content.decode())
    inactive = User.objects.get(email="board@demo.example")
    inactive.is_active = False
    inactive.save()
    deactivated = _sign_in(Client(), "board@demo.example", "not the password at all")
    assert _normalised(deactivated.content.decode()) == _normalised(missing.content.decode())
