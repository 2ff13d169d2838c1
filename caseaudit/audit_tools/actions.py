from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.activity.actions import record_change
from caseaudit.audit_tools.loading import load_tool
from caseaudit.audit_tools.models import ToolSource, ToolVersion, content_hash
from caseaudit.audit_tools.schema import Tool

SHIPPED_DIR = Path(__file__).parent / "shipped"


def _next_version(tool_key: str) -> int:
    latest = ToolVersion.objects.filter(tool_key=tool_key).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1


def create_draft(tool: Tool, *, by: Any, source: ToolSource) -> ToolVersion:
    """Store a validated tool as a new draft version numbered after the tool's latest."""
    with transaction.atomic():
        version = _next_version(tool.id)
        document = tool.model_copy(update={"version": version}).model_dump(mode="json")
        draft = ToolVersion.objects.create(
            tool_key=tool.id,
            version=version,
            title=tool.short_title,
            document=document,
            source=source,
            created_by=by,
        )
        record_change(draft, by=by, field="created", old=None, new=f"version {version} (draft)")
    return draft


def publish(tool_version: ToolVersion, *, by: Any) -> ToolVersion:
    """Freeze a draft for ever so that it can be assigned."""
    with transaction.atomic():
        tool_version.published_at = timezone.now()
        tool_version.published_by = by
        tool_version.save(update_fields=["published_at", "published_by"])
        record_change(
            tool_version, by=by, field="published", old=None, new=f"version {tool_version.version}"
        )
    return tool_version


def sync_shipped_tools() -> list[ToolVersion]:
    """Load each shipped tool file as a published version, unless its content is already the
    latest shipped version's. Idempotent: a changed file becomes a new version, never an edit."""
    created = []
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        tool = load_tool(path.read_text(encoding="utf-8"))
        latest = (
            ToolVersion.objects.filter(tool_key=tool.id, source=ToolSource.SHIPPED)
            .order_by("-version")
            .first()
        )
        if latest and latest.content_hash == content_hash(tool.model_dump(mode="json")):
            continue
        draft = create_draft(tool, by=None, source=ToolSource.SHIPPED)
        created.append(publish(draft, by=None))
    return created
