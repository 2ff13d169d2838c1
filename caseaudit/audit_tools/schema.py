"""The typed schema of an audit tool document (the YAML files in `shipped/` and custom tools).

Structure and types are checked by pydantic; rules that span the document (unique ids, known
report keys, grade values that exist in the scale, footnote references) by `semantic_errors`,
so every problem is reported with its path rather than only the first.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY

Path = tuple[str | int, ...]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Audience(StrEnum):
    """Who a question is for, as the source tool qualifies its questions."""

    ALL_RELEVANT_AGENCIES = "all_relevant_agencies"
    OTHER_THAN_CHILDRENS_SOCIAL_CARE = "other_than_childrens_social_care"
    REFERRING_AGENCY_AND_CHILDRENS_SOCIAL_CARE = "referring_agency_and_childrens_social_care"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.ALL_RELEVANT_AGENCIES: "All relevant agencies",
    Audience.OTHER_THAN_CHILDRENS_SOCIAL_CARE: "For agencies other than children’s social care",
    Audience.REFERRING_AGENCY_AND_CHILDRENS_SOCIAL_CARE: (
        "Referring agency and children’s social care"
    ),
    Audience.CHILDRENS_SOCIAL_CARE: "Children’s social care",
}


class AnswerType(StrEnum):
    TEXT = "text"
    YES_NO_NOT_KNOWN = "yes_no_not_known"
    DATE = "date"
    GRADE = "grade"


class Signal(StrEnum):
    """Key-question meanings the system acts on (safety escalation, meeting agenda flags)."""

    CHILD_SAFE = "child_safe"
    ACTIONS_TAKEN = "actions_taken"
    LAST_REVIEWED = "last_reviewed"


class CaseField(StrEnum):
    """Case details held centrally on the case record, never typed into a return."""

    INITIALS = "initials"
    GENDER = "gender"
    AGE = "age"
    CASE_IDENTIFIER = "case_identifier"
    ETHNICITY = "ethnicity"
    LANGUAGE = "language"
    RELIGION = "religion"
    FAMILY_MEMBERS = "family_members"
    CATEGORY = "category"
    REFERRAL_DATE = "referral_date"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grade(Strict):
    value: int
    label: Text


class GradeScale(Strict):
    name: Text = "Ofsted four-point scale"
    lower_is_better: bool = True
    allow_not_applicable: bool = True
    not_applicable_label: Text = "Not applicable"
    grades: list[Grade] = Field(min_length=2)

    def label_for(self, value: int) -> str:
        return next(grade.label for grade in self.grades if grade.value == value)


class AuditWindow(Strict):
    """The audit start point: N months back from the audit date, or M months before the
    referral to children's social care, whichever is more recent."""

    months_before_audit: int = Field(default=18, ge=1, le=120)
    months_before_referral: int | None = Field(default=6, ge=0, le=120)
    description: Text


class Footnote(Strict):
    id: Identifier
    marker: Text
    text: Text


class GradedItem(Strict):
    """Anything that carries a grade: a section judgement, an outcome, the overall judgement."""

    id: Identifier
    report_key: str
    allow_not_applicable: bool | None = None
    descriptors: dict[int, Text] = Field(default_factory=dict)


class KeyQuestion(Strict):
    id: Identifier
    text: Text
    answer: Literal[AnswerType.YES_NO_NOT_KNOWN, AnswerType.DATE, AnswerType.TEXT]
    comment: bool = False
    signal: Signal | None = None
    escalate_on: list[Literal["no", "not_known"]] = Field(default_factory=list)


class KeyQuestions(Strict):
    heading: Text
    items: list[KeyQuestion]


class Outcome(GradedItem):
    title: Text


class Outcomes(Strict):
    heading: Text
    question: Text
    evidence_label: Text
    items: list[Outcome]


class CaseDetail(Strict):
    field: CaseField
    label: Text


class Field_(Strict):
    """A free-standing field completed by the auditor (practitioner, sign-off)."""

    id: Identifier
    label: Text
    answer: Literal[AnswerType.TEXT, AnswerType.DATE] = AnswerType.TEXT


class Question(Strict):
    id: Identifier
    text: Text
    sub_questions: list[Text] = Field(default_factory=list)
    audience: Audience | None = None
    answer: AnswerType = AnswerType.TEXT
    guidance: Text | None = None
    footnotes: list[Identifier] = Field(default_factory=list)


class SectionJudgement(GradedItem):
    text: Text
    impact_label: Text


class Section(Strict):
    id: Identifier
    number: int | None = None
    title: Text
    applies_to: Audience = Audience.ALL_RELEVANT_AGENCIES
    applies_to_note: Text | None = None
    guidance: Text | None = None
    questions: list[Question] = Field(min_length=1)
    judgement: SectionJudgement | None = None
    equality: bool = True


class OverallItem(GradedItem):
    text: Text


class OverallJudgement(Strict):
    heading: Text
    guidance: Text | None = None
    items: list[OverallItem] = Field(min_length=1)


class Columns(Strict):
    comments: Text = "Auditor comments"
    evidence: Text = (
        "Evidenced by: name and date of relevant document; recorded decision; or other evidence."
    )


class Tool(Strict):
    id: Identifier
    version: int = Field(ge=1)
    title: Text
    short_title: Text
    description: Text
    marking_notice: Text
    guidance: Text
    equality_prompt: Text
    grade_scale: GradeScale
    audit_window: AuditWindow
    columns: Columns = Columns()
    key_questions: KeyQuestions
    outcomes: Outcomes
    case_details: list[CaseDetail]
    practitioner: list[Field_]
    sections: list[Section] = Field(min_length=1)
    overall_judgement: OverallJudgement
    recommendations_label: Text
    feedback_label: Text
    sign_off: list[Field_]
    footnotes: list[Footnote] = Field(default_factory=list)

    def graded_items(self) -> Iterator[tuple[Path, GradedItem]]:
        """Every graded item with its path in the document, in form order."""
        for index, outcome in enumerate(self.outcomes.items):
            yield ("outcomes", "items", index), outcome
        for index, section in enumerate(self.sections):
            if section.judgement:
                yield ("sections", index, "judgement"), section.judgement
        for index, item in enumerate(self.overall_judgement.items):
            yield ("overall_judgement", "items", index), item

    def identified_items(self) -> Iterator[tuple[Path, str]]:
        """(path, id) of every item that holds an answer: ids share one namespace per tool."""
        for index, key_question in enumerate(self.key_questions.items):
            yield ("key_questions", "items", index, "id"), key_question.id
        for index, field in enumerate(self.practitioner):
            yield ("practitioner", index, "id"), field.id
        for section_index, section in enumerate(self.sections):
            yield ("sections", section_index, "id"), section.id
            for index, question in enumerate(section.questions):
                yield ("sections", section_index, "questions", index, "id"), question.id
        for path, item in self.graded_items():
            yield (*path, "id"), item.id
        for index, field in enumerate(self.sign_off):
            yield ("sign_off", index, "id"), field.id

    def allows_not_applicable(self, item: GradedItem) -> bool:
        if item.allow_not_applicable is None:
            return self.grade_scale.allow_not_applicable
        return item.allow_not_applicable


@dataclass(frozen=True)
class SchemaError:
    path: Path
    message: str


def format_path(path: Path) -> str:
    """("sections", 2, "id") → "sections[2].id", the way the error messages name places."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(document)"


def semantic_errors(tool: Tool) -> list[SchemaError]:
    errors: list[SchemaError] = []
    grade_values = [grade.value for grade in tool.grade_scale.grades]
    for index, value in enumerate(grade_values):
        if value in grade_values[:index]:
            errors.append(
                SchemaError(
                    ("grade_scale", "grades", index, "value"), f"duplicate grade value {value}"
                )
            )

    seen_ids: dict[str, Path] = {}
    for path, item_id in tool.identified_items():
        if item_id in seen_ids:
            errors.append(
                SchemaError(
                    path,
                    f'duplicate id "{item_id}" (first used at {format_path(seen_ids[item_id])})',
                )
            )
        else:
            seen_ids[item_id] = path

    seen_report_keys: dict[str, Path] = {}
    for path, item in tool.graded_items():
        if item.report_key not in REPORT_KEYS_BY_KEY:
            known = ", ".join(REPORT_KEYS_BY_KEY)
            errors.append(
                SchemaError(
                    (*path, "report_key"),
                    f'unknown report key "{item.report_key}" (known keys: {known})',
                )
            )
        elif item.report_key in seen_report_keys:
            errors.append(
                SchemaError(
                    (*path, "report_key"),
                    f'report key "{item.report_key}" is already used at '
                    f"{format_path(seen_report_keys[item.report_key])}",
                )
            )
        else:
            seen_report_keys[item.report_key] = path
        for value in item.descriptors:
            if value not in grade_values:
                errors.append(
                    SchemaError(
                        (*path, "descriptors", value),
                        f"unknown grade value {value} (the scale has "
                        f"{', '.join(map(str, grade_values))})",
                    )
                )

    footnote_ids = {footnote.id for footnote in tool.footnotes}
    for section_index, section in enumerate(tool.sections):
        for question_index, question in enumerate(section.questions):
            for index, footnote in enumerate(question.footnotes):
                if footnote not in footnote_ids:
                    errors.append(
                        SchemaError(
                            (
                                "sections",
                                section_index,
                                "questions",
                                question_index,
                                "footnotes",
                                index,
                            ),
                            f'unknown footnote "{footnote}"',
                        )
                    )
    return errors
