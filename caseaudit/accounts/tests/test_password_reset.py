"""Password reset by e-mail, and the password rules."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from caseaudit.accounts.tests.helpers import without_per_request_tokens

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


def ask_for_link(client: Client, email: str):
    return client.post("/accounts/password-reset/", {"email": email}, follow=True)


def link_in(message) -> str:
    return re.search(r"http://127.0.0.1:8000(/accounts/password-reset/\S+/)", message.body)[1]


def test_the_same_page_whether_or_not_the_account_exists(
    client: Client, coordinator, mailoutbox
) -> None:
    known = ask_for_link(client, coordinator.email.upper())
    unknown = ask_for_link(Client(), "nobody@example.org")
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password-reset/sent/", 302)]
    )
    assert known.status_code == unknown.status_code == 200
    assert without_per_request_tokens(known.content) == without_per_request_tokens(unknown.content)
    assert "Check your email" in known.content.decode()
    [message] = mailoutbox
    assert message.to == [coordinator.email]
    assert "Reset your Case Audit password" in message.subject


def test_a_deactivated_account_gets_no_link(client: Client, coordinator, mailoutbox) -> None:
    coordinator.is_active = False
    coordinator.save()
    ask_for_link(client, coordinator.email)
    assert mailoutbox == []


def test_the_link_sets_a_new_password_once(client: Client, coordinator, mailoutbox) -> None:
    ask_for_link(client, coordinator.email)
    link = link_in(mailoutbox[0])
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    assert "set-password" in set_password_url  # the token leaves the address bar

    mismatch = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    )
    assert "The passwords do not match" in mismatch.content.decode()
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/accounts/password-reset/complete/"
    coordinator.refresh_from_db()
    assert coordinator.check_password(NEW_PASSWORD)

    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_a_reset_ends_every_session_of_the_old_password(
    client: Client, client_for, coordinator, mailoutbox
) -> None:
    signed_in = client_for(coordinator)
    ask_for_link(client, coordinator.email)
    form = client.get(link_in(mailoutbox[0]), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert signed_in.get("/")["Location"].startswith("/accounts/sign-in/")
    assert not coordinator.sessions.exists()


def test_an_empty_or_malformed_address_gets_a_govuk_error(client: Client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "not an address"})
    assert "Enter an email address in the correct format" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short pass", "too short"),
        ("x" * 129, "too long"),
        ("password1234", "too common"),
    ],
)
def test_passwords_must_be_long_but_not_too_long_and_not_common(password, problem) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate_password(password)


@pytest.mark.parametrize(
    "password", ["lowercase words only here", "y" * 64, "z" * 128, "1234 5678 9012 3456"]
)
def test_no_composition_rules(password) -> None:
    validate_password(password)
