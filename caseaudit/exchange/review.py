"""The review page of a proposal: per item what was read, what was blank, what could not be
read, and, over an existing draft, what accepting would change (old → new)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from caseaudit.audit_tools.schema import Tool
from caseaudit.audits.items import Item, Part, parts_for
from caseaudit.audits.models import Answer, Return
from caseaudit.exchange.actions import same_value
from caseaudit.exchange.layout import CHOICE_LABELS, column_heading
from caseaudit.exchange.models import ImportedDocument
from caseaudit.exchange.reading import BLANK, MISSING, READ, UNREADABLE


@dataclass
class Box:
    """One answer box of one item."""

    item: Item
    column: str
    heading: str
    status: str
    value: str = ""
    raw: str = ""
    reason: str = ""
    old: str | None = None
    changes: bool = False


@dataclass
class PartReview:
    part: Part
    boxes: list[Box]


@dataclass
class Review:
    parts: list[PartReview] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    changes: list[Box] = field(default_factory=list)
    has_draft_answers: bool = False

    def boxes(self, status: str) -> list[Box]:
        return [box for part in self.parts for box in part.boxes if box.status == status]


def build_review(imported: ImportedDocument, *, show_draft: bool) -> Review:
    """`show_draft`: whether the reviewer may see the return's current draft answers."""
    ret: Return = imported.ret
    tool = ret.tool_version.tool
    answers = {answer.item_key: answer for answer in ret.answers.all()}
    review = Review(counts=dict.fromkeys((READ, BLANK, UNREADABLE, MISSING), 0))
    review.has_draft_answers = bool(answers)
    report = imported.report.get("items", {})
    for part in parts_for(ret):
        boxes = []
        for item in part.applicable_items:
            values = imported.values.get(item.key, {})
            answer = answers.get(item.key)
            for column in item.columns:
                cell = report.get(item.key, {}).get(column, {"status": MISSING})
                box = Box(
                    item,
                    column,
                    column_heading(tool, item, column),
                    cell["status"],
                    raw=cell.get("raw", ""),
                    reason=cell.get("reason", ""),
                )
                if box.status == READ:
                    box.value = display(tool, column, values)
                    if answer is not None and show_draft:
                        box.old = display(tool, column, answer.values())
                    box.changes = _changes(column, values, answer)
                    if box.changes and answer is not None and show_draft and box.old:
                        review.changes.append(box)
                review.counts[box.status] = review.counts.get(box.status, 0) + 1
                boxes.append(box)
        review.parts.append(PartReview(part, boxes))
    return review


def _changes(column: str, values: dict[str, Any], answer: Answer | None) -> bool:
    if answer is None:
        return True
    old = answer.values()
    columns = ("grade", "not_applicable") if column == "grade" else (column,)
    return any(not same_value(old[name], values.get(name)) for name in columns)


def display(tool: Tool, column: str, values: dict[str, Any]) -> str:
    """An answer column as the return's pages show it."""
    if column == "grade":
        if values.get("not_applicable"):
            return tool.grade_scale.not_applicable_label
        grade = values.get("grade")
        return f"{grade} – {tool.grade_scale.label_for(grade)}" if grade is not None else ""
    if column == "choice":
        return CHOICE_LABELS.get(values.get("choice") or "", "")
    if column == "date":
        value = values.get("date")
        return date.fromisoformat(value).strftime("%-d %B %Y") if value else ""
    return str(values.get(column) or "")
