"""The difference between two tool versions: plain functions, no database."""

from pathlib import Path

import pytest
import yaml

from caseaudit.audit_tools import designer
from caseaudit.audit_tools.designer import Direction
from caseaudit.audit_tools.diff import ChangeKind, FieldChange, compare, summary, unmoved
from caseaudit.audit_tools.schema import Tool

SHIPPED = Path(__file__).resolve().parents[1] / "shipped"


def load(name: str) -> Tool:
    with (SHIPPED / name).open(encoding="utf-8") as file:
        return Tool.model_validate(yaml.safe_load(file))


@pytest.fixture(scope="module")
def full() -> Tool:
    return load("children_in_need_full.yaml")


@pytest.fixture
def document(full: Tool) -> dict:
    return full.model_dump(mode="json")


def kinds(changes) -> list[tuple[ChangeKind, str]]:
    return [(change.kind, change.id) for change in changes]


def test_a_version_compared_with_itself_has_no_changes(full: Tool) -> None:
    changes = compare(full, full.model_copy(update={"version": 2}))
    assert changes.is_empty
    assert summary(changes) == []


def test_added_and_removed_questions_and_sections(full: Tool, document: dict) -> None:
    designer.remove_section(document, "referral")
    designer.remove_question(document, "plan_transition")
    new_id = designer.add_question(document, "assessment", {"text": "Was the toolkit used?"})

    changes = compare(full, Tool.model_validate(document))

    assert (ChangeKind.REMOVED, "referral") in kinds(changes.sections)
    assert (ChangeKind.REMOVED, "plan_transition") in kinds(changes.questions)
    assert (ChangeKind.REMOVED, "referral_why_and_when") in kinds(changes.questions)
    added = [change for change in changes.questions if change.kind == ChangeKind.ADDED]
    assert [(change.id, change.text, change.section) for change in added] == [
        (new_id, "Was the toolkit used?", "4. Assessment")
    ]
    assert summary(changes) == [
        "1 section removed",
        "1 question added",
        "3 questions removed",
        "5 sections renumbered",
    ]


def test_renumbered_sections_show_their_new_numbers(full: Tool, document: dict) -> None:
    designer.remove_section(document, "referral")
    changes = compare(full, Tool.model_validate(document))
    assert kinds(changes.sections) == [(ChangeKind.REMOVED, "referral")]
    assert changes.renumbered[0] == FieldChange("Response to Referral", "4", "3")
    assert [change.new for change in changes.renumbered] == ["3", "4", "5", "6", "7"]


def test_a_reworded_question_is_one_change_not_a_removal_and_an_addition(
    full: Tool, document: dict
) -> None:
    designer.set_question(document, "plan_child_centred", {"text": "Is the plan child-centred?!"})
    changes = compare(full, Tool.model_validate(document))
    assert kinds(changes.questions) == [(ChangeKind.REWORDED, "plan_child_centred")]
    assert changes.questions[0].fields == (
        FieldChange("Wording", "Is the plan child-centred?", "Is the plan child-centred?!"),
    )


def test_one_move_is_reported_once_not_for_every_question_after_it(
    full: Tool, document: dict
) -> None:
    for _ in range(3):
        designer.move_question(document, "plan_services_resources", Direction.UP)
    changes = compare(full, Tool.model_validate(document))
    assert kinds(changes.questions) == [(ChangeKind.MOVED, "plan_services_resources")]
    assert changes.questions[0].detail == "from position 6 to 3 in the section"


def test_a_question_moved_to_another_section_names_both(full: Tool, document: dict) -> None:
    designer.move_question(document, "plan_clear_objectives", Direction.UP)
    changes = compare(full, Tool.model_validate(document))
    assert kinds(changes.questions) == [(ChangeKind.MOVED, "plan_clear_objectives")]
    assert changes.questions[0].detail == "from section “6. Planning” to “5. Assessment”"


def test_a_moved_section(full: Tool, document: dict) -> None:
    designer.move_section(document, "review", Direction.UP)
    changes = compare(full, Tool.model_validate(document))
    moved = [change for change in changes.sections if change.kind == ChangeKind.MOVED]
    assert [(change.id, change.detail) for change in moved] == [("review", "from position 6 to 5")]


def test_question_settings_and_section_judgements(full: Tool, document: dict) -> None:
    designer.set_question(
        document,
        "assessment_up_to_date",
        {"answer": "yes_no_not_known", "audience": "childrens_social_care", "guidance": "Look."},
    )
    _, section = designer.find_section(document, "review")
    section["judgement"] = None
    changes = compare(full, Tool.model_validate(document))
    question = changes.questions[0]
    assert (question.kind, question.id) == (ChangeKind.CHANGED, "assessment_up_to_date")
    assert [(f.label, f.old, f.new) for f in question.fields] == [
        ("For", "Same as the section", "Children’s social care"),
        ("Answer", "Comments and evidence (free text)", "Yes, no or not known, with comments"),
        ("Guidance", "(none)", "Look."),
    ]
    review = next(change for change in changes.sections if change.id == "review")
    assert review.fields[0] == FieldChange("Graded", "yes", "no")
    assert FieldChange("Report key", "Review", "(none)") in review.fields


def test_settings_changes_are_listed_by_name(full: Tool, document: dict) -> None:
    settings = {name: document[name] for name in designer.SETTING_FIELDS}
    settings["short_title"] = "Neglect focus"
    designer.set_tool_settings(
        document,
        settings,
        grade_scale="ofsted_requires_improvement",
        allow_not_applicable=False,
    )
    document["id"] = "neglect_focus"
    changes = compare(full, Tool.model_validate(document))
    assert [(change.label, change.new) for change in changes.settings] == [
        ("Tool id", "neglect_focus"),
        ("Short title", "Neglect focus"),
        ("Grade scale: name", "Ofsted four-point scale (current wording)"),
        ("Grade scale: allow_not_applicable", "no"),
        (
            "Grade scale: grades",
            "1 Outstanding, 2 Good, 3 Requires improvement to be good, 4 Inadequate",
        ),
    ]
    assert changes.sections == [] and changes.questions == []


def test_comparing_two_different_tools(full: Tool) -> None:
    short = load("focused_support_short.yaml")
    changes = compare(full, short)
    assert {change.kind for change in changes.sections} == {ChangeKind.ADDED, ChangeKind.REMOVED}
    assert len([c for c in changes.questions if c.kind == ChangeKind.REMOVED]) == 30


@pytest.mark.parametrize(
    ("old", "new", "kept"),
    [
        ("abcd", "abcd", "abcd"),
        ("abcd", "bacd", "acd"),
        ("abcd", "dabc", "abc"),
        ("abcd", "xbd", "bd"),
        ("", "ab", ""),
    ],
)
def test_unmoved_is_the_longest_run_in_the_same_order(old: str, new: str, kept: str) -> None:
    assert unmoved(list(old), list(new)) == set(kept)
