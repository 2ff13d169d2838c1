"""Errors are RFC 9457 problem details, and every list is paginated."""

import pytest

from caseaudit.audits.tests.factories import make_programme

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == f"urn:caseaudit:problem:{kind}"
    assert body["title"]
    assert body["detail"]
    return body


def test_not_found_is_a_problem(coordinator_api) -> None:
    body = assert_problem(coordinator_api.get("programmes/4242"), 404, "not-found")
    assert body["errors"] == []


def test_invalid_body_lists_each_field(coordinator_api) -> None:
    response = coordinator_api.post("programmes", {"title": 5, "agency_ids": []})
    body = assert_problem(response, 422, "validation-error")
    pointers = {error["pointer"] for error in body["errors"]}
    assert {"/audit_date", "/return_deadline", "/agency_ids"} <= pointers
    assert all(error["message"] for error in body["errors"])


def test_invalid_parameter_is_named(coordinator_api) -> None:
    body = assert_problem(coordinator_api.get("programmes?limit=0"), 422, "validation-error")
    assert body["errors"][0]["field"] == "limit"
    assert body["errors"][0]["pointer"] is None


def test_path_id_that_is_not_a_number_is_a_problem(coordinator_api) -> None:
    assert_problem(coordinator_api.get("programmes/abc"), 422, "validation-error")
    assert_problem(coordinator_api.get("programmes/99999999999999999999"), 422, "validation-error")


def test_body_that_is_not_json_is_a_problem(coordinator_api) -> None:
    response = coordinator_api.client.post(
        "/api/v1/programmes",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {coordinator_api.secret}"},
    )
    assert_problem(response, 400, "bad-request")


def test_no_token_is_a_problem(anonymous_api) -> None:
    assert_problem(anonymous_api.get("cases"), 401, "unauthorized")


def test_wrong_role_is_a_problem(api_for, health_lead) -> None:
    assert_problem(api_for(health_lead).post("tools/validate", {"document": "x"}), 403, "forbidden")


def test_pages_have_a_count_and_links(coordinator_api) -> None:
    for number in range(5):
        make_programme(title=f"Programme {number}")
    first = coordinator_api.get("programmes?limit=2").json()
    assert first["count"] == 5
    assert len(first["items"]) == 2
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/programmes?limit=2&offset=2")
    last = coordinator_api.get("programmes?limit=2&offset=4").json()
    assert len(last["items"]) == 1
    assert last["next"] is None
    assert last["previous"].endswith("offset=2")
    titles = [item["title"] for item in first["items"] + last["items"]]
    assert len(set(titles)) == 3


def test_page_size_is_limited(coordinator_api) -> None:
    assert coordinator_api.get("programmes?limit=200").status_code == 200
    assert coordinator_api.get("programmes?limit=201").status_code == 422


def test_filters_are_kept_in_the_next_link(coordinator_api) -> None:
    for number in range(3):
        make_programme(title=f"Programme {number}", status="planning")
    body = coordinator_api.get("programmes?status=planning&limit=1").json()
    assert "status=planning" in body["next"]


def test_body_too_large_is_a_problem(coordinator_api, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = coordinator_api.post("tools/validate", {"document": "x" * 2000})
    body = assert_problem(response, 413, "too-large")
    assert body["detail"] == "The request body may be at most 1,000 bytes"
