"""Personal API tokens: stored hashed, with an expiry and a scope; refused once expired, revoked
or when their owner is deactivated; never the session."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from caseaudit.activity.models import Change
from caseaudit.api import actions
from caseaudit.api.models import ApiToken, TokenScope
from caseaudit.api.tests.conftest import ApiClient, make_token
from caseaudit.audits.tests.factories import make_case, make_programme, make_return

pytestmark = pytest.mark.django_db


def test_token_is_kept_only_as_the_hash_of_its_secret(coordinator) -> None:
    token, secret = make_token(coordinator)
    assert secret.startswith("caseaudit_")
    assert len(secret) > 50
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {value for value in vars(stored).values() if isinstance(value, str)}
    assert stored.hint == secret[: len(stored.hint)]


def test_each_token_is_different(coordinator) -> None:
    secrets = {make_token(coordinator)[1] for _ in range(5)}
    assert len(secrets) == 5


def test_token_lasts_at_most_a_year(coordinator) -> None:
    with pytest.raises(ValueError):
        actions.create_token(
            coordinator, name="Too long", scope=TokenScope.READ, lifetime=timedelta(days=366)
        )


def test_creating_and_revoking_a_token_is_kept_in_the_history(coordinator) -> None:
    token, _secret = make_token(coordinator)
    actions.revoke_token(token, by=coordinator)
    fields = list(
        Change.objects.filter(object_type="api.apitoken", object_id=token.pk).values_list(
            "field", flat=True
        )
    )
    assert fields == ["created", "revoked"]


def test_valid_token_reads_and_records_when_it_was_last_used(coordinator) -> None:
    token, secret = make_token(coordinator)
    assert token.last_used_at is None
    response = ApiClient(secret).get("programmes")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_missing_token_is_refused_with_a_bearer_challenge(anonymous_api) -> None:
    response = anonymous_api.get("programmes")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:caseaudit:problem:unauthorized"


def test_unknown_token_is_refused(db) -> None:
    response = ApiClient("caseaudit_" + "x" * 43).get("programmes")
    assert response.status_code == 401
    assert response.json()["detail"] == "The token is not known"


def test_expired_token_is_refused(coordinator) -> None:
    token, secret = make_token(coordinator)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = ApiClient(secret).get("programmes")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_revoked_token_is_refused(coordinator) -> None:
    token, secret = make_token(coordinator)
    actions.revoke_token(token, by=coordinator)
    response = ApiClient(secret).get("programmes")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_token_of_a_deactivated_account_stops_working(coordinator) -> None:
    _token, secret = make_token(coordinator)
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    response = ApiClient(secret).get("programmes")
    assert response.status_code == 401
    assert "deactivated" in response.json()["detail"]


def test_usable_tokens_leave_out_expired_revoked_and_deactivated(coordinator, health_lead) -> None:
    usable, _ = make_token(coordinator)
    revoked, _ = make_token(coordinator)
    actions.revoke_token(revoked, by=coordinator)
    expired, _ = make_token(coordinator)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    make_token(health_lead)
    health_lead.is_active = False
    health_lead.save(update_fields=["is_active"])
    assert list(ApiToken.objects.usable()) == [usable]


def test_read_only_token_reads_but_cannot_write(coordinator, health) -> None:
    _token, secret = make_token(coordinator, TokenScope.READ)
    api = ApiClient(secret)
    programme = make_programme()
    assert api.get(f"programmes/{programme.pk}").status_code == 200
    response = api.patch(f"programmes/{programme.pk}", {"title": "Renamed"})
    assert response.status_code == 403
    assert response.json()["type"] == "urn:caseaudit:problem:read-only-token"
    programme.refresh_from_db()
    assert programme.title != "Renamed"


def test_read_only_token_cannot_save_answers(health, health_auditor) -> None:
    ret = make_return(make_case(make_programme()), health, health_auditor)
    _token, secret = make_token(health_auditor, TokenScope.READ)
    response = ApiClient(secret).patch(
        f"returns/{ret.pk}/answers", {"version": 1, "answers": {"feedback": {"text": "x"}}}
    )
    assert response.status_code == 403
    assert not ret.answers.exists()


def test_signed_in_session_does_not_authenticate_the_api(client_for, coordinator) -> None:
    client = client_for(coordinator)
    assert client.get("/api/v1/programmes").status_code == 401


def test_session_cannot_write_even_with_a_csrf_token(client_for, coordinator, health) -> None:
    client = client_for(coordinator)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/api/v1/programmes", data="{}", content_type="application/json", HTTP_X_CSRFTOKEN="x"
    )
    assert response.status_code == 401
