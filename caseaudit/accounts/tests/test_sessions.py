"""Sessions: ended by deactivation, a change of role and "sign out everywhere"; idle and
absolute timeouts; the timeout warning's status and keep-alive; the sign-in history."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from caseaudit.accounts import sessions
from caseaudit.accounts.tests.helpers import sign_in

pytestmark = pytest.mark.django_db

IDLE = 30 * 60
ABSOLUTE = 12 * 60 * 60


def signed_out(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def set_clock(client: Client, **seconds_ago: float) -> None:
    """Make the session look as if it signed in or was last used that many seconds ago."""
    session = client.session
    now = sessions.now_seconds()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_deactivating_an_account_ends_its_sessions_at_once(client_for, health_auditor) -> None:
    laptop, phone = client_for(health_auditor), client_for(health_auditor)
    assert health_auditor.sessions.count() == 2
    health_auditor.is_active = False
    health_auditor.save()
    assert signed_out(laptop) and signed_out(phone)
    assert not Session.objects.exists()
    assert not health_auditor.sessions.exists()


def test_a_change_of_role_ends_the_sessions(client_for, health_auditor) -> None:
    client = client_for(health_auditor)
    health_auditor.is_agency_lead = True
    health_auditor.save()
    assert signed_out(client)


def test_other_changes_leave_the_sessions_alone(client_for, health_auditor) -> None:
    client = client_for(health_auditor)
    health_auditor.job_title = "Named nurse"
    health_auditor.save()
    assert client.get("/").status_code == 200


def test_an_administrator_changing_roles_in_the_admin_ends_that_users_sessions(
    client_for, administrator, health_auditor
) -> None:
    auditor = client_for(health_auditor)
    admin = client_for(administrator)
    response = admin.post(
        f"/admin/accounts/user/{health_auditor.pk}/change/",
        {
            "email": health_auditor.email,
            "full_name": health_auditor.full_name,
            "job_title": "",
            "agency": health_auditor.agency_id,
            "is_active": "on",
            "is_agency_lead": "on",
        },
    )
    assert response.status_code == 302
    assert signed_out(auditor)
    assert admin.get("/").status_code == 200


def test_sign_out_everywhere_ends_every_session(client_for, coordinator) -> None:
    here, there = client_for(coordinator), client_for(coordinator)
    response = here.post("/accounts/sign-out-everywhere/", follow=True)
    assert "You have been signed out on every device." in response.content.decode()
    assert signed_out(here) and signed_out(there)
    assert here.get("/accounts/sign-out-everywhere/").status_code == 302  # anonymous now


def test_sign_out_everywhere_needs_a_post(client_for, coordinator) -> None:
    assert client_for(coordinator).get("/accounts/sign-out-everywhere/").status_code == 405


def test_a_session_idle_for_the_timeout_ends(client_for, coordinator) -> None:
    client = client_for(coordinator)
    set_clock(client, last_activity=IDLE - 60)
    assert client.get("/").status_code == 200
    set_clock(client, last_activity=IDLE + 1)
    response = client.get("/programmes/")
    assert response["Location"] == "/accounts/sign-in/?next=/programmes/"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you did nothing for a while" in page
    assert not coordinator.sessions.exists()


def test_each_request_counts_as_activity(client_for, coordinator) -> None:
    client = client_for(coordinator)
    set_clock(client, last_activity=IDLE - 60)
    client.get("/")
    set_clock(client, signed_in_at=0)  # leaves last_activity as the request stamped it
    assert client.get("/").status_code == 200


@override_settings(SESSION_IDLE_TIMEOUT_SECONDS=600)
def test_the_idle_timeout_is_a_setting(client_for, coordinator) -> None:
    client = client_for(coordinator)
    set_clock(client, last_activity=601)
    assert signed_out(client)


def test_a_session_ends_after_the_absolute_timeout_however_busy(client_for, coordinator) -> None:
    client = client_for(coordinator)
    set_clock(client, signed_in_at=ABSOLUTE - 60, last_activity=0)
    assert client.get("/").status_code == 200
    set_clock(client, signed_in_at=ABSOLUTE + 1, last_activity=0)
    response = client.get("/", follow=True)
    assert "you had been signed in for a long time" in response.content.decode()


def test_a_session_not_stamped_at_sign_in_is_not_trusted(client_for, coordinator) -> None:
    client = client_for(coordinator)
    session = client.session
    del session[sessions.SIGNED_IN_AT]
    session.save()
    assert signed_out(client)


def test_an_autosave_after_the_timeout_is_refused_without_a_redirect(
    client_for, coordinator
) -> None:
    client = client_for(coordinator)
    set_clock(client, last_activity=IDLE + 1)
    response = client.post("/returns/1/section-planning/", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401


def test_the_status_check_is_not_activity_but_stay_signed_in_is(client_for, coordinator) -> None:
    client = client_for(coordinator)
    set_clock(client, last_activity=IDLE - 120)
    status = client.get("/accounts/session/").json()
    assert status["signed_in"] is True and status["user"] == coordinator.pk
    assert 100 <= status["seconds_left"] <= 120
    assert client.get("/accounts/session/").json()["seconds_left"] <= 120

    kept = client.post("/accounts/session/").json()
    assert kept["seconds_left"] >= IDLE - 5
    assert client.get("/accounts/session/").json()["seconds_left"] >= IDLE - 5


def test_the_status_check_says_when_the_session_has_ended(client_for, client, coordinator) -> None:
    signed_in = client_for(coordinator)
    set_clock(signed_in, last_activity=IDLE + 1)
    assert signed_in.get("/accounts/session/").json() == {"signed_in": False}
    assert client.get("/accounts/session/").json() == {"signed_in": False}
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/session/").status_code == 403  # no CSRF token, no keep-alive


def test_the_status_check_gives_a_fresh_csrf_token(client_for, coordinator) -> None:
    client = client_for(coordinator)
    token = client.get("/accounts/session/").json()["csrf_token"]
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post("/accounts/session/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_pages_carry_the_timeout_warning_for_signed_in_people(
    client_for, client, coordinator
) -> None:
    page = client_for(coordinator).get("/").content.decode()
    assert 'id="session-timeout"' in page
    assert 'data-idle-seconds="1800"' in page and 'data-warning-seconds="300"' in page
    assert 'src="/static/caseaudit/session-timeout.js"' in page
    assert 'id="session-timeout"' not in client.get("/accounts/sign-in/").content.decode()


def test_your_account_shows_your_own_sign_in_history(client: Client, coordinator) -> None:
    client.post(
        "/accounts/sign-in/",
        {"username": coordinator.email, "password": "a-wrong-password"},
        REMOTE_ADDR="192.0.2.7",
    )
    sign_in(client, coordinator)
    page = client.get("/accounts/your-account/").content.decode()
    assert "Your recent sign-ins" in page
    assert "192.0.2.7" in page and "127.0.0.1" in page
    assert len(re.findall(r">\s*Failed\s*<", page)) == 1
    assert len(re.findall(r">\s*Succeeded\s*<", page)) == 1
    assert "a-wrong-password" not in page


def test_nobody_sees_anyone_elses_history(
    client: Client, client_for, coordinator, outsider
) -> None:
    sign_in(client, coordinator)
    page = client_for(outsider).get("/accounts/your-account/").content.decode()
    assert "No sign-ins recorded yet" in page


def test_the_session_cookie_is_http_only_and_same_site(client: Client, coordinator) -> None:
    sign_in(client, coordinator)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
