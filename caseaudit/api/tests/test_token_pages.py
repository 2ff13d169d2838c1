"""The pages under /account/tokens/ where people create, list and revoke their tokens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from caseaudit.api.actions import hash_secret
from caseaudit.api.models import ApiToken, TokenScope
from caseaudit.api.tests.conftest import make_token

pytestmark = pytest.mark.django_db


def test_anonymous_person_is_sent_to_sign_in(client) -> None:
    for name in ("api:token-list", "api:token-new"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_home_page_links_to_api_tokens(client_for, board_viewer) -> None:
    response = client_for(board_viewer).get(reverse("home"))
    assert reverse("api:token-list") in response.content.decode()


def test_list_shows_only_your_own_tokens(client_for, coordinator, health_lead) -> None:
    make_token(coordinator)
    ApiToken.objects.filter(user=coordinator).update(name="Mine")
    other, _ = make_token(health_lead)
    ApiToken.objects.filter(pk=other.pk).update(name="Somebody else's")
    page = client_for(coordinator).get(reverse("api:token-list")).content.decode()
    assert "Mine" in page
    assert "Somebody else" not in page


def test_token_is_shown_once_on_creation(client_for, health_auditor) -> None:
    client = client_for(health_auditor)
    response = client.post(
        reverse("api:token-new"), {"name": "Export", "scope": "read", "lifetime": "90"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=health_auditor)
    page = response.content.decode()
    secret = page.split('value="caseaudit_', 1)[1].split('"', 1)[0]
    assert token.key_hash == hash_secret(f"caseaudit_{secret}")
    assert token.scope == TokenScope.READ
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    listing = client.get(reverse("api:token-list")).content.decode()
    assert secret not in listing
    assert "Export" in listing


def test_default_lifetime_is_90_days_and_scope_read_only(client_for, coordinator) -> None:
    page = client_for(coordinator).get(reverse("api:token-new")).content.decode()
    assert 'value="90" checked' in page
    assert 'value="read" checked' in page


def test_lifetimes_offered_end_at_a_year(client_for, coordinator) -> None:
    response = client_for(coordinator).post(
        reverse("api:token-new"), {"name": "Forever", "scope": "read", "lifetime": "3650"}
    )
    assert response.status_code == 200
    assert "Select how long the token lasts" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_missing_name_shows_an_error_summary(client_for, coordinator) -> None:
    response = client_for(coordinator).post(
        reverse("api:token-new"), {"scope": "read_write", "lifetime": "30"}
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a name for the token" in page
    assert not ApiToken.objects.exists()


def test_revoking_your_token_stops_it(client_for, coordinator) -> None:
    token, _ = make_token(coordinator)
    client = client_for(coordinator)
    url = reverse("api:token-revoke", args=[token.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_revoked


def test_someone_elses_token_answers_404(client_for, coordinator, health_lead) -> None:
    token, _ = make_token(health_lead)
    client = client_for(coordinator)
    url = reverse("api:token-revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked
