"""The shipped tool documents validate and say what the source audit tool says.

No Django and no database: the documents are plain YAML checked by the typed schema.
"""

from pathlib import Path

import pytest
import yaml

from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.audit_tools.schema import (
    AnswerType,
    Audience,
    Question,
    Signal,
    Tool,
    semantic_errors,
)

SHIPPED = Path(__file__).resolve().parent.parent / "shipped"
FULL = SHIPPED / "children_in_need_full.yaml"
SHORT = SHIPPED / "focused_support_short.yaml"


def load(path: Path) -> Tool:
    with path.open(encoding="utf-8") as file:
        return Tool.model_validate(yaml.safe_load(file))


@pytest.fixture(scope="module")
def full() -> Tool:
    return load(FULL)


@pytest.fixture(scope="module")
def short() -> Tool:
    return load(SHORT)


def question(tool: Tool, question_id: str) -> Question:
    return next(
        question
        for section in tool.sections
        for question in section.questions
        if question.id == question_id
    )


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_shipped_tool_has_no_semantic_errors(path: Path) -> None:
    assert semantic_errors(load(path)) == []


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda path: path.stem)
def test_file_name_is_the_tool_id(path: Path) -> None:
    assert load(path).id == path.stem


def test_full_tool_identity(full: Tool) -> None:
    assert full.id == "children_in_need_full"
    assert full.version == 1
    assert full.title == "Multi agency audit tool – Children in Need"
    assert full.short_title == "Children in Need — full"
    assert full.marking_notice.startswith("RESTRICTED WHEN COMPLETED")


def test_full_tool_sections_in_source_order(full: Tool) -> None:
    assert [(section.number, section.title) for section in full.sections] == [
        (2, "Early Intervention work (prior to referral to social care)"),
        (3, "Referral"),
        (4, "Response to Referral"),
        (5, "Assessment"),
        (6, "Planning"),
        (7, "Review"),
        (8, "Management Oversight and recording"),
    ]


def test_full_tool_question_counts(full: Tool) -> None:
    assert [len(section.questions) for section in full.sections] == [4, 2, 2, 4, 7, 6, 5]


def test_every_full_tool_section_has_a_judgement_except_referral(full: Tool) -> None:
    without_judgement = [section.title for section in full.sections if section.judgement is None]
    assert without_judgement == ["Referral"]


def test_every_full_tool_section_records_equality(full: Tool) -> None:
    assert all(section.equality for section in full.sections)


def test_sections_five_to_eight_apply_to_all_relevant_agencies(full: Tool) -> None:
    for section in full.sections:
        if section.number is not None and section.number >= 5:
            assert section.applies_to_note == "This section applies to all relevant agencies"
            assert section.applies_to == Audience.ALL_RELEVANT_AGENCIES


def test_caf_tac_question_is_for_agencies_other_than_social_care(full: Tool) -> None:
    caf = question(full, "ei_prior_involvement")
    assert caf.audience == Audience.OTHER_THAN_CHILDRENS_SOCIAL_CARE
    assert len(caf.sub_questions) == 3
    assert "Common Assessment Framework (CAF)" in caf.sub_questions[0]
    assert caf.sub_questions[2] == "Who was the lead professional?"


def test_audience_qualifiers_are_moved_out_of_the_text(full: Tool) -> None:
    prefixes = (
        "All relevant agencies",
        "For agencies other",
        "Referring agency",
        "Children’s Social",
    )
    for section in full.sections:
        for item in section.questions:
            assert not item.text.startswith(prefixes), item.id
            assert "  " not in item.text, item.id


def test_referral_questions_are_for_referrer_and_social_care(full: Tool) -> None:
    for section in full.sections[1:3]:
        assert {item.audience for item in section.questions} == {
            Audience.REFERRING_AGENCY_AND_CHILDRENS_SOCIAL_CARE
        }


def test_management_sign_off_is_for_childrens_social_care(full: Tool) -> None:
    oversight = full.sections[-1]
    audiences = {item.id: item.audience for item in oversight.questions}
    assert audiences["oversight_management_sign_off"] == Audience.CHILDRENS_SOCIAL_CARE
    assert audiences["oversight_records_fit_for_purpose"] == Audience.ALL_RELEVANT_AGENCIES
    assert audiences["oversight_line_manager_support"] is None


def test_response_to_referral_keeps_its_four_sub_questions(full: Tool) -> None:
    response = question(full, "response_effectiveness")
    assert len(response.sub_questions) == 4


def test_key_questions_split_safety_from_actions(full: Tool) -> None:
    items = full.key_questions.items
    assert [(item.id, item.answer, item.signal) for item in items] == [
        ("child_safe", AnswerType.YES_NO_NOT_KNOWN, Signal.CHILD_SAFE),
        ("actions_taken", AnswerType.YES_NO_NOT_KNOWN, Signal.ACTIONS_TAKEN),
        ("last_reviewed", AnswerType.DATE, Signal.LAST_REVIEWED),
    ]
    assert items[0].escalate_on == ["no", "not_known"]
    assert items[1].escalate_on == ["no", "not_known"]
    assert items[0].comment and items[1].comment


def test_five_every_child_matters_outcomes(full: Tool) -> None:
    assert [outcome.report_key for outcome in full.outcomes.items] == [
        "outcome_being_healthy",
        "outcome_staying_safe",
        "outcome_enjoying_achieving",
        "outcome_positive_contribution",
        "outcome_economic_wellbeing",
    ]


def test_section_17_footnote_is_referenced(full: Tool) -> None:
    assert [footnote.id for footnote in full.footnotes] == ["s17"]
    assert full.footnotes[0].text.startswith("Section 17 of the Children Act 1989")
    referencing = [
        item.id for section in full.sections for item in section.questions if item.footnotes
    ]
    assert referencing == ["assessment_risks", "review_risk_reassessed"]


def test_full_tool_graded_report_keys(full: Tool) -> None:
    assert [item.report_key for _, item in full.graded_items()] == [
        "outcome_being_healthy",
        "outcome_staying_safe",
        "outcome_enjoying_achieving",
        "outcome_positive_contribution",
        "outcome_economic_wellbeing",
        "early_intervention",
        "response_to_referral",
        "assessment",
        "planning",
        "review",
        "management_oversight",
        "overall",
        "overall_partnership",
    ]
    assert set(REPORT_KEYS_BY_KEY) == {item.report_key for _, item in full.graded_items()}


def test_full_tool_grade_scale(full: Tool) -> None:
    scale = full.grade_scale
    assert [(grade.value, grade.label) for grade in scale.grades] == [
        (1, "Outstanding"),
        (2, "Good"),
        (3, "Adequate"),
        (4, "Inadequate"),
    ]
    assert scale.lower_is_better
    assert scale.allow_not_applicable
    assert (full.audit_window.months_before_audit, full.audit_window.months_before_referral) == (
        18,
        6,
    )


def test_full_tool_sign_off_splits_name_job_title_and_agency(full: Tool) -> None:
    assert [(field.id, field.answer) for field in full.sign_off] == [
        ("auditor_name", AnswerType.TEXT),
        ("auditor_job_title", AnswerType.TEXT),
        ("auditor_agency", AnswerType.TEXT),
        ("audit_date", AnswerType.DATE),
    ]


def test_short_tool_has_four_graded_sections(short: Tool) -> None:
    assert short.id == "focused_support_short"
    assert [section.number for section in short.sections] == [2, 3, 4, 5]
    assert all(section.judgement is not None for section in short.sections)
    assert all(2 <= len(section.questions) <= 4 for section in short.sections)


def test_short_tool_report_keys_are_used_by_the_full_tool(full: Tool, short: Tool) -> None:
    full_keys = {item.report_key for _, item in full.graded_items()}
    short_keys = {item.report_key for _, item in short.graded_items()}
    assert short_keys <= full_keys
    assert [section.judgement.report_key for section in short.sections if section.judgement] == [
        "early_intervention",
        "response_to_referral",
        "planning",
        "management_oversight",
    ]


def test_short_tool_shares_the_full_tools_frame(full: Tool, short: Tool) -> None:
    assert short.grade_scale == full.grade_scale
    assert short.audit_window == full.audit_window
    assert short.columns == full.columns
    assert short.key_questions == full.key_questions
    assert short.outcomes == full.outcomes
    assert short.case_details == full.case_details
    assert short.practitioner == full.practitioner
    assert short.overall_judgement == full.overall_judgement
    assert short.sign_off == full.sign_off
    assert short.footnotes == full.footnotes
    assert short.marking_notice == full.marking_notice
