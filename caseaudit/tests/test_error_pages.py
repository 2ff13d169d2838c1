import pytest

pytestmark = pytest.mark.django_db


def test_not_found_uses_the_service_layout(client_for, coordinator) -> None:
    response = client_for(coordinator).get("/returns/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "OFFICIAL-SENSITIVE" in html


def test_forbidden_uses_the_service_layout(client_for, health_auditor) -> None:
    response = client_for(health_auditor).get("/tools/")
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
