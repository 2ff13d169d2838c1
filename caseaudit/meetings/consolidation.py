"""All agencies' submitted returns for one case, lined up by report key, and the places where
they disagree: the draft agenda for the case at the multi-agency meeting."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from caseaudit.accounts.models import Agency
from caseaudit.audit_tools.report_keys import REPORT_KEYS, ReportKey, ReportKeyKind
from caseaudit.audit_tools.schema import Signal, Tool
from caseaudit.audits.items import Item, parts_for
from caseaudit.audits.models import Answer, Case, Return
from caseaudit.audits.window import months_before

GAP_TO_FLAG = 2
CHOICE_LABELS = {"yes": "Yes", "no": "No", "not_known": "Not known"}


@dataclass(frozen=True)
class Cell:
    """One agency's grade for one report key."""

    grade: int | None
    label: str
    not_applicable: bool = False

    @property
    def text(self) -> str:
        if self.grade is None:
            return self.label
        return f"{self.grade} {self.label}"


@dataclass
class Column:
    ret: Return
    tool: Tool
    answers: dict[str, Answer]
    items_by_report_key: dict[str, list[Item]] = field(default_factory=dict)

    @property
    def agency(self) -> Agency:
        return self.ret.agency

    def answer(self, key: str) -> Answer | None:
        return self.answers.get(key)

    def cell(self, report_key: str) -> Cell | None:
        answer = next((a for a in self.answers.values() if a.report_key == report_key), None)
        if answer is None:
            return None
        if answer.not_applicable:
            return Cell(None, self.tool.grade_scale.not_applicable_label, True)
        if answer.grade is None:
            return None
        return Cell(answer.grade, self.tool.grade_scale.label_for(answer.grade))

    def signal_answer(self, signal: Signal) -> Answer | None:
        question = next((q for q in self.tool.key_questions.items if q.signal == signal), None)
        return self.answers.get(question.id) if question else None

    def escalating_answers(self) -> list[tuple[str, str]]:
        found = []
        for question in self.tool.key_questions.items:
            answer = self.answers.get(question.id)
            if answer is not None and answer.choice in question.escalate_on:
                found.append((question.text, CHOICE_LABELS[answer.choice]))
        return found


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str
    report_key: str = ""


@dataclass
class Consolidated:
    case: Case
    columns: list[Column]
    rows: list[tuple[ReportKey, list[Cell | None]]]
    flags: list[Flag]

    def sections(self) -> list[tuple[ReportKey, list[tuple[Column, list[Item]]]]]:
        """Per section report key: each agency's items that feed it (its section's questions
        and judgement), so comments and evidence can be read side by side."""
        result = []
        for report_key in REPORT_KEYS:
            if report_key.kind != ReportKeyKind.SECTION:
                continue
            entries = [
                (column, column.items_by_report_key[report_key.key])
                for column in self.columns
                if column.items_by_report_key.get(report_key.key)
            ]
            if entries:
                result.append((report_key, entries))
        return result


def consolidate(case: Case, returns: Sequence[Return], answers: Iterable[Answer]) -> Consolidated:
    by_return: dict[int, dict[str, Answer]] = {ret.pk: {} for ret in returns}
    for answer in answers:
        by_return[answer.ret_id][answer.item_key] = answer
    columns = []
    for ret in sorted(returns, key=lambda r: r.agency.name):
        ret.case = case  # which questions apply depends on the case: one query, not one a return
        column = Column(ret, ret.tool_version.tool, by_return[ret.pk])
        for part in parts_for(ret):
            if part.section is None or part.section.judgement is None:
                continue
            key = part.section.judgement.report_key
            column.items_by_report_key[key] = list(part.applicable_items)
        columns.append(column)
    rows = [
        (report_key, [column.cell(report_key.key) for column in columns])
        for report_key in REPORT_KEYS
        if any(column.cell(report_key.key) for column in columns)
    ]
    return Consolidated(case, columns, rows, agenda_flags(case, columns, rows))


def agenda_flags(
    case: Case, columns: list[Column], rows: list[tuple[ReportKey, list[Cell | None]]]
) -> list[Flag]:
    flags = []
    for report_key, cells in rows:
        graded = [
            (column, cell)
            for column, cell in zip(columns, cells, strict=True)
            if cell is not None and cell.grade is not None
        ]
        if len(graded) < 2:
            continue
        grades = [cell.grade for _, cell in graded if cell.grade is not None]
        gap = max(grades) - min(grades)
        if gap >= GAP_TO_FLAG:
            detail = ", ".join(f"{column.agency.name} {cell.text}" for column, cell in graded)
            flags.append(
                Flag(
                    "grade_gap",
                    f"{report_key.label}: grades {gap} points apart ({detail})",
                    report_key.key,
                )
            )

    safe_answers = {
        column.agency.name: column.signal_answer(Signal.CHILD_SAFE) for column in columns
    }
    given = {name: a.choice for name, a in safe_answers.items() if a is not None and a.choice}
    if len(set(given.values())) > 1:
        detail = ", ".join(f"{name}: {CHOICE_LABELS[choice]}" for name, choice in given.items())
        flags.append(
            Flag(
                "safety_disagreement",
                f"Agencies answer “Is the child currently safe?” differently ({detail})",
            )
        )
    for column in columns:
        for question, answer_text in column.escalating_answers():
            flags.append(
                Flag("safety_concern", f"{column.agency.name} answers “{question}”: {answer_text}")
            )

    threshold = months_before(case.programme.audit_date, case.programme.review_threshold_months)
    for column in columns:
        reviewed = column.signal_answer(Signal.LAST_REVIEWED)
        if reviewed is not None and reviewed.date is not None and reviewed.date < threshold:
            flags.append(
                Flag(
                    "review_overdue",
                    f"{column.agency.name}: case last reviewed {reviewed.date:%-d %B %Y}, "
                    f"more than {case.programme.review_threshold_months} months before the "
                    "audit date",
                )
            )
    return flags
