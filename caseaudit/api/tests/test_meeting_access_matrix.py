"""Who may do what with meeting records, findings, themes, actions and report data through the
API: every role against every resource, reading and writing. The rules are the access module's,
as on the pages; a refusal that concerns an object answers 404, as one that does not exist."""

from typing import Any

import pytest

from caseaudit.api.models import TokenScope
from caseaudit.api.tests.conftest import MeetingWorld

pytestmark = pytest.mark.django_db

PERSONAS = (
    "coordinator",
    "health_lead",
    "health_auditor",
    "board_viewer",
    "administrator",
    "outsider",
)

NOBODY_ELSE = {"board_viewer": 404, "administrator": 404, "outsider": 404}
ONLY_COORDINATORS = {
    "health_lead": 404,
    "health_auditor": 404,
    "board_viewer": 404,
    "administrator": 404,
    "outsider": 404,
}
EVERYONE = dict.fromkeys(PERSONAS, 200)


def finding_body(world: MeetingWorld) -> dict[str, Any]:
    return {"kind": "strength", "text": "The plan was clear.", "theme_ids": [world.theme.pk]}


def merge_body(world: MeetingWorld) -> dict[str, Any]:
    return {"target_id": world.other_theme.pk}


PROGRESS = {"status": "in_progress", "note": "Training booked."}

# operation → (method, path, body, {persona: status})
MATRIX: dict[str, tuple[str, str, Any, dict[str, int]]] = {
    "read meeting record": (
        "GET",
        "programmes/{programme}/meeting",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "read consolidated case": (
        "GET",
        "cases/{case}/consolidated",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "read consolidated case not opened": (
        "GET",
        "cases/{other_case}/consolidated",
        None,
        {"coordinator": 200, **ONLY_COORDINATORS},
    ),
    "read finding": (
        "GET",
        "findings/{finding}",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "record finding": (
        "POST",
        "cases/{case}/findings",
        finding_body,
        {"coordinator": 201, **ONLY_COORDINATORS},
    ),
    "change finding": (
        "PATCH",
        "findings/{finding}",
        {"text": "The assessment took six weeks."},
        {"coordinator": 200, **ONLY_COORDINATORS},
    ),
    "read theme": ("GET", "themes/{theme}", None, EVERYONE),
    "add theme": (
        "POST",
        "themes",
        {"name": "Voice of the child"},
        {
            "coordinator": 201,
            "health_lead": 403,
            "health_auditor": 403,
            "board_viewer": 403,
            "administrator": 403,
            "outsider": 403,
        },
    ),
    "rename theme": (
        "PATCH",
        "themes/{theme}",
        {"name": "Timely assessment"},
        {"coordinator": 200, **ONLY_COORDINATORS},
    ),
    "merge theme": (
        "POST",
        "themes/{theme}/merge",
        merge_body,
        {"coordinator": 200, **ONLY_COORDINATORS},
    ),
    "read own agency's action": (
        "GET",
        "actions/{health_action}",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "read another agency's action": (
        "GET",
        "actions/{csc_action}",
        None,
        {"coordinator": 200, **ONLY_COORDINATORS},
    ),
    "read action's progress": (
        "GET",
        "actions/{health_action}/updates",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "record progress on own agency's action": (
        "POST",
        "actions/{health_action}/progress",
        PROGRESS,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "record progress on another agency's action": (
        "POST",
        "actions/{csc_action}/progress",
        PROGRESS,
        {"coordinator": 200, **ONLY_COORDINATORS},
    ),
    "read heat map": (
        "GET",
        "reports/programmes/{programme}/heat-map",
        None,
        {
            "coordinator": 200,
            "health_lead": 200,
            "health_auditor": 404,
            "board_viewer": 200,
            "administrator": 404,
            "outsider": 404,
        },
    ),
    "read distributions": (
        "GET",
        "reports/programmes/{programme}/distributions",
        None,
        {
            "coordinator": 200,
            "health_lead": 200,
            "health_auditor": 404,
            "board_viewer": 200,
            "administrator": 404,
            "outsider": 404,
        },
    ),
    "read equality tables": (
        "GET",
        "reports/equality",
        None,
        {
            "coordinator": 200,
            "health_lead": 200,
            "health_auditor": 403,
            "board_viewer": 200,
            "administrator": 403,
            "outsider": 403,
        },
    ),
    "read calibration": (
        "GET",
        "reports/calibration",
        None,
        {
            "coordinator": 200,
            "health_lead": 200,
            "health_auditor": 403,
            "board_viewer": 403,
            "administrator": 403,
            "outsider": 403,
        },
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", list(MATRIX))
def test_role_resource_method_matrix(request, api_for, meeting_world, persona, operation) -> None:
    method, template, body, expected = MATRIX[operation]
    api = api_for(request.getfixturevalue(persona))
    payload = body(meeting_world) if callable(body) else body
    response = api.request(method, meeting_world.path(template), payload)
    assert response.status_code == expected[persona], response.content


LISTS = {
    "findings": {"coordinator": 1, "health_lead": 1, "health_auditor": 1},
    "themes": dict.fromkeys(PERSONAS, 2),
    "actions": {"coordinator": 2, "health_lead": 1},
    "reports/programmes": {"coordinator": 1, "health_lead": 1, "board_viewer": 1},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("resource", list(LISTS))
def test_lists_hold_only_what_each_role_may_see(
    request, api_for, meeting_world, persona, resource
) -> None:
    response = api_for(request.getfixturevalue(persona)).get(resource)
    assert response.status_code == 200
    assert response.json()["count"] == LISTS[resource].get(persona, 0)


WRITES = [operation for operation, (method, *_) in MATRIX.items() if method != "GET"]


@pytest.mark.parametrize("operation", WRITES)
def test_read_only_token_may_not_write(api_for, meeting_world, coordinator, operation) -> None:
    method, template, body, _expected = MATRIX[operation]
    api = api_for(coordinator, TokenScope.READ)
    payload = body(meeting_world) if callable(body) else body
    response = api.request(method, meeting_world.path(template), payload)
    assert response.status_code == 403
    assert response.json()["type"] == "urn:caseaudit:problem:read-only-token"


GUESSES = [
    ("programmes/{id}/meeting", "programme"),
    ("cases/{id}/consolidated", "case"),
    ("findings/{id}", "finding"),
    ("actions/{id}", "health_action"),
    ("actions/{id}/updates", "health_action"),
    ("reports/programmes/{id}/heat-map", "programme"),
    ("reports/programmes/{id}/distributions", "programme"),
]


@pytest.mark.parametrize(("template", "name"), GUESSES)
def test_guessed_ids_answer_404_like_forbidden_ones(
    api_for, meeting_world, coordinator, outsider, template, name
) -> None:
    """An id that exists but is not yours and one that does not exist get the same answer."""
    existing = getattr(meeting_world, name).pk
    outsiders = api_for(outsider)
    forbidden = outsiders.get(template.format(id=existing))
    missing = outsiders.get(template.format(id=existing + 1000))
    guessed_by_coordinator = api_for(coordinator).get(template.format(id=existing + 1000))
    assert forbidden.status_code == missing.status_code == guessed_by_coordinator.status_code == 404
    assert forbidden.json() == missing.json() == guessed_by_coordinator.json()
    assert forbidden["Content-Type"] == "application/problem+json"
