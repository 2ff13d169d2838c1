"""`caseaudit tools validate FILE`: every error with its YAML path and line number."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SHIPPED = Path(__file__).parents[1] / "shipped"
FULL_TOOL = (SHIPPED / "children_in_need_full.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def validate(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "tool.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="error"):
        call_command("tools", "validate", str(path))
    return capsys.readouterr().err


@pytest.mark.parametrize("name", ["children_in_need_full.yaml", "focused_support_short.yaml"])
def test_shipped_tools_are_valid(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("tools", "validate", str(SHIPPED / name))
    assert "valid" in capsys.readouterr().out


def test_missing_section_id_is_reported_with_path_and_line(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace("  - id: planning\n", "  - \n", 1)
    err = validate(tmp_path, text, capsys)
    line = line_of(text, '    number: 6\n    title: "Planning"')
    assert f"tool.yaml:{line}: sections[4].id: is required but missing" in err


def test_unknown_grade_value_is_reported(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace(
        "      report_key: planning\n",
        "      report_key: planning\n      descriptors:\n        5: Exceptional\n",
        1,
    )
    err = validate(tmp_path, text, capsys)
    line = line_of(text, "        5: Exceptional")
    assert f":{line}: sections[4].judgement.descriptors[5]: unknown grade value 5" in err


def test_duplicate_question_id_is_reported_at_the_second_use(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace("- id: plan_child_centred", "- id: plan_clear_objectives", 1)
    err = validate(tmp_path, text, capsys)
    line = line_of(text, '- id: plan_clear_objectives\n        text: "Is the plan child')
    assert (
        f':{line}: sections[4].questions[1].id: duplicate id "plan_clear_objectives" '
        "(first used at sections[4].questions[0].id)"
    ) in err


def test_unknown_report_key_is_reported(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace("report_key: review\n", "report_key: reviews\n", 1)
    err = validate(tmp_path, text, capsys)
    line = line_of(text, "report_key: reviews")
    assert f':{line}: sections[5].judgement.report_key: unknown report key "reviews"' in err


def test_bad_yaml_syntax_is_reported_with_its_line(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace('title: "Planning"', 'title: "Planning', 1)
    err = validate(tmp_path, text, capsys)
    assert "not valid YAML" in err
    assert f"tool.yaml:{line_of(text, 'title: "Planning')}" in err or "tool.yaml:" in err


def test_every_error_is_listed_not_only_the_first(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace("report_key: review\n", "report_key: reviews\n", 1).replace(
        "- id: plan_child_centred", "- id: plan_clear_objectives", 1
    )
    err = validate(tmp_path, text, capsys)
    assert "unknown report key" in err
    assert "duplicate id" in err


def test_unknown_field_and_duplicate_key_are_reported(tmp_path, capsys) -> None:
    text = FULL_TOOL.replace("feedback_label:", "feedbak_label: x\nfeedback_label:", 1)
    text = text.replace("    number: 6\n", "    number: 6\n    number: 7\n", 1)
    err = validate(tmp_path, text, capsys)
    assert f":{line_of(text, 'feedbak_label')}: feedbak_label: is not a field" in err
    assert f':{line_of(text, "    number: 7")}: sections[4].number: "number" appears twice' in err


def test_unreadable_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("tools", "validate", str(tmp_path / "missing.yaml"))
