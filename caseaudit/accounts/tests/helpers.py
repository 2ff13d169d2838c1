"""Signing in through the real pages, with two-factor codes computed as an app would."""

import re

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseaudit.accounts.models import User
from conftest import PASSWORD

PER_REQUEST = re.compile(rb'(nonce|value)="[A-Za-z0-9+/=_-]{20,}"')


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now. A code is accepted once, so this forgets the last one used."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def authenticator_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client: Client, user: User, password: str = PASSWORD, **extra):
    return client.post(
        "/accounts/sign-in/", {"username": user.email, "password": password}, **extra
    )


def sign_in_with_code(client: Client, user: User, device: TOTPDevice) -> None:
    assert sign_in(client, user)["Location"] == "/accounts/two-factor/"
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"


def without_per_request_tokens(content: bytes) -> bytes:
    """A page as the same for every request: without its CSP nonce and CSRF token."""
    return PER_REQUEST.sub(b"", content)
