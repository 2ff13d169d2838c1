"""Every grade and answer as Excel and CSV, and the report tables: typed cells, one row per
answer, formula text neutralised, and the access rules of the person exporting."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from caseaudit.audits.models import Answer
from caseaudit.reports import exports
from caseaudit.reports.tests.conftest import CASE_WORDS

pytestmark = pytest.mark.django_db


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_neutralise_prefixes_formula_characters() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert exports.neutralise(text) == "'" + text
    assert exports.neutralise("plain") == "plain"
    assert exports.neutralise(-1) == -1  # numbers are numbers


def test_the_coordinator_gets_one_typed_row_per_submitted_answer(world, coordinator) -> None:
    book = load_workbook(io.BytesIO(exports.answers_workbook(coordinator, world["spring"])))
    assert book.sheetnames == ["Summary", "Answers", "Columns"]
    assert all(sheet.sheet_state == "visible" for sheet in book.worksheets)
    answers = book["Answers"]
    header, *rows = rows_of(answers)
    assert header == [column.name for column in exports.ANSWER_COLUMNS]
    expected = Answer.objects.filter(
        ret__case__programme=world["spring"], ret__status__in=("submitted", "closed")
    )
    assert len(rows) == expected.count() == 15  # the draft's answers are not there
    by_name = [dict(zip(header, row, strict=True)) for row in rows]
    planning = next(
        r
        for r in by_name
        if r["case_identifier"] == "904518"
        and r["agency"] == "Health"
        and r["report_key"] == "planning"
    )
    assert planning["grade"] == 3 and isinstance(planning["grade"], int)
    assert planning["grade_label"] == "Adequate"
    assert planning["report_key_label"] == "Planning"
    assert planning["not_applicable"] is False
    assert isinstance(planning["audit_date"], datetime)
    assert planning["audit_date"].date() == date(2026, 3, 2)
    assert isinstance(planning["submitted_at"], datetime)
    assert planning["initials"] == "QX"
    # Typed cells: a number format for dates, a number for grades.
    grade_column = header.index("grade") + 1
    date_column = header.index("audit_date") + 1
    cell = answers.cell(row=2, column=date_column)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    assert answers.cell(row=2, column=grade_column).data_type == "n"
    # Formula text is neutralised.
    recommendation = next(r for r in by_name if r["item_key"] == "recommendations")
    assert recommendation["comment"] == '\'=HYPERLINK("x")'
    summary = {row[0]: row[1] for row in rows_of(book["Summary"]) if row and row[0]}
    assert summary["Answers (rows of the Answers sheet)"] == 15
    assert summary["Returns"] == 5
    assert rows_of(book["Summary"])[0][0] == "OFFICIAL-SENSITIVE"
    assert answers.oddHeader.center.text == "OFFICIAL-SENSITIVE"


def test_an_agency_lead_exports_only_their_own_agency(world, health_lead) -> None:
    book = load_workbook(io.BytesIO(exports.answers_workbook(health_lead, None)))
    header, *rows = rows_of(book["Answers"])
    agencies = {row[header.index("agency")] for row in rows}
    assert agencies == {"Health"}
    # Health's own draft is theirs to read, so it is in their export, marked as such.
    statuses = {row[header.index("return_status")] for row in rows}
    assert statuses == {"Submitted", "In progress"}


def test_the_csv_has_the_marking_first_then_the_same_rows(world, coordinator) -> None:
    text = exports.answers_csv(coordinator, world["spring"]).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "OFFICIAL-SENSITIVE"
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert len(rows) == 15
    assert {row["grade"] for row in rows} >= {"1", "2", "3", "4", ""}
    assert rows[0]["audit_date"] == "2026-03-02"
    assert any(row["comment"] == '\'=HYPERLINK("x")' for row in rows)


def test_suppressed_report_tables_hold_no_case_and_no_small_number(world, board_viewer) -> None:
    content = exports.aggregates_workbook(board_viewer, None, suppressed=True)
    book = load_workbook(io.BytesIO(content))
    assert all(sheet.sheet_state == "visible" for sheet in book.worksheets)
    values = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert "fewer than 5" in values
    for word in CASE_WORDS:
        assert not any(word in value for value in values), word
    # No count from 1 to 4 appears as a number in any table.
    for sheet in book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=3, values_only=True):
            assert not any(isinstance(v, int) and 0 < v < 5 for v in row[1:]), row
    text = exports.aggregates_csv(board_viewer, None, suppressed=True).decode("utf-8-sig")
    assert text.startswith("OFFICIAL-SENSITIVE")
    for word in CASE_WORDS:
        assert word not in text


def test_unsuppressed_report_tables_show_every_count(world, coordinator) -> None:
    book = load_workbook(
        io.BytesIO(exports.aggregates_workbook(coordinator, None, suppressed=False))
    )
    completion = rows_of(book["Table 1"])
    assert completion[0][0] == "Returns by agency and status"
    assert completion[1][0] == "Agency"
    csc = next(row for row in completion if row[0] == "Children’s Social Care")
    assert csc[1:] == [0, 0, 4, 0, 0, 4]  # 3 in spring and 1 in autumn, all submitted


@pytest.mark.parametrize("total", [20, 137, 90_000])
def test_progress_is_written_at_every_fifth_whatever_the_size(total):
    reported: list[int] = []
    rows = [[n] for n in range(total)]
    assert list(exports._with_progress(iter(rows), total, reported.append)) == rows
    assert reported == [95 * step // 20 for step in range(1, 20)]


def test_a_few_rows_report_progress_fewer_times():
    reported: list[int] = []
    list(exports._with_progress(iter([[1], [2], [3]]), 3, reported.append))
    assert reported == sorted(reported) and 1 <= len(reported) <= 3
