"""The designer's operations on a tool document: plain functions, no database."""

import copy
from pathlib import Path

import pytest
import yaml

from caseaudit.audit_tools import designer
from caseaudit.audit_tools.designer import CannotMove, Direction, ItemNotFound
from caseaudit.audit_tools.schema import Tool, semantic_errors

FULL = Path(__file__).resolve().parents[1] / "shipped" / "children_in_need_full.yaml"


@pytest.fixture
def document() -> dict:
    with FULL.open(encoding="utf-8") as file:
        return Tool.model_validate(yaml.safe_load(file)).model_dump(mode="json")


def valid(document: dict) -> Tool:
    tool = Tool.model_validate(document)
    assert semantic_errors(tool) == []
    return tool


def question_ids(document: dict, section_id: str) -> list[str]:
    return [q["id"] for q in designer.find_section(document, section_id)[1]["questions"]]


def test_the_blank_tool_is_valid_and_keeps_the_common_frame() -> None:
    tool = valid(designer.blank_document())
    assert [item.signal for item in tool.key_questions.items] == [
        "child_safe",
        "actions_taken",
        "last_reviewed",
    ]
    assert [item.report_key for _, item in tool.graded_items()][-2:] == [
        "overall",
        "overall_partnership",
    ]


def test_a_new_id_comes_from_the_text_and_never_repeats(document) -> None:
    first = designer.new_id(document, "Was the neglect toolkit used?", prefix="assessment")
    assert first == "assessment_was_the_neglect_toolkit_used"
    document["sections"][3]["questions"].append({"id": first, "text": "x"})
    assert designer.new_id(document, "Was the neglect toolkit used?", prefix="assessment") == (
        f"{first}_2"
    )
    assert designer.new_id(document, "2 + 2 …") == "item_2_2"
    assert designer.new_id(document, "…") == "item"
    assert len(designer.new_id(document, "word " * 40, words=40)) <= 60


def test_adding_a_question_appends_it_to_its_section(document) -> None:
    question_id = designer.add_question(
        document,
        "assessment",
        {"text": "Was the neglect toolkit used to assess the child’s circumstances?"},
    )
    assert question_ids(document, "assessment")[-1] == question_id
    valid(document)


def test_a_question_moves_within_its_section(document) -> None:
    assert designer.move_question(document, "plan_child_centred", Direction.UP) == (
        ("planning", 1),
        ("planning", 0),
    )
    assert question_ids(document, "planning")[:2] == ["plan_child_centred", "plan_clear_objectives"]
    designer.move_question(document, "plan_child_centred", Direction.DOWN)
    assert question_ids(document, "planning")[:2] == ["plan_clear_objectives", "plan_child_centred"]


def test_a_question_moves_across_into_the_next_section_at_either_end(document) -> None:
    designer.move_question(document, "plan_clear_objectives", Direction.UP)
    assert question_ids(document, "assessment")[-1] == "plan_clear_objectives"
    designer.move_question(document, "plan_clear_objectives", Direction.DOWN)
    assert question_ids(document, "planning")[0] == "plan_clear_objectives"
    valid(document)


def test_the_first_and_last_question_cannot_move_further(document) -> None:
    with pytest.raises(CannotMove):
        designer.move_question(document, "ei_reasons_for_involvement", Direction.UP)
    with pytest.raises(CannotMove):
        designer.move_question(document, "oversight_quality_assurance", Direction.DOWN)


def test_moving_a_section_renumbers_from_the_first_number(document) -> None:
    designer.move_section(document, "early_intervention", Direction.DOWN)
    assert [(s["id"], s["number"]) for s in document["sections"][:2]] == [
        ("referral", 2),
        ("early_intervention", 3),
    ]
    with pytest.raises(CannotMove):
        designer.move_section(document, "management_oversight", Direction.DOWN)


def test_removing_the_first_section_keeps_the_numbering_start(document) -> None:
    designer.remove_section(document, "early_intervention")
    assert [s["number"] for s in document["sections"]] == [2, 3, 4, 5, 6, 7]


def test_an_added_section_is_numbered_and_has_its_first_question(document) -> None:
    section_id = designer.add_section(
        document,
        {
            "title": "Neglect",
            "applies_to": "all_relevant_agencies",
            "applies_to_note": None,
            "guidance": None,
            "equality": True,
            "judgement": None,
        },
        "Was the threshold of needs matrix used?",
    )
    section = document["sections"][-1]
    assert (section_id, section["number"]) == ("neglect", 9)
    assert section["questions"] == [
        {"id": "neglect_was_the_threshold_of", "text": "Was the threshold of needs matrix used?"}
    ]
    valid(document)


def test_grading_a_section_gives_its_judgement_a_fresh_id(document) -> None:
    fields = {
        "title": "Referral",
        "applies_to": "all_relevant_agencies",
        "applies_to_note": None,
        "guidance": None,
        "equality": True,
        "judgement": {"report_key": "review", "text": "Overall?", "impact_label": "Impact"},
    }
    designer.set_section(document, "referral", fields)
    judgement = designer.find_section(document, "referral")[1]["judgement"]
    assert judgement["id"] == "referral_judgement"
    # The report key is already the Review section's: the whole-document check refuses it.
    assert "already used" in semantic_errors(Tool.model_validate(document))[0].message


def test_ungrading_keeps_nothing_of_the_judgement(document) -> None:
    _, section = designer.find_section(document, "planning")
    fields = {key: section.get(key) for key in ("title", "applies_to", "applies_to_note")}
    designer.set_section(
        document, "planning", {**fields, "guidance": None, "equality": True, "judgement": None}
    )
    assert designer.find_section(document, "planning")[1]["judgement"] is None


def test_a_grade_scale_preset_replaces_the_grades(document) -> None:
    settings = {name: document[name] for name in designer.SETTING_FIELDS}
    before = copy.deepcopy(document["grade_scale"])
    designer.set_tool_settings(
        document, settings, grade_scale="ofsted_four_point", allow_not_applicable=False
    )
    assert document["grade_scale"] == {**before, "allow_not_applicable": False}
    designer.set_tool_settings(
        document, settings, grade_scale="ofsted_requires_improvement", allow_not_applicable=True
    )
    assert document["grade_scale"]["grades"][2]["label"] == "Requires improvement to be good"
    assert designer.matching_grade_scale(document["grade_scale"]) == ("ofsted_requires_improvement")


def test_unknown_items_are_not_found(document) -> None:
    with pytest.raises(ItemNotFound):
        designer.find_question(document, "no_such_question")
    with pytest.raises(ItemNotFound):
        designer.remove_section(document, "no_such_section")
