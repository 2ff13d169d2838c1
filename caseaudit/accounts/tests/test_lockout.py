"""Throttling: a temporary lockout per account and, at a higher limit, per client address,
with the address read from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT allows."""

import pytest
from django.test import Client, override_settings

from caseaudit.accounts.tests.helpers import (
    authenticator_for,
    code_for,
    sign_in,
    without_per_request_tokens,
)

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"
LOCKED = "Too many attempts to sign in"


def fail(client: Client, email: str, **extra):
    return client.post("/accounts/sign-in/", {"username": email, "password": WRONG}, **extra)


def test_five_wrong_passwords_lock_the_account_wherever_it_is_tried_from(
    client: Client, coordinator
) -> None:
    for _ in range(4):
        assert fail(client, coordinator.email).status_code == 200
    fifth = fail(client, coordinator.email)
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    elsewhere = sign_in(Client(REMOTE_ADDR="192.0.2.50"), coordinator)
    assert elsewhere.status_code == 429  # even the right password, from another address


def test_a_locked_account_does_not_lock_its_address_for_other_people(
    client: Client, coordinator, health_auditor
) -> None:
    for _ in range(5):
        fail(client, coordinator.email)
    assert sign_in(client, health_auditor)["Location"] == "/"


def test_the_lockout_ends_after_the_cool_off(client: Client, coordinator) -> None:
    from axes.models import AccessAttempt

    for _ in range(5):
        fail(client, coordinator.email)
    assert sign_in(client, coordinator).status_code == 429
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")  # long ago
    assert sign_in(client, coordinator)["Location"] == "/"


@override_settings(LOCKOUT_ADDRESS_FAILURE_LIMIT=8)
def test_an_address_is_locked_at_its_own_higher_limit(client: Client, coordinator) -> None:
    for number in range(7):
        assert fail(client, f"guess{number}@example.org").status_code == 200
    assert fail(client, "guess7@example.org").status_code == 429
    assert sign_in(client, coordinator).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="192.0.2.50"), coordinator)["Location"] == "/"


@override_settings(LOCKOUT_ADDRESS_FAILURE_LIMIT=4)
def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client: Client, coordinator) -> None:
    for number in range(4):
        fail(client, f"guess{number}@example.org", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert sign_in(client, coordinator, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


@override_settings(LOCKOUT_ADDRESS_FAILURE_LIMIT=4, TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client(
    coordinator,
) -> None:
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for number in range(4):
        # Whatever the client writes on the left, the proxy's own entry is the last one.
        forged = f"203.0.113.{number}, 198.51.100.7"
        fail(proxy, f"guess{number}@example.org", HTTP_X_FORWARDED_FOR=forged)
    locked = sign_in(proxy, coordinator, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429
    other_client = sign_in(proxy, coordinator, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other_client["Location"] == "/"


def test_sign_in_does_not_say_whether_an_account_exists(client: Client, coordinator) -> None:
    known = fail(client, coordinator.email)
    unknown = fail(Client(), "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    known_page = without_per_request_tokens(known.content)
    unknown_page = without_per_request_tokens(unknown.content)
    assert known_page.replace(coordinator.email.encode(), b"EMAIL") == unknown_page.replace(
        b"nobody@example.org", b"EMAIL"
    )


def test_a_lockout_does_not_say_whether_an_account_exists(client: Client, coordinator) -> None:
    for _ in range(5):
        known = fail(client, coordinator.email)
        unknown = fail(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    assert without_per_request_tokens(known.content) == without_per_request_tokens(unknown.content)


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_five_wrong_codes_lock_out_even_the_right_code(client: Client, coordinator) -> None:
    device = authenticator_for(coordinator)
    sign_in(client, coordinator)
    for _ in range(5):
        assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200
    locked = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")  # signed out


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_wrong_recovery_codes_count_towards_the_same_lockout(client: Client, coordinator) -> None:
    authenticator_for(coordinator)
    sign_in(client, coordinator)
    for _ in range(5):
        client.post("/accounts/two-factor/recovery-code/", {"code": "aaaaaaaa"})
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 429


@override_settings(REQUIRE_TWO_FACTOR=True, LOCKOUT_ADDRESS_FAILURE_LIMIT=6)
def test_wrong_codes_from_one_address_lock_it_at_the_higher_limit(
    coordinator, health_auditor, health_lead
) -> None:
    first, _second, third = (
        authenticator_for(user) for user in (coordinator, health_auditor, health_lead)
    )
    for user in (coordinator, health_auditor):
        client = Client()
        sign_in(client, user)
        for _ in range(3):
            client.post("/accounts/two-factor/", {"code": "000000"})
    client = Client()
    sign_in(client, health_lead)
    assert client.post("/accounts/two-factor/", {"code": code_for(third)}).status_code == 429
    elsewhere = Client(REMOTE_ADDR="192.0.2.50")
    sign_in(elsewhere, coordinator)
    assert elsewhere.post("/accounts/two-factor/", {"code": code_for(first)})["Location"] == "/"
