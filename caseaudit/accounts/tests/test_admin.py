"""The Django admin (accounts and agencies) is for administrators only."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_the_service_sign_in(client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "persona", ["coordinator", "health_lead", "health_auditor", "board_viewer"]
)
def test_other_roles_cannot_use_the_admin(request, client_for, persona: str) -> None:
    client = client_for(request.getfixturevalue(persona))
    response = client.get("/admin/accounts/user/", follow=True)
    assert response.status_code == 404


def test_administrator_manages_users_and_agencies(client_for, administrator, health) -> None:
    client = client_for(administrator)
    assert client.get("/admin/accounts/user/").status_code == 200
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.auditor@example.org",
            "full_name": "New Auditor",
            "job_title": "School nurse",
            "agency": health.pk,
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    from caseaudit.accounts.models import User

    user = User.objects.get(email="new.auditor@example.org")
    assert user.check_password("a-long-enough-passphrase")
    assert client.get("/admin/accounts/agency/").status_code == 200


def test_a_short_password_is_refused(client_for, administrator, health) -> None:
    response = client_for(administrator).post(
        "/admin/accounts/user/add/",
        {"email": "x@example.org", "full_name": "X", "agency": health.pk, "password": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
