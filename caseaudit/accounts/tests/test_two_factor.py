"""Two-factor sign-in: setting up an authenticator app, codes, recovery codes, and the
middleware that keeps a half-signed-in session away from everything else."""

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseaudit.accounts import two_factor
from caseaudit.accounts.models import SignInEvent, SignInMethod
from caseaudit.accounts.tests.helpers import (
    authenticator_for,
    code_for,
    sign_in,
    sign_in_with_code,
)
from caseaudit.audits.tests.factories import make_case, make_programme, make_return

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]


@pytest.fixture
def two_factor_required():
    with override_settings(REQUIRE_TWO_FACTOR=True):
        yield


def test_a_coordinator_without_an_app_is_sent_to_set_one_up(client: Client, coordinator) -> None:
    response = sign_in(client, coordinator)
    assert response["Location"] == "/accounts/two-factor/set-up/"
    assert client.get("/")["Location"] == "/accounts/two-factor/set-up/"

    page = client.get("/accounts/two-factor/set-up/").content.decode()
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in page
    assert not TOTPDevice.objects.exists()  # showing the page changes nothing
    device = TOTPDevice(key=client.session[two_factor.NEW_AUTHENTICATOR_KEY])
    assert two_factor.secret_for_typing(device) in page
    again = client.get("/accounts/two-factor/set-up/").content.decode()
    assert two_factor.secret_for_typing(device) in again  # the same secret until confirmed

    wrong = client.post("/accounts/two-factor/set-up/", {"code": "000000"})
    assert "The security code is not correct" in wrong.content.decode()
    assert client.get("/")["Location"] == "/accounts/two-factor/set-up/"

    code = f"{totp(device.bin_key):06d}"
    right = client.post("/accounts/two-factor/set-up/", {"code": code})
    assert right["Location"] == "/accounts/two-factor/recovery-codes/"
    codes_page = client.get(right["Location"]).content.decode()
    assert "You will not be shown these codes again" in codes_page
    tokens = StaticToken.objects.filter(device__user=coordinator)
    assert tokens.count() == two_factor.RECOVERY_CODE_COUNT
    assert all(f"<li>{token.token[:4]} {token.token[4:]}</li>" in codes_page for token in tokens)
    assert client.get(right["Location"])["Location"] == "/accounts/your-account/"
    assert client.get("/").status_code == 200
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed
    assert two_factor.NEW_AUTHENTICATOR_KEY not in client.session
    assert not two_factor.check_authenticator_code(device, code)  # used once already


def test_recovery_codes_are_shown_as_they_must_be_typed(client: Client, coordinator) -> None:
    device = authenticator_for(coordinator)
    codes = two_factor.new_recovery_codes(coordinator)
    sign_in_with_code(client, coordinator, device)
    client.post("/accounts/two-factor/recovery-codes/new/")
    page = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert not any(code[:4] + " " + code[4:] in page for code in codes)  # the old ones are gone
    for token in StaticToken.objects.filter(device__user=coordinator):
        assert f"<li>{token.token[:4]} {token.token[4:]}</li>" in page


def test_a_user_with_an_app_enters_its_code_after_the_password(client: Client, coordinator) -> None:
    device = authenticator_for(coordinator)
    assert sign_in(client, coordinator)["Location"] == "/accounts/two-factor/"
    wrong = client.post("/accounts/two-factor/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "The security code is not correct" in wrong.content.decode()
    assert client.get("/programmes/")["Location"] == "/accounts/two-factor/"

    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response["Location"] == "/"
    assert client.get("/programmes/").status_code == 200
    history = SignInEvent.objects.filter(user=coordinator).order_by("at", "pk")
    assert [(event.method, event.succeeded) for event in history] == [
        (SignInMethod.PASSWORD, True),
        (SignInMethod.AUTHENTICATOR, False),
        (SignInMethod.AUTHENTICATOR, True),
    ]


def test_the_page_asked_for_before_signing_in_is_reached_after_the_code(
    client: Client, coordinator
) -> None:
    device = authenticator_for(coordinator)
    client.post(
        "/accounts/sign-in/?next=/programmes/",
        {"username": coordinator.email, "password": "correct-horse-battery-staple"},
    )
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response["Location"] == "/programmes/"


def test_a_code_is_accepted_only_once(client: Client, coordinator) -> None:
    device = authenticator_for(coordinator)
    code = code_for(device)
    assert two_factor.check_authenticator_code(device, code)
    assert not two_factor.check_authenticator_code(device, code)


@override_settings(REQUIRE_TWO_FACTOR=False)
def test_an_app_set_up_is_asked_for_even_where_it_is_not_required(
    client: Client, board_viewer
) -> None:
    device = authenticator_for(board_viewer)
    assert sign_in(client, board_viewer)["Location"] == "/accounts/two-factor/"
    assert client.get("/")["Location"] == "/accounts/two-factor/"
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.get("/").status_code == 200


def test_a_board_viewer_alone_is_not_made_to_set_up_an_app(client: Client, board_viewer) -> None:
    assert sign_in(client, board_viewer)["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("persona", ["coordinator", "health_lead", "health_auditor"])
def test_every_role_that_sees_case_content_must_use_two_factor(
    request, client: Client, persona: str
) -> None:
    user = request.getfixturevalue(persona)
    assert sign_in(client, user)["Location"] == "/accounts/two-factor/set-up/"


def test_a_recovery_code_works_once(client: Client, health_auditor) -> None:
    authenticator_for(health_auditor)
    code = two_factor.new_recovery_codes(health_auditor)[0]
    sign_in(client, health_auditor)
    response = client.post("/accounts/two-factor/recovery-code/", {"code": code.upper()})
    assert response["Location"] == "/"
    assert "9 left" in client.get("/").content.decode()

    client.post("/accounts/sign-out/")
    sign_in(client, health_auditor)
    again = client.post("/accounts/two-factor/recovery-code/", {"code": code})
    assert "already been used" in again.content.decode()
    assert client.get("/")["Location"] == "/accounts/two-factor/"


def test_an_app_cannot_be_replaced_before_the_code_is_given(client: Client, coordinator) -> None:
    authenticator_for(coordinator)
    sign_in(client, coordinator)
    assert client.get("/accounts/two-factor/set-up/")["Location"] == "/accounts/two-factor/"
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_an_unverified_session_reaches_no_case_page(client: Client, health_auditor) -> None:
    ret = make_return(make_case(make_programme()), health_auditor.agency, auditor=health_auditor)
    authenticator_for(health_auditor)
    sign_in(client, health_auditor)
    for path in ("/", f"/returns/{ret.pk}/", f"/returns/{ret.pk}/check/", "/my-audits/"):
        assert client.get(path)["Location"] == "/accounts/two-factor/", path
    response = client.post(f"/returns/{ret.pk}/check/", {"password": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert client.get("/accounts/your-account/").status_code == 302
    assert client.get("/accounts/sign-in/").status_code == 200
    assert client.post("/accounts/sign-out/")["Location"] == "/accounts/sign-in/"


def test_an_unverified_session_sees_no_navigation(client: Client, coordinator) -> None:
    authenticator_for(coordinator)
    sign_in(client, coordinator)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Programmes" not in page and "Your account" not in page
    assert "Sign out" in page


def test_the_admin_is_closed_until_the_second_step(client: Client, administrator) -> None:
    device = authenticator_for(administrator)
    sign_in(client, administrator)
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/"
    assert client.get("/admin/accounts/user/")["Location"] == "/accounts/two-factor/"
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert client.get("/admin/accounts/user/").status_code == 200


def test_an_administrator_without_an_app_cannot_use_the_admin(client_for, administrator) -> None:
    client = client_for(administrator)  # signed in by password only
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/set-up/"


def test_the_admin_itself_refuses_an_unverified_administrator(rf, administrator) -> None:
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/admin/")
    request.user = administrator
    request.user.is_verified = lambda: False
    request.session = SessionStore()
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_the_session_gets_a_new_id_at_sign_in_and_again_after_the_code(
    client: Client, coordinator
) -> None:
    device = authenticator_for(coordinator)
    client.get("/accounts/sign-in/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, coordinator)
    after_password = client.session.session_key
    client.post("/accounts/two-factor/", {"code": code_for(device)})
    after_code = client.session.session_key
    assert len({before, after_password, after_code}) == 3
    assert coordinator.sessions.get().session_key == after_code
