"""The designer's actions: every edit of a draft validated whole, saved, and kept in history;
published versions refused."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audit_tools import actions
from caseaudit.audit_tools.designer import Direction
from caseaudit.audit_tools.diff import ChangeKind, compare
from caseaudit.audit_tools.loading import dump_tool, load_tool
from caseaudit.audit_tools.models import FrozenToolVersionError, ToolSource, ToolVersion

pytestmark = pytest.mark.django_db

NEGLECT_TOOLKIT = "Was the neglect toolkit used to assess the child’s circumstances?"
QUESTION = {
    "text": NEGLECT_TOOLKIT,
    "sub_questions": [],
    "audience": None,
    "answer": "yes_no_not_known",
    "guidance": None,
}


@pytest.fixture
def full_tool() -> ToolVersion:
    return ToolVersion.objects.published().get(tool_key="children_in_need_full", version=1)


@pytest.fixture
def draft(full_tool, coordinator) -> ToolVersion:
    return actions.start_draft(
        based_on=full_tool,
        tool_key="neglect_focus",
        title="Multi agency audit tool – neglect focus",
        short_title="Neglect focus",
        by=coordinator,
    )


def history(tool_version: ToolVersion) -> list[str]:
    return list(
        Change.objects.filter(
            object_type="audit_tools.toolversion", object_id=tool_version.pk
        ).values_list("field", flat=True)
    )


def test_a_derived_tool_is_a_new_tool_starting_at_version_one(draft, full_tool, coordinator):
    assert (draft.tool_key, draft.version, draft.title) == ("neglect_focus", 1, "Neglect focus")
    assert draft.source == ToolSource.DESIGNED and not draft.is_published
    assert draft.based_on == full_tool and draft.created_by == coordinator
    assert draft.tool.id == "neglect_focus"
    assert draft.tool.sections == full_tool.tool.sections
    assert history(draft) == ["created"]


def test_a_new_version_of_the_same_tool_is_numbered_after_the_latest(full_tool, coordinator):
    tool = full_tool.tool
    draft = actions.start_draft(
        based_on=full_tool,
        tool_key=full_tool.tool_key,
        title=tool.title,
        short_title=tool.short_title,
        by=coordinator,
    )
    assert (draft.tool_key, draft.version) == ("children_in_need_full", 2)
    assert draft.content_hash == full_tool.content_hash


def test_a_blank_tool_starts_valid(coordinator):
    draft = actions.start_draft(
        based_on=None, tool_key="blank", title="Blank", short_title="Blank", by=coordinator
    )
    assert [section.id for section in draft.tool.sections] == ["involvement"]


def test_every_edit_is_saved_whole_and_kept_in_history(draft, coordinator):
    question_id = actions.add_question(draft, "assessment", QUESTION, by=coordinator)
    actions.move_question(draft, question_id, Direction.UP, by=coordinator)
    actions.remove_question(draft, "plan_transition", by=coordinator)

    draft.refresh_from_db()
    assessment = draft.tool.sections[3]
    assert [q.id for q in assessment.questions][-2:] == [question_id, "assessment_clear_picture"]
    assert all(q.id != "plan_transition" for s in draft.tool.sections for q in s.questions)
    assert history(draft) == [
        "created",
        "question added to section assessment",
        f"position of question {question_id}",
        "question plan_transition removed",
    ]
    added = Change.objects.get(field="question added to section assessment")
    assert added.actor == coordinator and added.old_value is None
    assert added.new_value["text"] == NEGLECT_TOOLKIT


def test_an_edit_that_changes_nothing_writes_no_history(draft, coordinator):
    question = draft.tool.sections[0].questions[0]
    fields = question.model_dump(mode="json", exclude={"id", "footnotes"})
    actions.edit_question(draft, question.id, fields, by=coordinator)
    assert history(draft) == ["created"]


def test_an_edit_that_breaks_the_tool_is_refused_and_nothing_is_saved(draft, coordinator):
    before = draft.content_hash
    section = draft.tool.sections[1]  # Referral: not graded
    fields = {
        "title": section.title,
        "applies_to": section.applies_to.value,
        "applies_to_note": None,
        "guidance": None,
        "equality": True,
        "judgement": {"report_key": "planning", "text": "Overall?", "impact_label": "Impact"},
    }
    with pytest.raises(actions.DraftInvalid) as refused:
        actions.edit_section(draft, "referral", fields, by=coordinator)
    assert refused.value.messages == [
        'Section “Planning”: report key "planning" is already used at section “Referral”'
    ]
    draft.refresh_from_db()
    assert draft.content_hash == before
    assert history(draft) == ["created"]


def test_a_section_keeps_at_least_one_question(draft, coordinator):
    for question in draft.tool.sections[1].questions[1:]:
        actions.remove_question(draft, question.id, by=coordinator)
    with pytest.raises(actions.DraftInvalid) as refused:
        actions.remove_question(draft, "referral_why_and_when", by=coordinator)
    assert refused.value.messages == [
        "Section “Referral” needs at least one question: remove the section instead"
    ]


def test_the_first_question_cannot_move_up(draft, coordinator):
    with pytest.raises(actions.DraftInvalid, match="already the first"):
        actions.move_question(draft, "ei_reasons_for_involvement", Direction.UP, by=coordinator)


def test_a_published_version_cannot_be_edited_through_the_designer(full_tool, draft, coordinator):
    actions.publish(draft, by=coordinator)
    for tool_version in (full_tool, draft):
        with pytest.raises(FrozenToolVersionError):
            actions.remove_question(tool_version, "plan_transition", by=coordinator)
        with pytest.raises(FrozenToolVersionError):
            actions.move_section(tool_version, "review", Direction.UP, by=coordinator)
        tool_version.refresh_from_db()
        assert any(
            q.id == "plan_transition" for s in tool_version.tool.sections for q in s.questions
        )


def test_removing_a_question_only_removes_it_from_the_new_draft(full_tool, draft, coordinator):
    actions.remove_section(draft, "referral", by=coordinator)
    full_tool.refresh_from_db()
    assert "referral" in [section.id for section in full_tool.tool.sections]
    assert "referral" not in [section.id for section in draft.tool.sections]


def test_derive_a_briefer_tool_publish_export_and_reimport_it(full_tool, draft, coordinator):
    for section_id in ("referral", "response_to_referral", "review"):
        actions.remove_section(draft, section_id, by=coordinator)
    for question_id in ("plan_transition", "plan_tac_working", "oversight_quality_assurance"):
        actions.remove_question(draft, question_id, by=coordinator)
    actions.add_question(draft, "assessment", QUESTION, by=coordinator)
    actions.edit_tool_settings(
        draft,
        {
            **{name: getattr(draft.tool, name) for name in ("title", "description", "guidance")},
            "short_title": "Neglect focus",
            "equality_prompt": draft.tool.equality_prompt,
            "marking_notice": draft.tool.marking_notice,
            "recommendations_label": draft.tool.recommendations_label,
            "feedback_label": draft.tool.feedback_label,
        },
        grade_scale="ofsted_requires_improvement",
        allow_not_applicable=True,
        by=coordinator,
    )
    published = actions.publish(draft, by=coordinator)
    assert [s.number for s in published.tool.sections] == [2, 3, 4, 5]

    exported = dump_tool(published.tool)
    reimported = actions.create_draft(
        load_tool(exported), by=coordinator, source=ToolSource.IMPORTED
    )

    assert (reimported.tool_key, reimported.version) == ("neglect_focus", 2)
    assert not reimported.is_published
    assert reimported.content_hash == published.content_hash
    assert dump_tool(reimported.tool) == exported.replace("version: 1\n", "version: 2\n", 1)
    assert compare(published.tool, reimported.tool).is_empty

    changes = compare(full_tool.tool, published.tool)
    removed = {c.id for c in changes.sections if c.kind == ChangeKind.REMOVED}
    assert removed == {"referral", "response_to_referral", "review"}
