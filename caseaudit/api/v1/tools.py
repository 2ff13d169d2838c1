"""Audit tools: the versions a coordinator may see, each version's document, and checking a
YAML document before importing it."""

from dataclasses import asdict
from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from caseaudit import access
from caseaudit.api.v1.common import (
    Page,
    PageParams,
    PathId,
    Storable,
    errors,
    paginate,
    user_of,
)
from caseaudit.api.v1.problems import ApiProblem
from caseaudit.audit_tools.loading import ToolInvalid, load_tool
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.schema import Tool

router = Router(tags=["Tools"])

MAX_DOCUMENT = 1_000_000


class ToolVersionOut(Schema):
    id: int
    tool_key: str
    version: int
    title: str
    source: str
    is_published: bool
    published_at: datetime | None
    created_at: datetime


class ToolVersionDetail(ToolVersionOut):
    document: Tool


class ToolFilters(Schema):
    tool_key: Storable | None = Field(None, max_length=60, description="Only this tool")
    published: bool | None = Field(None, description="Only published versions, or only drafts")


class ValidateIn(Schema):
    document: Storable = Field(max_length=MAX_DOCUMENT, description="The tool as YAML")


class ToolProblemOut(Schema):
    path: str
    line: int | None
    message: str


class ValidationOut(Schema):
    valid: bool
    tool_key: str | None = None
    version: int | None = None
    title: str | None = None
    errors: list[ToolProblemOut]


def _version(tool_version: ToolVersion) -> dict[str, object]:
    return {
        "id": tool_version.pk,
        "tool_key": tool_version.tool_key,
        "version": tool_version.version,
        "title": tool_version.title,
        "source": tool_version.source,
        "is_published": tool_version.is_published,
        "published_at": tool_version.published_at,
        "created_at": tool_version.created_at,
    }


@router.get("/tools", response={200: Page[ToolVersionOut], **errors()})
def list_tool_versions(
    request: HttpRequest, page: Query[PageParams], filters: Query[ToolFilters]
) -> dict[str, object]:
    """Tool versions, drafts included: coordinators only (everyone else sees an empty list)."""
    versions = access.visible_tool_versions(user_of(request)).defer("document")
    if filters.tool_key is not None:
        versions = versions.filter(tool_key=filters.tool_key)
    if filters.published is not None:
        versions = versions.filter(published_at__isnull=not filters.published)
    return paginate(request, versions.order_by("tool_key", "-version"), page, _version)


@router.post("/tools/validate", response={200: ValidationOut, **errors()})
def validate_tool(request: HttpRequest, payload: ValidateIn) -> dict[str, object]:
    """Check a tool document as `caseaudit tools validate` does; nothing is stored. The answer
    lists every problem with its path and line."""
    if not access.can_design_tools(user_of(request)):
        raise ApiProblem("forbidden", "Only coordinators check and import audit tools")
    try:
        tool = load_tool(payload.document)
    except ToolInvalid as invalid:
        return {"valid": False, "errors": [asdict(error) for error in invalid.errors]}
    return {
        "valid": True,
        "tool_key": tool.id,
        "version": tool.version,
        "title": tool.title,
        "errors": [],
    }


# After /tools/validate: a path parameter would match "validate" too.
@router.get("/tools/{tool_version_id}", response={200: ToolVersionDetail, **errors()})
def get_tool_version(request: HttpRequest, tool_version_id: PathId) -> dict[str, object]:
    """One tool version with its whole document, as JSON."""
    tool_version = access.get_tool_version(user_of(request), tool_version_id)
    return {**_version(tool_version), "document": tool_version.tool}
