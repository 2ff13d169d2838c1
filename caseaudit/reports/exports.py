"""Data exports: every grade and answer as Excel or CSV, and the report tables.

The access rules apply to every export: the answers come from `access.exportable_returns`
(a coordinator every submitted return, an agency lead only their own agency's), and the
report tables go through `tables`, suppressed for a board viewer. Text that a spreadsheet
would run as a formula is neutralised.
"""

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from caseaudit import access
from caseaudit.accounts.models import Agency, AgencyKind, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, Case, Programme, Return
from caseaudit.reports import aggregates, tables
from caseaudit.reports.aggregates import ReportFilter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def neutralise(value: Any) -> Any:
    """Text starting with a formula character gets a leading apostrophe, so a spreadsheet
    shows it as text instead of running it ("=HYPERLINK(…)" in a comment)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Every grade and answer -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kind: str  # text, whole number, date, date and time, yes or no


ANSWER_COLUMNS = (
    Column("programme_id", "The programme's number in Case Audit", "whole number"),
    Column("programme", "The programme's title", "text"),
    Column("audit_date", "The programme's audit date", "date"),
    Column("case_identifier", "The case-management system's number for the case", "text"),
    Column("initials", "The child's initials", "text"),
    Column(
        "category", "Child in need, child protection, looked-after child or care leaver", "text"
    ),
    Column("agency", "The agency whose return this is", "text"),
    Column("tool", "The audit tool the return uses", "text"),
    Column("tool_version", "The version of the audit tool", "whole number"),
    Column("return_status", "Not started, in progress, submitted, returned or closed", "text"),
    Column("submitted_at", "When the return was last submitted (local time)", "date and time"),
    Column("part", "The part of the form the item is in", "text"),
    Column("item_key", "The item's id in the tool", "text"),
    Column("item", "The question, judgement or outcome, as the tool words it", "text"),
    Column("report_key", "The partnership-wide key of a graded item (blank if not graded)", "text"),
    Column("report_key_label", "The report key's name", "text"),
    Column("grade", "The grade (1 is best on the default scale); blank if none", "whole number"),
    Column("grade_label", "The grade's name on the tool's scale", "text"),
    Column("not_applicable", "Whether the item was graded not applicable", "yes or no"),
    Column("choice", "Yes, no or not known (key questions)", "text"),
    Column("date", "A date answer (such as when the case was last reviewed)", "date"),
    Column("comment", "The auditor's comments, or the impact of a judgement", "text"),
    Column("evidence", "Evidenced by", "text"),
)


@dataclass(frozen=True)
class ToolFacts:
    """What the export needs of a tool version, worked out once per version (parsing a tool
    document is far dearer than writing a row)."""

    title: str
    version: int
    items: dict[str, tuple[str, str]]  # item key → (part title, item label)
    grades: dict[int, str]


@cache
def _tool_facts(tool_version_id: int) -> ToolFacts:
    version = ToolVersion.objects.get(pk=tool_version_id)
    # Labels do not depend on the agency or case: a return that is never saved will do.
    sample = Return(tool_version=version, agency=Agency(kind=AgencyKind.OTHER), case=Case())
    return ToolFacts(
        title=version.title,
        version=version.version,
        items={
            item.key: (part.title, item.label) for part in parts_for(sample) for item in part.items
        },
        grades={grade.value: grade.label for grade in version.tool.grade_scale.grades},
    )


def export_answers(user: User, programme: Programme | None) -> QuerySet[Answer]:
    returns = access.exportable_returns(user)
    if programme is not None:
        returns = returns.filter(case__programme=programme)
    return Answer.objects.filter(ret__in=returns.values("pk")).order_by(
        "ret__case__programme__audit_date",
        "ret__case__case_identifier",
        "ret__agency__name",
        "pk",
    )


def _local(value: datetime | None) -> datetime | None:
    # Spreadsheets have no time zones: local wall-clock time, without the zone.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


@dataclass(frozen=True)
class ReturnFacts:
    """The columns every answer of a return shares, worked out once per return."""

    before_tool: list[Any]
    tool_version_id: int
    after_tool: list[Any]


def _returns_of(answers: QuerySet[Answer]) -> dict[int, ReturnFacts]:
    returns = Return.objects.filter(pk__in=answers.values("ret")).select_related(
        "case__programme", "agency"
    )
    found = {}
    for ret in returns.iterator(chunk_size=2000):
        case, programme = ret.case, ret.case.programme
        found[ret.pk] = ReturnFacts(
            [
                programme.pk,
                programme.title,
                programme.audit_date,
                case.case_identifier,
                case.initials,
                case.get_category_display(),
                ret.agency.name,
            ],
            ret.tool_version_id,
            [ret.get_status_display(), _local(ret.submitted_at)],
        )
    return found


def answer_rows(answers: QuerySet[Answer]) -> Iterator[list[Any]]:
    _tool_facts.cache_clear()
    returns = _returns_of(answers)
    rows = answers.values_list(
        "ret_id",
        "item_key",
        "report_key",
        "grade",
        "not_applicable",
        "choice",
        "date",
        "text",
        "evidence",
    )
    for (
        ret_id,
        item_key,
        report_key,
        grade,
        not_applicable,
        choice,
        day,
        text,
        evidence,
    ) in rows.iterator(chunk_size=5000):
        ret = returns[ret_id]
        tool = _tool_facts(ret.tool_version_id)
        part, label = tool.items.get(item_key, ("", item_key))
        key = REPORT_KEYS_BY_KEY.get(report_key)
        yield [
            *ret.before_tool,
            tool.title,
            tool.version,
            *ret.after_tool,
            part,
            item_key,
            label,
            report_key,
            key.label if key else "",
            grade,
            tool.grades.get(grade, "") if grade is not None else "",
            not_applicable,
            choice,
            day,
            text,
            evidence,
        ]


def _marking_header(sheet: Any) -> None:
    marking = settings.PROTECTIVE_MARKING
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = f"{marking} · page &P of &N"


def _bold(sheet: Any, value: Any, size: int | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True, size=size)
    return cell


def _write_table(sheet: Any, header: list[str], rows: Iterable[list[Any]]) -> int:
    sheet.append([_bold(sheet, name) for name in header])
    written = 0
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        written += 1
    return written


def _summary_sheet(sheet: Any, title: str, user: User, lines: list[tuple[str, Any]]) -> None:
    """The first sheet: the marking, what the file holds and for whom it was prepared."""
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 70
    _marking_header(sheet)
    sheet.append([_bold(sheet, settings.PROTECTIVE_MARKING)])
    sheet.append([_bold(sheet, title, size=14)])
    sheet.append([])
    sheet.append(["Partnership", neutralise(settings.PARTNERSHIP_NAME)])
    sheet.append(["Prepared for", neutralise(user.full_name)])
    sheet.append(["Prepared at", _local(timezone.now())])
    for label, value in lines:
        sheet.append([neutralise(label), neutralise(value)])


def answers_workbook(
    user: User, programme: Programme | None, progress: Callable[[int], None] | None = None
) -> bytes:
    """One row per answer with typed columns (dates as dates, grades as numbers), a summary
    sheet first and a sheet describing the columns. Nothing hidden. Written row by row, so a
    partnership's every answer fits in memory."""
    answers = export_answers(user, programme)
    total = answers.count()
    returns = Return.objects.filter(pk__in=answers.values("ret")).count()
    scope = (
        "Every submitted return of the partnership"
        if access.is_coordinator(user)
        else f"{user.agency.name}’s returns only"
    )
    book = Workbook(write_only=True)
    _summary_sheet(
        book.create_sheet("Summary"),
        "Every grade and answer",
        user,
        [
            ("Programme", programme.title if programme else "Every programme"),
            ("Scope", scope),
            ("Returns", returns),
            ("Answers (rows of the Answers sheet)", total),
            ("Graded answers", answers.filter(grade__isnull=False).count()),
            ("Columns", "Described on the Columns sheet"),
        ],
    )
    sheet = book.create_sheet("Answers")
    sheet.freeze_panes = "A2"
    _marking_header(sheet)
    for index, column in enumerate(ANSWER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            28 if column.kind == "text" else 14
        )
    _write_table(
        sheet,
        [c.name for c in ANSWER_COLUMNS],
        _with_progress(answer_rows(answers), total, progress),
    )
    columns = book.create_sheet("Columns")
    columns.column_dimensions["A"].width = 20
    columns.column_dimensions["C"].width = 80
    _marking_header(columns)
    _write_table(
        columns,
        ["column", "type", "meaning"],
        ([c.name, c.kind, c.description] for c in ANSWER_COLUMNS),
    )
    return _save(book)


PROGRESS_STEPS = 20


def _with_progress(
    rows: Iterator[list[Any]], total: int, progress: Callable[[int], None] | None
) -> Iterator[list[Any]]:
    """Pass the rows through, reporting progress at every 5%: a write each time, so the same
    number of writes whatever the size."""
    steps = {math.ceil(total * step / PROGRESS_STEPS): step for step in range(1, PROGRESS_STEPS)}
    for index, row in enumerate(rows, start=1):
        step = steps.get(index)
        if progress is not None and step is not None:
            progress(95 * step // PROGRESS_STEPS)
        yield row


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(value)


def answers_csv(user: User, programme: Programme | None) -> bytes:
    """The same rows as the Excel export. The first line is the protective marking."""
    out = io.StringIO()
    out.write(f"{settings.PROTECTIVE_MARKING}\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in ANSWER_COLUMNS])
    for row in answer_rows(export_answers(user, programme)):
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


# Report tables ------------------------------------------------------------------------------


def report_tables(
    user: User, programme: Programme | None, *, suppressed: bool
) -> list[tables.CountTable]:
    """The tables of the dashboard (for one programme or every programme the user may see),
    as the user may see them."""
    programmes = access.report_programmes(user)
    if programme is not None:
        programmes = programmes.filter(pk=programme.pk)
    f = ReportFilter(agency_id=access.report_agency_id(user))
    heat = aggregates.heat_map(programmes, f)
    found: list[tables.CountTable] = [
        tables.count_table(
            aggregates.completion(programmes, f),
            caption="Returns by agency and status",
            row_heading="Agency",
            suppressed=suppressed,
        ),
        tables.count_table(
            heat.count_matrix(),
            caption="Number of grades by report key and agency",
            row_heading="Report key",
            suppressed=suppressed,
            column_totals=False,
        ),
        tables.count_table(
            aggregates.grade_distribution(heat),
            caption="Grade distribution by report key",
            row_heading="Report key",
            suppressed=suppressed,
            column_totals=False,
        ),
        tables.count_table(
            aggregates.key_question_answers(programmes, f),
            caption="Key questions",
            row_heading="Question",
            suppressed=suppressed,
            column_totals=False,
        ),
        tables.count_table(
            aggregates.theme_counts(programmes, f),
            caption="Findings by theme",
            row_heading="Theme",
            suppressed=suppressed,
            column_totals=False,
        ),
    ]
    for characteristic in aggregates.CHARACTERISTICS:
        breakdown = aggregates.equality(programmes, f, characteristic)
        equality = tables.equality_tables(
            breakdown, report_key_label="Overall: own agency's work", suppressed=suppressed
        )
        found += [equality.cases, equality.grades, equality.findings]
    return found


def _table_rows(table: tables.CountTable) -> Iterator[list[Any]]:
    """A count table as rows: hidden counts become their words, never their values."""
    for label, cells, total in table.body():
        row: list[Any] = [label, *(_shown(cell) for cell in cells)]
        if table.row_totals:
            row.append(_shown(total))
        yield row
    if table.column_totals:
        row = ["Total", *(_shown(cell) for cell in table.table.column_totals)]
        if table.row_totals:
            row.append(_shown(table.table.grand_total))
        yield row


def _shown(cell: Any) -> Any:
    return cell.value if not cell.hidden else cell.text


def _header(table: tables.CountTable) -> list[str]:
    return [table.row_heading, *table.columns, *(["Total"] if table.row_totals else [])]


def aggregates_workbook(user: User, programme: Programme | None, *, suppressed: bool) -> bytes:
    book = Workbook(write_only=True)
    summary = book.create_sheet("Summary")
    found = report_tables(user, programme, suppressed=suppressed)
    contents: list[tuple[str, Any]] = [
        ("Programme", programme.title if programme else "Every programme"),
        (
            "Small numbers",
            f"Counts under {settings.SUPPRESSION_THRESHOLD} are shown as “fewer than "
            f"{settings.SUPPRESSION_THRESHOLD}”; “withheld” marks a count hidden so that a "
            "smaller one cannot be worked out from the totals."
            if suppressed
            else "Not suppressed: for use within the partnership only.",
        ),
    ]
    contents += [(f"Table {index}", table.caption) for index, table in enumerate(found, start=1)]
    _summary_sheet(summary, "Report tables", user, contents)
    for index, table in enumerate(found, start=1):
        sheet = book.create_sheet(f"Table {index}")
        sheet.column_dimensions["A"].width = 40
        _marking_header(sheet)
        sheet.append([_bold(sheet, table.caption)])
        _write_table(sheet, _header(table), _table_rows(table))
    return _save(book)


def aggregates_csv(user: User, programme: Programme | None, *, suppressed: bool) -> bytes:
    """Every table in one long CSV: table, row, column, value."""
    out = io.StringIO()
    out.write(f"{settings.PROTECTIVE_MARKING}\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in report_tables(user, programme, suppressed=suppressed):
        header = _header(table)
        for row in _table_rows(table):
            for column, value in zip(header[1:], row[1:], strict=True):
                writer.writerow([neutralise(table.caption), neutralise(row[0]), column, value])
    return out.getvalue().encode("utf-8-sig")
