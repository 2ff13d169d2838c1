"""Reading a completed Word form into proposed answers for a return.

A form downloaded from Case Audit is read row by row by the Ref cell each answer row carries
(see layout.py). An older form, typed into the source tool's Word document, has no Ref: its
rows are matched to the return's items by their wording, within the section whose title heads
the table, and every row with something written in it that matches nothing is reported.

Every answer box ends up read, blank or unreadable (with the reason); blank boxes change
nothing when the proposal is accepted."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document

from caseaudit.audit_tools.schema import AUDIENCE_LABELS, CaseField, GradeScale, Tool
from caseaudit.audits.forms import MAX_TEXT
from caseaudit.audits.items import Item, ItemKind, Part, parts_for
from caseaudit.audits.models import Return
from caseaudit.exchange.matching import THRESHOLD, Candidate, closest, match_rows, normalise
from caseaudit.exchange.parsing import (
    NOT_APPLICABLE,
    Unreadable,
    parse_choice,
    parse_date,
    parse_grade,
)

READ = "read"
BLANK = "blank"
UNREADABLE = "unreadable"
MISSING = "missing"
RAW_LIMIT = 2000
INSTRUCTIONS = ("To be completed by agency auditor", "To be completed centrally")
IMPACT_PREFIX = re.compile(r"^\s*impact\b[^:]*:+", re.IGNORECASE)
GRADE_LABEL = re.compile(r"\bgrade\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    table: int
    number: int
    cells: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"Table {self.table}, row {self.number}"


@dataclass
class Reading:
    """What one form said for a return: answer values by item key and column, and a report."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    cells: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    not_for_agency: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    found_rows: int = 0

    def report(self) -> dict[str, Any]:
        return {
            "items": self.cells,
            "unmatched": self.unmatched,
            "not_for_agency": self.not_for_agency,
            "warnings": self.warnings,
        }


def document_rows(document: Document) -> list[Row]:
    """Every row of every table in the body, each merged cell once."""
    rows = []
    for table_number, table in enumerate(document.tables, start=1):
        for row_number, row in enumerate(table.rows, start=1):
            seen: list[Any] = []
            texts = []
            for cell in row.cells:
                if any(cell._tc is other for other in seen):
                    continue
                seen.append(cell._tc)
                texts.append(cell.text)
            rows.append(Row(table_number, row_number, tuple(texts)))
    return rows


def read_form(ret: Return, document: Document, *, legacy: bool) -> Reading:
    tool = ret.tool_version.tool
    parts = parts_for(ret)
    items = {item.key: item for part in parts for item in part.items}
    reading = Reading()
    unreferenced = []
    for row in document_rows(document):
        reference = row.cells[0].strip() if row.cells else ""
        item = items.get(reference)
        if item is None:
            unreferenced.append(row)
            continue
        reading.found_rows += 1
        _take(reading, tool, item, row, row.cells[2:], item.columns)
    if legacy:
        _match_legacy(reading, ret, tool, parts, unreferenced)
    for part in parts:
        for item in part.applicable_items:
            columns = reading.cells.setdefault(item.key, {})
            for column in item.columns:
                columns.setdefault(column, {"status": MISSING})
    return reading


def _take(
    reading: Reading,
    tool: Tool,
    item: Item,
    row: Row,
    boxes: Sequence[str],
    columns: Sequence[str],
) -> None:
    if item.key in reading.cells:
        if _has_content(boxes):
            reading.unmatched.append(
                _row_report(row, f"A second row for “{item.label}”: only the first was read")
            )
        return
    if not item.applies:
        if _has_content(boxes) and not all(
            box.strip() in ("", "Not for your agency") for box in boxes
        ):
            reading.not_for_agency.append(_row_report(row, item.label))
        return
    cells = reading.cells.setdefault(item.key, {})
    for index, column in enumerate(columns):
        if index >= len(boxes):
            continue
        status, values, reason = read_box(tool.grade_scale, item, column, boxes[index])
        cells[column] = {"status": status}
        if status == UNREADABLE:
            cells[column].update(raw=boxes[index].strip()[:RAW_LIMIT], reason=reason)
        if status == READ:
            reading.values.setdefault(item.key, {}).update(values)


def read_box(
    scale: GradeScale, item: Item, column: str, text: str
) -> tuple[str, dict[str, Any], str]:
    """(status, answer values, reason) for one answer box."""
    text = _without_instructions(text).replace("\r\n", "\n").strip()
    if not text:
        return BLANK, {}, ""
    if column == "grade":
        grade = parse_grade(text, scale)
        if isinstance(grade, Unreadable):
            return UNREADABLE, {}, grade.reason
        if grade is NOT_APPLICABLE:
            if not item.allow_not_applicable:
                return UNREADABLE, {}, "This item cannot be marked not applicable"
            return READ, {"grade": None, "not_applicable": True}, ""
        return READ, {"grade": grade, "not_applicable": False}, ""
    if column == "choice":
        choice = parse_choice(text)
        if isinstance(choice, Unreadable):
            return UNREADABLE, {}, choice.reason
        return READ, {"choice": choice}, ""
    if column == "date":
        day = parse_date(text)
        if isinstance(day, Unreadable):
            return UNREADABLE, {}, day.reason
        return READ, {"date": day.isoformat() if day else None}, ""
    if len(text) > MAX_TEXT:
        return UNREADABLE, {}, f"Longer than {MAX_TEXT:,} characters"
    return READ, {column: text}, ""


def _without_instructions(text: str) -> str:
    for instruction in INSTRUCTIONS:
        if normalise(text).startswith(normalise(instruction)):
            pattern = r"\W*".join(re.escape(word) for word in instruction.split())
            return re.sub(rf"^\s*{pattern}\W*", "", text, flags=re.IGNORECASE)
    return text


def _has_content(boxes: Iterable[str]) -> bool:
    return any(_without_instructions(box).strip() for box in boxes)


def _row_report(row: Row, note: str) -> dict[str, Any]:
    return {
        "where": row.where,
        "cells": [cell.strip()[:RAW_LIMIT] for cell in row.cells],
        "note": note,
    }


# Older forms: matching rows by their wording ------------------------------------------------


@dataclass
class _LegacyRow:
    row: Row
    label: str
    boxes: tuple[str, ...]
    section: str | None


def _match_legacy(
    reading: Reading, ret: Return, tool: Tool, parts: list[Part], rows: list[Row]
) -> None:
    sections = [
        Candidate(
            part.section.id,
            (
                part.section.title,
                f"{part.section.number} {part.section.title}",
                f"{part.section.number}. {part.section.title}",
            ),
        )
        for part in parts
        if part.section is not None
    ]
    headings = _heading_candidates(tool, parts)
    details = [Candidate(detail.field.value, (detail.label,)) for detail in tool.case_details]
    pending: list[_LegacyRow] = []
    section: str | None = None
    table = 0
    for row in rows:
        if row.table != table:
            table, section = row.table, None
        label, boxes = _label_and_boxes(row)
        heading = closest(label, sections) if normalise(label) else None
        if heading is not None:
            section = heading.key
            continue
        detail = closest(label, details) if normalise(label) else None
        if detail is not None:
            _check_case_detail(reading, ret, detail.key, boxes)
            continue
        if not normalise(label) or closest(label, headings) is not None:
            # A heading row: skipped, unless something was written in it besides headings.
            written = [box for box in boxes if _without_instructions(box).strip()]
            if all(closest(box, headings) is not None for box in written):
                continue
        pending.append(_LegacyRow(row, _without_audience(label), boxes, section))

    items_by_section = {
        part.section.id: list(part.items) for part in parts if part.section is not None
    }
    outside_sections = [
        item
        for part in parts
        for item in part.items
        if part.section is None or item.kind in (ItemKind.QUESTION, ItemKind.JUDGEMENT)
    ]
    matched: dict[int, Item] = {}
    for section_id, items in items_by_section.items():
        group = [index for index, row in enumerate(pending) if row.section == section_id]
        _assign(pending, group, items, matched)
    used = {item.key for item in matched.values()}
    rest = [index for index in range(len(pending)) if index not in matched]
    _assign(pending, rest, [item for item in outside_sections if item.key not in used], matched)

    for index, legacy_row in enumerate(pending):
        item = matched.get(index)
        if item is None:
            if _has_content(legacy_row.boxes):
                reading.unmatched.append(
                    _row_report(legacy_row.row, "Matches no question of this return")
                )
            continue
        reading.found_rows += 1
        boxes, columns = _legacy_boxes(item, legacy_row.boxes)
        _take(reading, tool, item, legacy_row.row, boxes, columns)


def _assign(
    pending: list[_LegacyRow], indexes: list[int], items: list[Item], matched: dict[int, Item]
) -> None:
    if not indexes or not items:
        return
    candidates = [Candidate(item.key, _phrasings(item)) for item in items]
    by_key = {item.key: item for item in items}
    results = match_rows([pending[index].label for index in indexes], candidates, THRESHOLD)
    for index, result in zip(indexes, results, strict=True):
        if result is not None:
            matched[index] = by_key[result.key]


def _phrasings(item: Item) -> tuple[str, ...]:
    sub_questions = getattr(item.source, "sub_questions", []) if item.source else []
    if item.kind == ItemKind.QUESTION and sub_questions:
        return (item.label, " ".join([item.label, *sub_questions]))
    return (item.label,)


def _heading_candidates(tool: Tool, parts: list[Part]) -> list[Candidate]:
    texts = [
        tool.key_questions.heading,
        tool.outcomes.heading,
        f"{tool.outcomes.heading}: {tool.outcomes.question}",
        tool.outcomes.question,
        tool.outcomes.evidence_label,
        tool.overall_judgement.heading,
        tool.columns.comments,
        tool.columns.evidence,
        "Grade",
        "Impact (what has changed or improved and is this sustainable)",
        "Case details",
        "1. Case details",
        *(part.title for part in parts),
        *(part.section.applies_to_note for part in parts if part.section is not None),
        *INSTRUCTIONS,
    ]
    return [Candidate(str(index), (text,)) for index, text in enumerate(texts) if text]


def _label_and_boxes(row: Row) -> tuple[str, tuple[str, ...]]:
    if len(row.cells) == 1:
        # A one-cell row holds the question and, below it, the answer.
        first, _, rest = row.cells[0].strip().partition("\n")
        return first, (rest,)
    return row.cells[0], row.cells[1:]


def _without_audience(label: str) -> str:
    text = label.strip()
    for audience in AUDIENCE_LABELS.values():
        for prefix in (audience, f"For {audience}"):
            if normalise(text).startswith(normalise(prefix) + " "):
                pattern = r"\W*".join(re.escape(word) for word in normalise(prefix).split())
                stripped = re.sub(rf"^\W*{pattern}\W*", "", text, flags=re.IGNORECASE)
                if stripped != text:
                    return stripped
    return text


def _legacy_boxes(item: Item, boxes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The source tool's answer boxes for an item, and the columns they hold."""
    if item.kind == ItemKind.QUESTION:
        return boxes, ("text", "evidence")
    if item.kind == ItemKind.JUDGEMENT and len([box for box in boxes if box.strip()]) <= 1:
        # "Impact (…): what changed … Grade: 2" in the one box under the judgement.
        text = next((box for box in boxes if box.strip()), "")
        grades = list(GRADE_LABEL.finditer(text))
        impact, grade = (
            (text[: grades[-1].start()], text[grades[-1].end() :]) if grades else (text, "")
        )
        return (IMPACT_PREFIX.sub("", impact), grade), ("text", "grade")
    return boxes, item.columns


def _check_case_detail(
    reading: Reading, ret: Return, field_name: str, boxes: Sequence[str]
) -> None:
    written = _without_instructions(boxes[0] if boxes else "").strip()
    if not written:
        return
    case = ret.case
    expected = {
        CaseField.CASE_IDENTIFIER.value: case.case_identifier,
        CaseField.INITIALS.value: case.initials,
    }.get(field_name)
    if expected is not None and normalise(written) != normalise(expected):
        label = "case identifier" if field_name == CaseField.CASE_IDENTIFIER else "initials"
        reading.warnings.append(
            f"The form gives the child’s {label} as “{written[:60]}”, but this return is for "
            f"case {case.case_identifier} ({case.initials}). Check that this is the right "
            "return before accepting."
        )
