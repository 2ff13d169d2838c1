"""Tool versions: drafts until published, frozen for ever once published; shipped tools sync."""

from pathlib import Path

import pytest
from django.core.management import call_command

from caseaudit.audit_tools import actions
from caseaudit.audit_tools.loading import dump_tool, load_tool
from caseaudit.audit_tools.models import FrozenToolVersionError, ToolSource, ToolVersion

pytestmark = pytest.mark.django_db


def full_tool_version() -> ToolVersion:
    return ToolVersion.objects.published().get(tool_key="children_in_need_full", version=1)


def test_a_migrated_database_holds_both_shipped_tools_as_published_versions() -> None:
    published = ToolVersion.objects.published().values_list("tool_key", "version", "source")
    assert set(published) == {
        ("children_in_need_full", 1, ToolSource.SHIPPED),
        ("focused_support_short", 1, ToolSource.SHIPPED),
    }


def test_a_published_version_cannot_be_saved_changed() -> None:
    tool_version = full_tool_version()
    tool_version.title = "Changed"
    with pytest.raises(FrozenToolVersionError):
        tool_version.save()
    tool_version.document["title"] = "Changed"
    with pytest.raises(FrozenToolVersionError):
        tool_version.save(update_fields=["document"])
    assert full_tool_version().title == "Children in Need — full"


def test_a_published_version_cannot_be_updated_or_deleted_in_bulk() -> None:
    with pytest.raises(FrozenToolVersionError):
        ToolVersion.objects.filter(tool_key="children_in_need_full").update(title="Changed")
    with pytest.raises(FrozenToolVersionError):
        ToolVersion.objects.all().delete()
    with pytest.raises(FrozenToolVersionError):
        full_tool_version().delete()
    assert ToolVersion.objects.count() == 2


def test_a_draft_can_change_until_it_is_published(coordinator) -> None:
    draft = actions.create_draft(
        full_tool_version().tool, by=coordinator, source=ToolSource.IMPORTED
    )
    assert draft.version == 2 and not draft.is_published
    draft.title = "Edited draft"
    draft.save()
    actions.publish(draft, by=coordinator)
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == coordinator
    draft.title = "Edited again"
    with pytest.raises(FrozenToolVersionError):
        draft.save()


def test_sync_is_idempotent_and_a_changed_shipped_file_becomes_a_new_version(
    tmp_path: Path, monkeypatch
) -> None:
    assert actions.sync_shipped_tools() == []
    source = actions.SHIPPED_DIR / "children_in_need_full.yaml"
    changed = source.read_text(encoding="utf-8").replace(
        '"Is the plan child-centred?"', '"Is the plan child-centred and clear?"'
    )
    (tmp_path / "children_in_need_full.yaml").write_text(changed, encoding="utf-8")
    monkeypatch.setattr(actions, "SHIPPED_DIR", tmp_path)

    created = actions.sync_shipped_tools()

    assert [(tool.tool_key, tool.version, tool.is_published) for tool in created] == [
        ("children_in_need_full", 2, True)
    ]
    assert full_tool_version().tool.sections[4].questions[1].text == "Is the plan child-centred?"
    assert actions.sync_shipped_tools() == []


def test_import_creates_a_new_draft_with_the_same_content(tmp_path: Path, capsys) -> None:
    path = tmp_path / "exported.yaml"
    path.write_text(dump_tool(full_tool_version().tool), encoding="utf-8")

    call_command("tools", "import", str(path))

    draft = ToolVersion.objects.get(tool_key="children_in_need_full", version=2)
    assert not draft.is_published and draft.source == ToolSource.IMPORTED
    assert draft.content_hash == full_tool_version().content_hash
    assert draft.tool.model_copy(update={"version": 1}) == full_tool_version().tool
    assert "Created Children in Need — full, version 2 (draft)" in capsys.readouterr().out


def test_dump_and_load_round_trip() -> None:
    tool = full_tool_version().tool
    assert load_tool(dump_tool(tool)) == tool
