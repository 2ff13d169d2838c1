"""The OpenAPI document and the docs page."""

import pytest

from caseaudit.api.tests.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served_to_a_token(coordinator) -> None:
    _token, secret = make_token(coordinator)
    response = ApiClient(secret).get("openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/programmes/{programme_id}/cases/bulk" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_openapi_document_is_served_to_a_signed_in_person(client_for, board_viewer) -> None:
    assert client_for(board_viewer).get("/api/v1/openapi.json").status_code == 200


def test_openapi_document_needs_a_token_or_sign_in(anonymous_api) -> None:
    response = anonymous_api.get("openapi.json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_errors_are_documented_as_problem_details(coordinator) -> None:
    _token, secret = make_token(coordinator)
    document = ApiClient(secret).get("openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "404", "429"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)


def test_docs_page_needs_sign_in(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 302


def test_docs_page_loads_its_scripts_from_the_service(client_for, coordinator) -> None:
    response = client_for(coordinator).get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert page.count(f'nonce="{nonce}"') == 2
