"""Audit tools through the API: versions, a version's document, checking YAML."""

from pathlib import Path

import pytest

from caseaudit.audits.tests.factories import full_tool

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).parents[2] / "audit_tools" / "shipped" / "focused_support_short.yaml"


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def test_tool_version_detail_holds_its_whole_document(coordinator_api) -> None:
    tool = full_tool()
    body = coordinator_api.get(f"tools/{tool.pk}").json()
    assert body["tool_key"] == "children_in_need_full"
    assert body["is_published"] is True
    assert body["document"]["id"] == "children_in_need_full"
    assert len(body["document"]["sections"]) == len(tool.tool.sections)


def test_tool_versions_are_filtered(coordinator_api) -> None:
    body = coordinator_api.get("tools?tool_key=focused_support_short&published=true").json()
    assert {item["tool_key"] for item in body["items"]} == {"focused_support_short"}
    assert coordinator_api.get("tools?published=false").json()["count"] == 0


def test_a_valid_document_is_reported_valid(coordinator_api) -> None:
    response = coordinator_api.post(
        "tools/validate", {"document": SHIPPED.read_text(encoding="utf-8")}
    )
    assert response.json() == {
        "valid": True,
        "tool_key": "focused_support_short",
        "version": response.json()["version"],
        "title": response.json()["title"],
        "errors": [],
    }


def test_an_invalid_document_lists_every_problem_with_its_line(coordinator_api) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("title:", "titel:", 1)
    body = coordinator_api.post("tools/validate", {"document": text}).json()
    assert body["valid"] is False
    paths = {error["path"] for error in body["errors"]}
    assert {"title", "titel"} <= paths
    assert all(error["line"] for error in body["errors"])


def test_control_characters_are_an_error_not_a_crash(coordinator_api) -> None:
    body = coordinator_api.post("tools/validate", {"document": "\x1c"}).json()
    assert body["valid"] is False
    assert body["errors"][0]["message"].startswith("not valid YAML")


def test_a_document_of_many_aliases_is_refused_before_expanding(coordinator_api) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
    body = coordinator_api.post("tools/validate", {"document": "\n".join(lines)}).json()
    assert body["valid"] is False
    assert "aliases" in body["errors"][0]["message"]


def test_nothing_is_stored_when_checking(coordinator_api) -> None:
    from caseaudit.audit_tools.models import ToolVersion

    before = ToolVersion.objects.count()
    coordinator_api.post("tools/validate", {"document": SHIPPED.read_text(encoding="utf-8")})
    assert ToolVersion.objects.count() == before
