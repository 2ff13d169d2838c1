"""Edits to a draft tool's document, as plain functions on its JSON form.

The designer changes a draft one small operation at a time (a section, a question, a move);
each function here changes the document in place and knows nothing of the database. The
actions in `actions.py` wrap them: lock the draft, apply, validate the whole document with the
schema, save, write history.

Items are found by id, never by position, so a page that went stale cannot edit the wrong one.
"""

import re
from enum import StrEnum
from typing import Any

from caseaudit.audit_tools.schema import AnswerType, Audience

Document = dict[str, Any]

IMPACT_LABEL = "Impact (what has changed or improved and is this sustainable)"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


class ItemNotFound(LookupError):
    """The section or question is not in this draft (any more)."""


class CannotMove(ValueError):
    """The item is already first or last."""


ANSWER_LABELS = {
    AnswerType.TEXT: "Comments and evidence (free text)",
    AnswerType.YES_NO_NOT_KNOWN: "Yes, no or not known, with comments",
    AnswerType.DATE: "A date",
    AnswerType.GRADE: "A grade on the tool’s scale",
}


# Grade scales a coordinator can choose without writing YAML ----------------------------------

GRADE_SCALES: dict[str, dict[str, Any]] = {
    "ofsted_four_point": {
        "name": "Ofsted four-point scale (as used in Ofsted inspections)",
        "lower_is_better": True,
        "grades": [
            {"value": 1, "label": "Outstanding"},
            {"value": 2, "label": "Good"},
            {"value": 3, "label": "Adequate"},
            {"value": 4, "label": "Inadequate"},
        ],
    },
    "ofsted_requires_improvement": {
        "name": "Ofsted four-point scale (current wording)",
        "lower_is_better": True,
        "grades": [
            {"value": 1, "label": "Outstanding"},
            {"value": 2, "label": "Good"},
            {"value": 3, "label": "Requires improvement to be good"},
            {"value": 4, "label": "Inadequate"},
        ],
    },
}


def describe_grades(scale: dict[str, Any]) -> str:
    return ", ".join(f"{grade['value']} {grade['label']}" for grade in scale["grades"])


def matching_grade_scale(scale: dict[str, Any]) -> str | None:
    """The preset whose grades the scale has, if any."""
    for key, preset in GRADE_SCALES.items():
        if (
            preset["grades"] == scale["grades"]
            and preset["lower_is_better"] == scale["lower_is_better"]
        ):
            return key
    return None


# Ids ------------------------------------------------------------------------------------------


def used_ids(document: Any) -> set[str]:
    """Every id anywhere in the document (answers, footnotes alike), read from the raw JSON
    because a document is briefly incomplete while an operation builds a new item."""
    if isinstance(document, dict):
        ids = {document["id"]} if isinstance(document.get("id"), str) else set()
        return ids.union(*(used_ids(value) for value in document.values()))
    if isinstance(document, list):
        return set().union(*(used_ids(value) for value in document))
    return set()


def new_id(document: Document, text: str, *, prefix: str = "", words: int = 5) -> str:
    """A fresh id made from the first words of a text: answers are stored by id, so an item
    keeps its id for ever, however it is reworded later."""
    slug = "_".join(re.findall(r"[a-z0-9]+", text.lower())[:words]) or "item"
    if prefix:
        slug = f"{prefix}_{slug}"
    if not slug[0].isalpha():
        slug = f"item_{slug}"
    slug = slug[:55].rstrip("_")
    taken = used_ids(document)
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}_{number}", number + 1
    return candidate


# Finding items --------------------------------------------------------------------------------


def find_section(document: Document, section_id: str) -> tuple[int, dict[str, Any]]:
    for index, section in enumerate(document["sections"]):
        if section["id"] == section_id:
            return index, section
    raise ItemNotFound(f"no section {section_id}")


def find_question(document: Document, question_id: str) -> tuple[int, int, dict[str, Any]]:
    for section_index, section in enumerate(document["sections"]):
        for index, question in enumerate(section["questions"]):
            if question["id"] == question_id:
                return section_index, index, question
    raise ItemNotFound(f"no question {question_id}")


# Tool settings --------------------------------------------------------------------------------

SETTING_FIELDS = (
    "title",
    "short_title",
    "description",
    "guidance",
    "equality_prompt",
    "marking_notice",
    "recommendations_label",
    "feedback_label",
)


def set_tool_settings(
    document: Document, settings: dict[str, Any], *, grade_scale: str, allow_not_applicable: bool
) -> None:
    """Change the tool's texts and its grade scale (a preset key, or "current" to keep it)."""
    for name in SETTING_FIELDS:
        document[name] = settings[name]
    scale = dict(document["grade_scale"])
    if grade_scale != "current" and grade_scale != matching_grade_scale(scale):
        scale.update(GRADE_SCALES[grade_scale])
    scale["allow_not_applicable"] = allow_not_applicable
    document["grade_scale"] = scale


# Sections -------------------------------------------------------------------------------------


def _set_judgement(document: Document, section: dict[str, Any], judgement: dict | None) -> None:
    if judgement is None:
        section["judgement"] = None
        return
    current = section.get("judgement") or {
        "id": new_id(document, "judgement", prefix=section["id"], words=1)
    }
    section["judgement"] = {**current, **judgement}


def set_section(document: Document, section_id: str, fields: dict[str, Any]) -> None:
    """Change a section's title, audience, guidance, equality prompt and judgement (graded with
    a report key, or not graded when `judgement` is None)."""
    _, section = find_section(document, section_id)
    fields = dict(fields)
    judgement = fields.pop("judgement")
    section.update(fields)
    _set_judgement(document, section, judgement)


def add_section(document: Document, fields: dict[str, Any], first_question: str) -> str:
    """Add a section at the end, with its first question (a section is never empty)."""
    start = first_number(document)
    section_id = new_id(document, fields["title"])
    section: dict[str, Any] = {"id": section_id, "questions": []}
    document["sections"].append(section)
    set_section(document, section_id, fields)
    question_id = new_id(document, first_question, prefix=section_id, words=4)
    section["questions"].append({"id": question_id, "text": first_question})
    renumber_sections(document, start)
    return section_id


def remove_section(document: Document, section_id: str) -> dict[str, Any]:
    start = first_number(document)
    index, section = find_section(document, section_id)
    del document["sections"][index]
    renumber_sections(document, start)
    return section


def move_section(document: Document, section_id: str, direction: Direction) -> tuple[int, int]:
    index, _ = find_section(document, section_id)
    target = index - 1 if direction == Direction.UP else index + 1
    sections = document["sections"]
    if not 0 <= target < len(sections):
        raise CannotMove("first" if direction == Direction.UP else "last")
    start = first_number(document)
    sections[index], sections[target] = sections[target], sections[index]
    renumber_sections(document, start)
    return index, target


def first_number(document: Document) -> int | None:
    """Where the section numbers start (the full tool starts at 2: its section 1 is the case
    details), or None for a tool whose sections are not numbered."""
    numbers = [section.get("number") for section in document["sections"]]
    known = [number for number in numbers if number is not None]
    return min(known) if known else None


def renumber_sections(document: Document, start: int | None) -> None:
    """Keep numbered sections numbered in order after a section is added, removed or moved."""
    if start is None:
        return
    for offset, section in enumerate(document["sections"]):
        section["number"] = start + offset


# Questions ------------------------------------------------------------------------------------


def set_question(document: Document, question_id: str, fields: dict[str, Any]) -> None:
    """Reword a question, or change its sub-questions, audience, answer type or guidance."""
    _, _, question = find_question(document, question_id)
    question.update(fields)


def add_question(document: Document, section_id: str, fields: dict[str, Any]) -> str:
    """Add a question at the end of a section."""
    _, section = find_section(document, section_id)
    question_id = new_id(document, fields["text"], prefix=section_id, words=4)
    section["questions"].append({"id": question_id, **fields})
    return question_id


def remove_question(document: Document, question_id: str) -> dict[str, Any]:
    section_index, index, question = find_question(document, question_id)
    del document["sections"][section_index]["questions"][index]
    return question


def move_question(
    document: Document, question_id: str, direction: Direction
) -> tuple[tuple[str, int], tuple[str, int]]:
    """Move a question one place up or down; past the top or bottom of its section it goes to
    the end of the section before or the start of the section after. Returns (section id,
    position) before and after."""
    sections = document["sections"]
    section_index, index, question = find_question(document, question_id)
    questions = sections[section_index]["questions"]
    before = (sections[section_index]["id"], index)
    if direction == Direction.UP and index > 0:
        questions[index - 1], questions[index] = questions[index], questions[index - 1]
        return before, (before[0], index - 1)
    if direction == Direction.DOWN and index < len(questions) - 1:
        questions[index + 1], questions[index] = questions[index], questions[index + 1]
        return before, (before[0], index + 1)
    target = section_index - 1 if direction == Direction.UP else section_index + 1
    if not 0 <= target < len(sections):
        raise CannotMove("first" if direction == Direction.UP else "last")
    del questions[index]
    if direction == Direction.UP:
        sections[target]["questions"].append(question)
        position = len(sections[target]["questions"]) - 1
    else:
        sections[target]["questions"].insert(0, question)
        position = 0
    return before, (sections[target]["id"], position)


# A blank tool ---------------------------------------------------------------------------------


def blank_document() -> Document:
    """A new tool with the partnership's common frame (key questions, outcomes, case details,
    overall judgement, sign-off) and one section to start from, so it is valid from the first
    save and lines up with the shipped tools in meetings and reports."""
    return {
        "id": "new_tool",
        "version": 1,
        "title": "New audit tool",
        "short_title": "New audit tool",
        "description": "What this audit tool is for and which agencies complete it.",
        "marking_notice": (
            "RESTRICTED WHEN COMPLETED: Failure to comply with the restriction is in breach of "
            "data protection and confidentiality."
        ),
        "guidance": "Auditors should focus on the impact the work is having on the child.",
        "equality_prompt": (
            "Analysis of equality issues should be integrated as appropriate within each section."
        ),
        "grade_scale": {**GRADE_SCALES["ofsted_four_point"], "allow_not_applicable": True},
        "audit_window": {
            "months_before_audit": 18,
            "months_before_referral": 6,
            "description": (
                "18 months back from the point of audit, or 6 months prior to referral to "
                "children’s social care, whichever is more recent."
            ),
        },
        "key_questions": {
            "heading": "Key questions to be answered at the end of the audit",
            "items": [
                {
                    "id": "child_safe",
                    "text": "Is the child currently safe?",
                    "answer": "yes_no_not_known",
                    "comment": True,
                    "signal": "child_safe",
                    "escalate_on": ["no", "not_known"],
                },
                {
                    "id": "actions_taken",
                    "text": "Have all actions been taken by agencies to make them safe?",
                    "answer": "yes_no_not_known",
                    "comment": True,
                    "signal": "actions_taken",
                    "escalate_on": ["no", "not_known"],
                },
                {
                    "id": "last_reviewed",
                    "text": "When was the case last reviewed?",
                    "answer": "date",
                    "signal": "last_reviewed",
                },
            ],
        },
        "outcomes": {
            "heading": "Every Child Matters outcomes",
            "question": (
                "All agencies: What impact has the work undertaken had on improving outcomes "
                "for this child?"
            ),
            "evidence_label": (
                "Evidence of impact (what has changed or improved and is this sustainable)"
            ),
            "items": [
                {"id": key, "title": title, "report_key": key}
                for key, title in (
                    ("outcome_being_healthy", "Being Healthy"),
                    ("outcome_staying_safe", "Staying Safe"),
                    ("outcome_enjoying_achieving", "Enjoying and Achieving"),
                    ("outcome_positive_contribution", "Making a Positive Contribution"),
                    ("outcome_economic_wellbeing", "Achieving Economic Well-Being"),
                )
            ],
        },
        "case_details": [
            {"field": "initials", "label": "Initials of subject child"},
            {"field": "gender", "label": "Gender"},
            {"field": "age", "label": "Age"},
            {"field": "case_identifier", "label": "Case identifier number"},
            {"field": "ethnicity", "label": "Ethnicity"},
            {"field": "language", "label": "Language"},
            {"field": "religion", "label": "Religion"},
            {
                "field": "family_members",
                "label": "Family members – initials and relationships, ages of children",
            },
        ],
        "practitioner": [
            {"id": "practitioner_name", "label": "Name of practitioner"},
            {"id": "practitioner_team", "label": "Agency/School/Team"},
        ],
        "sections": [
            {
                "id": "involvement",
                "title": "Involvement with the child and family",
                "applies_to": Audience.ALL_RELEVANT_AGENCIES.value,
                "questions": [
                    {
                        "id": "involvement_reasons_and_nature",
                        "text": (
                            "Reasons for and nature of involvement of agency/service with the "
                            "child and family (brief)."
                        ),
                    }
                ],
            }
        ],
        "overall_judgement": {
            "heading": "Judgement on quality of work",
            "items": [
                {
                    "id": "overall_own_agency",
                    "text": "Overall judgement on the quality of work by your own agency",
                    "report_key": "overall",
                },
                {
                    "id": "overall_partnership",
                    "text": "Overall judgement on the quality of work on a partnership basis",
                    "report_key": "overall_partnership",
                },
            ],
        },
        "recommendations_label": (
            "Auditor recommendations on how work on this case can be improved"
        ),
        "feedback_label": "Any additional auditor feedback",
        "sign_off": [
            {"id": "auditor_name", "label": "Name of auditor"},
            {"id": "auditor_job_title", "label": "Job title of auditor"},
            {"id": "auditor_agency", "label": "Agency of auditor"},
            {"id": "audit_date", "label": "Date of audit", "answer": "date"},
        ],
    }
