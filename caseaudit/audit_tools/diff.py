"""A readable difference between two tool versions: which sections and questions were added,
removed, reworded, moved or otherwise changed, and which tool settings changed.

Sections and questions are matched by id (an item keeps its id however it is reworded), so a
reworded question is one change, not a removal and an addition. "Moved" means out of order
relative to the items both versions share, so one insertion does not make everything after
it look moved.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from caseaudit.audit_tools.designer import ANSWER_LABELS
from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.audit_tools.schema import Question, Section, Tool, format_path


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REWORDED = "reworded"
    MOVED = "moved"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    kind: ChangeKind
    id: str
    text: str
    section: str = ""
    detail: str = ""
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class ToolDiff:
    settings: list[FieldChange] = field(default_factory=list)
    sections: list[ItemChange] = field(default_factory=list)
    questions: list[ItemChange] = field(default_factory=list)
    # Sections whose number changed, kept apart: one removal renumbers every section after it.
    renumbered: list[FieldChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.settings or self.sections or self.questions or self.renumbered)

    def counts(self) -> dict[str, dict[ChangeKind, int]]:
        """{"sections": {kind: n}, "questions": {kind: n}} for a one-line summary."""
        return {
            name: {kind: sum(1 for c in changes if c.kind == kind) for kind in ChangeKind}
            for name, changes in (("sections", self.sections), ("questions", self.questions))
        }


SETTING_LABELS = {
    "id": "Tool id",
    "title": "Title",
    "short_title": "Short title",
    "description": "Description",
    "marking_notice": "Marking notice",
    "guidance": "Guidance",
    "equality_prompt": "Equality prompt",
    "grade_scale": "Grade scale",
    "audit_window": "Audit window",
    "columns": "Answer columns",
    "key_questions": "Key questions",
    "outcomes": "Outcomes",
    "case_details": "Case details",
    "practitioner": "Practitioner fields",
    "overall_judgement": "Overall judgement",
    "recommendations_label": "Recommendations question",
    "feedback_label": "Feedback question",
    "sign_off": "Sign-off fields",
    "footnotes": "Footnotes",
}
NOT_SETTINGS = {"version", "sections"}


def show(value: Any) -> str:
    """A value as the coordinator reads it."""
    if value is None or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    return str(value)


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], Any]:
    if isinstance(value, dict):
        found: dict[tuple[str | int, ...], Any] = {}
        for key, item in value.items():
            found.update(_leaves(item, (*path, key)))
        return found
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        found = {}
        for index, item in enumerate(value):
            found.update(_leaves(item, (*path, index)))
        return found
    return {path: value}


def _settings(old: Tool, new: Tool) -> list[FieldChange]:
    old_document = old.model_dump(mode="json")
    new_document = new.model_dump(mode="json")
    changes = []
    for key, label in SETTING_LABELS.items():
        old_value, new_value = old_document.get(key), new_document.get(key)
        if old_value == new_value:
            continue
        if key == "grade_scale":
            old_value = {**old_document[key], "grades": _grades(old_document[key])}
            new_value = {**new_document[key], "grades": _grades(new_document[key])}
        old_leaves, new_leaves = _leaves(old_value), _leaves(new_value)
        for path in dict.fromkeys([*old_leaves, *new_leaves]):
            if old_leaves.get(path) != new_leaves.get(path):
                where = f"{label}: {format_path(path)}" if path else label
                changes.append(
                    FieldChange(where, show(old_leaves.get(path)), show(new_leaves.get(path)))
                )
    return changes


def _grades(scale: dict[str, Any]) -> str:
    return ", ".join(f"{grade['value']} {grade['label']}" for grade in scale["grades"])


def unmoved(old_order: Sequence[str], new_order: Sequence[str]) -> set[str]:
    """The longest run of shared items that kept their relative order (a longest common
    subsequence); the shared items outside it are the ones that moved."""
    shared = set(old_order) & set(new_order)
    a = [item for item in old_order if item in shared]
    b = [item for item in new_order if item in shared]
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] > lengths[i][j + 1]:
            i += 1
        else:
            # On a tie (two items swapped) the one that went up is reported as moved.
            j += 1
    return kept


def _section_name(section: Section) -> str:
    return f"{section.number}. {section.title}" if section.number else section.title


def _audience(value: Any) -> str:
    return value.label if value is not None else "Same as the section"


def _judgement(section: Section) -> dict[str, str]:
    judgement = section.judgement
    if judgement is None:
        return {"Graded": "no"}
    report_key = REPORT_KEYS_BY_KEY.get(judgement.report_key)
    return {
        "Graded": "yes",
        "Judgement": judgement.text,
        "Impact label": judgement.impact_label,
        "Report key": report_key.label if report_key else judgement.report_key,
        "Not applicable allowed": show(judgement.allow_not_applicable),
        "Grade descriptors": show(judgement.descriptors or None),
    }


def _section_fields(section: Section) -> dict[str, str]:
    return {
        "For": section.applies_to.label,
        "Note on who it applies to": show(section.applies_to_note),
        "Guidance": show(section.guidance),
        "Equality considerations": show(section.equality),
        **_judgement(section),
    }


def _question_fields(question: Question) -> dict[str, str]:
    return {
        "Sub-questions": show(question.sub_questions),
        "For": _audience(question.audience),
        "Answer": ANSWER_LABELS[question.answer],
        "Guidance": show(question.guidance),
        "Footnotes": show(question.footnotes),
    }


def _field_changes(old: dict[str, str], new: dict[str, str]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(label, old.get(label, "(none)"), new.get(label, "(none)"))
        for label in dict.fromkeys([*old, *new])
        if old.get(label, "(none)") != new.get(label, "(none)")
    )


def _sections(old: Tool, new: Tool) -> list[ItemChange]:
    old_sections = {section.id: section for section in old.sections}
    new_sections = {section.id: section for section in new.sections}
    kept = unmoved(list(old_sections), list(new_sections))
    changes = []
    for section_id, section in new_sections.items():
        before = old_sections.get(section_id)
        name = _section_name(section)
        if before is None:
            changes.append(ItemChange(ChangeKind.ADDED, section_id, name))
            continue
        if before.title != section.title:
            changes.append(
                ItemChange(
                    ChangeKind.REWORDED,
                    section_id,
                    name,
                    fields=(FieldChange("Title", before.title, section.title),),
                )
            )
        if section_id not in kept:
            old_position = list(old_sections).index(section_id) + 1
            new_position = list(new_sections).index(section_id) + 1
            changes.append(
                ItemChange(
                    ChangeKind.MOVED,
                    section_id,
                    name,
                    detail=f"from position {old_position} to {new_position}",
                )
            )
        fields = _field_changes(_section_fields(before), _section_fields(section))
        if fields:
            changes.append(ItemChange(ChangeKind.CHANGED, section_id, name, fields=fields))
    changes.extend(
        ItemChange(ChangeKind.REMOVED, section_id, _section_name(section))
        for section_id, section in old_sections.items()
        if section_id not in new_sections
    )
    return changes


def _renumbered(old: Tool, new: Tool) -> list[FieldChange]:
    old_numbers = {section.id: section.number for section in old.sections}
    return [
        FieldChange(section.title, show(old_numbers[section.id]), show(section.number))
        for section in new.sections
        if section.id in old_numbers and old_numbers[section.id] != section.number
    ]


def _questions_by_id(tool: Tool) -> dict[str, tuple[Section, Question]]:
    return {
        question.id: (section, question)
        for section in tool.sections
        for question in section.questions
    }


def _unmoved_questions(old: Tool, new: Tool) -> set[str]:
    old_questions, new_questions = _questions_by_id(old), _questions_by_id(new)
    kept: set[str] = set()
    for section in new.sections:
        stayed = [
            question.id
            for question in section.questions
            if question.id in old_questions and old_questions[question.id][0].id == section.id
        ]
        old_order = [
            question_id
            for question_id, (old_section, _) in old_questions.items()
            if old_section.id == section.id and question_id in stayed
        ]
        kept |= unmoved(old_order, stayed)
    return kept & set(new_questions)


def _questions(old: Tool, new: Tool) -> list[ItemChange]:
    old_questions, new_questions = _questions_by_id(old), _questions_by_id(new)
    kept = _unmoved_questions(old, new)
    changes = []
    for question_id, (section, question) in new_questions.items():
        where = _section_name(section)
        if question_id not in old_questions:
            changes.append(ItemChange(ChangeKind.ADDED, question_id, question.text, where))
            continue
        old_section, before = old_questions[question_id]
        if before.text != question.text:
            changes.append(
                ItemChange(
                    ChangeKind.REWORDED,
                    question_id,
                    question.text,
                    where,
                    fields=(FieldChange("Wording", before.text, question.text),),
                )
            )
        if old_section.id != section.id:
            detail = f"from section “{_section_name(old_section)}” to “{where}”"
            changes.append(ItemChange(ChangeKind.MOVED, question_id, question.text, where, detail))
        elif question_id not in kept:
            old_position = [q.id for q in old_section.questions].index(question_id) + 1
            new_position = [q.id for q in section.questions].index(question_id) + 1
            detail = f"from position {old_position} to {new_position} in the section"
            changes.append(ItemChange(ChangeKind.MOVED, question_id, question.text, where, detail))
        fields = _field_changes(_question_fields(before), _question_fields(question))
        if fields:
            changes.append(
                ItemChange(ChangeKind.CHANGED, question_id, question.text, where, fields=fields)
            )
    changes.extend(
        ItemChange(ChangeKind.REMOVED, question_id, question.text, _section_name(section))
        for question_id, (section, question) in old_questions.items()
        if question_id not in new_questions
    )
    return changes


def compare(old: Tool, new: Tool) -> ToolDiff:
    """What changed from `old` to `new`, in the new version's order (removals last)."""
    return ToolDiff(
        settings=_settings(old, new),
        sections=_sections(old, new),
        questions=_questions(old, new),
        renumbered=_renumbered(old, new),
    )


def summary(diff: ToolDiff) -> list[str]:
    """ "2 sections removed", "3 questions added", … in a fixed order, for the page's lead."""
    lines = []
    for name, counts in diff.counts().items():
        for kind in ChangeKind:
            if counts[kind]:
                noun = name if counts[kind] != 1 else name.removesuffix("s")
                lines.append(f"{counts[kind]} {noun} {kind.value}")
    if diff.renumbered:
        count = len(diff.renumbered)
        lines.append(f"{count} section{'s' if count != 1 else ''} renumbered")
    if diff.settings:
        count = len(diff.settings)
        lines.append(f"{count} setting{'s' if count != 1 else ''} changed")
    return lines
