"""A return's form, derived from its tool version: the parts of the task list and the items
each part holds, with which answer columns each item uses and which of them must be filled."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from caseaudit.audit_tools.schema import AnswerType, Audience, Section, Tool
from caseaudit.audits.models import Answer, Return


class ItemKind(StrEnum):
    KEY_QUESTION = "key_question"
    OUTCOME = "outcome"
    FIELD = "field"
    QUESTION = "question"
    JUDGEMENT = "judgement"
    EQUALITY = "equality"
    OVERALL = "overall"
    TEXT = "text"


class PartStatus(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    NOT_APPLICABLE = "Not for your agency"


@dataclass(frozen=True)
class Item:
    key: str
    kind: ItemKind
    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    report_key: str = ""
    allow_not_applicable: bool = False
    applies: bool = True
    source: Any = None

    @property
    def graded(self) -> bool:
        return "grade" in self.columns


@dataclass(frozen=True)
class Part:
    slug: str
    title: str
    items: tuple[Item, ...]
    section: Section | None = None
    applies: bool = True
    hint: str = ""

    @property
    def applicable_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.applies)


@dataclass
class Problem:
    """One thing missing before a return can be submitted."""

    part: Part
    item: Item
    column: str
    message: str

    @property
    def field_id(self) -> str:
        return f"{self.item.key}-{self.column}"


def _answer_columns(answer_type: AnswerType) -> tuple[str, ...]:
    extra = {
        AnswerType.YES_NO_NOT_KNOWN: ("choice",),
        AnswerType.DATE: ("date",),
        AnswerType.GRADE: ("grade",),
        AnswerType.TEXT: (),
    }[answer_type]
    return (*extra, "text", "evidence")


AppliesTo = Callable[[Audience | None, Audience], bool]


def _section_part(tool: Tool, section: Section, applies_to: AppliesTo) -> Part:
    items = []
    for question in section.questions:
        applies = applies_to(question.audience, section.applies_to)
        columns = _answer_columns(question.answer)
        required = tuple(column for column in columns if column != "evidence")
        items.append(
            Item(
                question.id,
                ItemKind.QUESTION,
                question.text,
                columns,
                required,
                applies=applies,
                source=question,
            )
        )
    any_applies = any(item.applies for item in items)
    if section.judgement:
        judgement = section.judgement
        items.append(
            Item(
                judgement.id,
                ItemKind.JUDGEMENT,
                judgement.text,
                ("text", "grade"),
                ("text", "grade"),
                report_key=judgement.report_key,
                allow_not_applicable=tool.allows_not_applicable(judgement),
                applies=any_applies,
                source=judgement,
            )
        )
    if section.equality:
        items.append(
            Item(
                f"{section.id}_equality",
                ItemKind.EQUALITY,
                "Equality considerations",
                ("text",),
                applies=any_applies,
            )
        )
    title = f"{section.number}. {section.title}" if section.number else section.title
    return Part(f"section-{section.id}", title, tuple(items), section=section, applies=any_applies)


# A published tool version never changes, so its parts are built once per process for each
# way its questions can apply (which depends only on the return's agency and the case's referrer).
_published_parts: dict[tuple[int, str, tuple[bool, ...]], tuple[Part, ...]] = {}


def parts_for(ret: Return) -> list[Part]:
    """The parts of a return's task list, in the source tool's order."""
    version = ret.tool_version
    if not version.is_published:
        return _parts(version.tool, ret.applies)
    applicable = {audience: ret.applies(audience, audience) for audience in Audience}
    key = (version.pk, version.content_hash, tuple(applicable.values()))
    if key not in _published_parts:
        _published_parts[key] = tuple(
            _parts(version.tool, lambda audience, default: applicable[audience or default])
        )
    return list(_published_parts[key])


def _parts(tool: Tool, applies_to: AppliesTo) -> list[Part]:
    parts = [
        Part(
            "key-questions",
            tool.key_questions.heading,
            tuple(
                Item(
                    question.id,
                    ItemKind.KEY_QUESTION,
                    question.text,
                    ("date",)
                    if question.answer == AnswerType.DATE
                    else ("choice", "text")
                    if question.comment
                    else ("choice",),
                    ("date",) if question.answer == AnswerType.DATE else ("choice",),
                    source=question,
                )
                for question in tool.key_questions.items
            ),
        ),
        Part(
            "outcomes",
            tool.outcomes.heading,
            tuple(
                Item(
                    outcome.id,
                    ItemKind.OUTCOME,
                    outcome.title,
                    ("text", "grade"),
                    ("text", "grade"),
                    report_key=outcome.report_key,
                    allow_not_applicable=tool.allows_not_applicable(outcome),
                    source=outcome,
                )
                for outcome in tool.outcomes.items
            ),
            hint=tool.outcomes.question,
        ),
        Part(
            "practitioner",
            "Practitioner",
            tuple(
                Item(f.id, ItemKind.FIELD, f.label, (f.answer.value,), (f.answer.value,), source=f)
                for f in tool.practitioner
            ),
        ),
    ]
    parts.extend(_section_part(tool, section, applies_to) for section in tool.sections)
    parts.append(
        Part(
            "overall-judgement",
            tool.overall_judgement.heading,
            tuple(
                Item(
                    item.id,
                    ItemKind.OVERALL,
                    item.text,
                    ("grade", "text"),
                    ("grade",),
                    report_key=item.report_key,
                    allow_not_applicable=tool.allows_not_applicable(item),
                    source=item,
                )
                for item in tool.overall_judgement.items
            ),
            hint=tool.overall_judgement.guidance or "",
        )
    )
    parts.append(
        Part(
            "recommendations",
            "Recommendations and feedback",
            (
                Item("recommendations", ItemKind.TEXT, tool.recommendations_label, ("text",)),
                Item("feedback", ItemKind.TEXT, tool.feedback_label, ("text",)),
            ),
        )
    )
    parts.append(
        Part(
            "sign-off",
            "Sign-off",
            tuple(
                Item(f.id, ItemKind.FIELD, f.label, (f.answer.value,), (f.answer.value,), source=f)
                for f in tool.sign_off
            ),
        )
    )
    return parts


def find_part(parts: Iterable[Part], slug: str) -> Part | None:
    return next((part for part in parts if part.slug == slug), None)


def _filled(answer: Answer | None, column: str) -> bool:
    if answer is None:
        return False
    if column == "grade":
        return answer.grade is not None or answer.not_applicable
    value = getattr(answer, column)
    return bool(value.strip()) if isinstance(value, str) else value is not None


def _required_columns(item: Item, answer: Answer | None) -> tuple[str, ...]:
    # A graded item marked not applicable needs no impact text.
    if item.graded and answer is not None and answer.not_applicable:
        return tuple(column for column in item.required if column == "grade")
    return item.required


def problems(parts: Iterable[Part], answers: Mapping[str, Answer]) -> list[Problem]:
    """Everything missing before the return can be submitted, in form order."""
    found = []
    for part in parts:
        for item in part.applicable_items:
            answer = answers.get(item.key)
            for column in _required_columns(item, answer):
                if not _filled(answer, column):
                    found.append(Problem(part, item, column, missing_message(item, column)))
    return found


def missing_message(item: Item, column: str) -> str:
    label = item.label.rstrip("?:. ")
    if column == "grade":
        return f"Select a grade for “{label}”"
    if column == "choice":
        return f"Select an answer for “{label}”"
    if column == "date":
        return f"Enter a date for “{label}”"
    if item.kind in (ItemKind.JUDGEMENT, ItemKind.OUTCOME):
        return f"Enter the impact for “{label}”"
    return f"Enter your comments for “{label}”"


def part_status(part: Part, answers: Mapping[str, Answer]) -> PartStatus:
    if not part.applies:
        return PartStatus.NOT_APPLICABLE
    keys = [item.key for item in part.applicable_items]
    if not any(key in answers and _has_content(answers[key]) for key in keys):
        return PartStatus.NOT_STARTED
    if problems([part], answers):
        return PartStatus.IN_PROGRESS
    return PartStatus.COMPLETED


def _has_content(answer: Answer) -> bool:
    return any(
        _filled(answer, column) for column in ("text", "evidence", "grade", "choice", "date")
    )


@dataclass
class Progress:
    completed: int = 0
    total: int = 0
    statuses: dict[str, PartStatus] = field(default_factory=dict)


def progress(parts: Iterable[Part], answers: Mapping[str, Answer]) -> Progress:
    result = Progress()
    for part in parts:
        status = part_status(part, answers)
        result.statuses[part.slug] = status
        if status != PartStatus.NOT_APPLICABLE:
            result.total += 1
            result.completed += status == PartStatus.COMPLETED
    return result
