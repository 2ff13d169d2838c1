"""Who may do what through the API: every role against every resource, reading and writing.
The rules are the access module's, as on the pages; anything refused that concerns an object
answers 404, exactly as an object that does not exist."""

from dataclasses import dataclass
from typing import Any

import pytest

from caseaudit.accounts.models import Agency
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import Programme, Return
from caseaudit.audits.tests.factories import full_tool, make_case, make_programme, make_return

pytestmark = pytest.mark.django_db

PERSONAS = (
    "coordinator",
    "health_lead",
    "health_auditor",
    "board_viewer",
    "administrator",
    "outsider",
)


@dataclass
class World:
    programme: Programme
    case_id: int
    ret: Return
    csc: Agency
    tool_id: int

    def path(self, template: str) -> str:
        return template.format(
            programme=self.programme.pk, case=self.case_id, ret=self.ret.pk, tool=self.tool_id
        )


@pytest.fixture
def world(health, childrens_social_care, health_auditor, health_lead) -> World:
    programme = make_programme()
    programme.agencies.set([health, childrens_social_care])
    case = make_case(programme)
    ret = make_return(case, health, health_auditor)
    return World(programme, case.pk, ret, childrens_social_care, full_tool().pk)


def programme_body(world: World) -> dict[str, Any]:
    return {
        "title": "Neglect audit",
        "audit_date": "2026-06-01",
        "return_deadline": "2026-07-01",
        "agency_ids": [world.csc.pk],
    }


def case_body(world: World) -> dict[str, Any]:
    return {"case_identifier": "NEW-1", "initials": "AB", "age": 6, "category": "child_in_need"}


def assignment_body(world: World) -> dict[str, Any]:
    return {"agency_id": world.csc.pk, "tool_version_id": world.tool_id}


def answers_body(world: World) -> dict[str, Any]:
    return {"version": world.ret.version, "answers": {"feedback": {"text": "Helpful audit"}}}


def submit_body(world: World) -> dict[str, Any]:
    return {"version": world.ret.version}


def validate_body(world: World) -> dict[str, Any]:
    return {"document": "id: broken"}


NOBODY_ELSE = {"board_viewer": 404, "administrator": 404, "outsider": 404}
# operation → (method, path, body, {persona: status})
MATRIX: dict[str, tuple[str, str, Any, dict[str, int]]] = {
    "read programme": (
        "GET",
        "programmes/{programme}",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "read case": (
        "GET",
        "cases/{case}",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "read assignment": (
        "GET",
        "assignments/{ret}",
        None,
        {"coordinator": 200, "health_lead": 200, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "read draft return": (
        "GET",
        "returns/{ret}",
        None,
        {"coordinator": 404, "health_lead": 200, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "read tool version": (
        "GET",
        "tools/{tool}",
        None,
        {"coordinator": 200, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "create programme": (
        "POST",
        "programmes",
        programme_body,
        {
            "coordinator": 201,
            "health_lead": 403,
            "health_auditor": 403,
            "board_viewer": 403,
            "administrator": 403,
            "outsider": 403,
        },
    ),
    "change programme": (
        "PATCH",
        "programmes/{programme}",
        {"title": "Renamed"},
        {"coordinator": 200, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "move programme on": (
        "POST",
        "programmes/{programme}/status",
        {"status": "meeting"},
        {"coordinator": 200, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "add case": (
        "POST",
        "programmes/{programme}/cases",
        case_body,
        {"coordinator": 201, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "add cases in bulk": (
        "POST",
        "programmes/{programme}/cases/bulk",
        lambda world: {"cases": [case_body(world)]},
        {"coordinator": 201, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "change case": (
        "PATCH",
        "cases/{case}",
        {"initials": "ZZ"},
        {"coordinator": 200, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "assign agency": (
        "POST",
        "cases/{case}/assignments",
        assignment_body,
        {"coordinator": 201, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "remove assignment": (
        "DELETE",
        "assignments/{ret}",
        None,
        {"coordinator": 204, "health_lead": 404, "health_auditor": 404, **NOBODY_ELSE},
    ),
    "save answers": (
        "PATCH",
        "returns/{ret}/answers",
        answers_body,
        {"coordinator": 404, "health_lead": 404, "health_auditor": 200, **NOBODY_ELSE},
    ),
    "submit return": (
        "POST",
        "returns/{ret}/submit",
        submit_body,
        # The auditor reaches the check: the return is not complete yet.
        {"coordinator": 404, "health_lead": 404, "health_auditor": 422, **NOBODY_ELSE},
    ),
    "check a tool document": (
        "POST",
        "tools/validate",
        validate_body,
        {
            "coordinator": 200,
            "health_lead": 403,
            "health_auditor": 403,
            "board_viewer": 403,
            "administrator": 403,
            "outsider": 403,
        },
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", list(MATRIX))
def test_role_resource_method_matrix(request, api_for, world, persona, operation) -> None:
    method, template, body, expected = MATRIX[operation]
    api = api_for(request.getfixturevalue(persona))
    payload = body(world) if callable(body) else body
    response = api.request(method, world.path(template), payload)
    assert response.status_code == expected[persona], response.content


LISTS = {
    "programmes": {"coordinator": 1, "health_lead": 1, "health_auditor": 1},
    "cases": {"coordinator": 1, "health_lead": 1, "health_auditor": 1},
    "assignments": {"coordinator": 1, "health_lead": 1, "health_auditor": 1},
    "tools": {"coordinator": -1},  # every version: see below
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("resource", list(LISTS))
def test_lists_hold_only_what_each_role_may_see(request, api_for, world, persona, resource):
    api = api_for(request.getfixturevalue(persona))
    response = api.get(resource)
    assert response.status_code == 200
    expected = LISTS[resource].get(persona, 0)
    if expected == -1:
        expected = ToolVersion.objects.count()
    assert response.json()["count"] == expected


GUESSES = [
    "programmes/{id}",
    "cases/{id}",
    "assignments/{id}",
    "returns/{id}",
    "tools/{id}",
    "programmes/{id}/cases",
    "cases/{id}/assignments",
]


@pytest.mark.parametrize("template", GUESSES)
def test_guessed_ids_answer_404_like_forbidden_ones(
    api_for, world, coordinator, outsider, template
) -> None:
    """An id that exists but is not yours and one that does not exist get the same answer."""
    existing = {
        "programmes": world.programme.pk,
        "cases": world.case_id,
        "assignments": world.ret.pk,
        "returns": world.ret.pk,
        "tools": world.tool_id,
    }[template.split("/")[0]]
    outsiders = api_for(outsider)
    forbidden = outsiders.get(template.format(id=existing))
    missing = outsiders.get(template.format(id=existing + 1000))
    guessed_by_coordinator = api_for(coordinator).get(template.format(id=existing + 1000))
    assert forbidden.status_code == missing.status_code == guessed_by_coordinator.status_code == 404
    assert forbidden.json() == missing.json() == guessed_by_coordinator.json()
    assert forbidden["Content-Type"] == "application/problem+json"
