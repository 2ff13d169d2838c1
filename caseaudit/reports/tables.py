"""Report numbers as the reader may see them: whole for coordinators and agency leads,
suppressed for board viewers (see `suppression`). Every page and aggregate export goes
through these, so the rule is applied in one place."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from caseaudit.reports import aggregates
from caseaudit.reports.aggregates import EqualityBreakdown, HeatMap, Matrix, Trend
from caseaudit.reports.suppression import Count, Shown, Table, plain_table, suppress, threshold


@dataclass
class CountTable:
    """A table of counts with its totals, ready for a template or a spreadsheet."""

    caption: str
    row_heading: str
    rows: list[str]
    columns: list[str]
    table: Table
    row_totals: bool = True
    column_totals: bool = True
    suppressed: bool = False
    notes: list[str] = field(default_factory=list)

    def body(self) -> list[tuple[str, list[Count], Count]]:
        return [
            (label, cells, total)
            for label, cells, total in zip(
                self.rows, self.table.cells, self.table.row_totals, strict=True
            )
        ]


def count_table(
    matrix: Matrix,
    *,
    caption: str,
    row_heading: str,
    suppressed: bool,
    row_totals: bool = True,
    column_totals: bool = True,
    forced_rows: Sequence[int] = (),
) -> CountTable:
    if suppressed:
        table = suppress(
            matrix.values,
            row_totals=row_totals,
            column_totals=column_totals,
            forced_rows=forced_rows,
        )
    else:
        table = plain_table(matrix.values)
    return CountTable(
        caption,
        row_heading,
        matrix.rows,
        matrix.columns,
        table,
        row_totals,
        column_totals,
        suppressed,
    )


@dataclass(frozen=True)
class HeatCell:
    """One cell of the heat map as shown: mean, mode and count, or why they are hidden."""

    count: Count
    mean: str
    mode: str
    grade_class: str

    @property
    def hidden(self) -> bool:
        return self.count.hidden


@dataclass
class HeatTable:
    report_keys: list[str]
    agencies: list[str]
    rows: list[tuple[str, list[HeatCell], HeatCell]]
    suppressed: bool


def _heat_cell(summary: aggregates.GradeSummary, count: Count) -> HeatCell:
    if count.hidden or summary.count == 0:
        return HeatCell(count, "—", "—", "")
    grade = summary.rounded_mean
    return HeatCell(count, summary.mean_text(), summary.mode_text(), f"app-grade--{grade}")


def heat_table(heat: HeatMap, *, suppressed: bool) -> HeatTable:
    """Agencies' columns and an "all agencies" column (the row total of the counts)."""
    counts = heat.count_matrix()
    table = (
        suppress(counts.values, column_totals=False) if suppressed else plain_table(counts.values)
    )
    rows = []
    for r, rk in enumerate(heat.report_keys):
        cells = [
            _heat_cell(heat.cell(rk.key, agency.pk), table.cells[r][c])
            for c, agency in enumerate(heat.agencies)
        ]
        rows.append((rk.label, cells, _heat_cell(heat.overall[rk.key], table.row_totals[r])))
    return HeatTable(
        [rk.label for rk in heat.report_keys], [a.name for a in heat.agencies], rows, suppressed
    )


@dataclass
class TrendTable:
    caption: str
    row_heading: str
    columns: list[str]
    rows: list[tuple[str, list[HeatCell]]]


def trend_table(trend: Trend, *, caption: str, row_heading: str, suppressed: bool) -> TrendTable:
    """Mean grades by programme. No totals are shown, so only small counts are hidden."""
    limit = threshold()
    rows = []
    for key, label in trend.rows:
        cells = []
        for programme in trend.programmes:
            summary = trend.cell(key, programme.pk)
            small = suppressed and 0 < summary.count < limit
            count = Count(summary.count, Shown.SMALL if small else Shown.SHOWN, limit)
            cells.append(_heat_cell(summary, count))
        rows.append((label, cells))
    columns = [f"{p.title} ({p.audit_date:%b %Y})" for p in trend.programmes]
    return TrendTable(caption, row_heading, columns, rows)


@dataclass
class EqualityTables:
    label: str
    cases: CountTable
    grades: CountTable
    findings: CountTable
    means: list[str]


def equality_tables(
    breakdown: EqualityBreakdown, *, report_key_label: str, suppressed: bool
) -> EqualityTables:
    """Cases, grades and findings by group. For the board, a group whose number of children is
    hidden has every count of its row withheld too: six grades can still be two children."""
    label = breakdown.label.lower()
    cases = count_table(
        Matrix(breakdown.groups, ["Cases"], [[n] for n in breakdown.cases]),
        caption=f"Cases by {label}",
        row_heading=breakdown.label,
        suppressed=suppressed,
        row_totals=False,
    )
    hidden_groups = [i for i, row in enumerate(cases.table.cells) if row[0].hidden]
    grades = count_table(
        breakdown.grades,
        caption=f"{report_key_label}: agencies’ grades by {label}",
        row_heading=breakdown.label,
        suppressed=suppressed,
        forced_rows=hidden_groups,
    )
    findings = count_table(
        breakdown.findings,
        caption=f"Findings by {label}",
        row_heading=breakdown.label,
        suppressed=suppressed,
        forced_rows=hidden_groups,
    )
    means = []
    for values, total in zip(breakdown.grades.values, grades.table.row_totals, strict=True):
        graded = sum(values)
        if total.hidden or not graded:
            means.append("—")
        else:
            mean = sum(
                grade * n for grade, n in zip(breakdown.grades.column_keys, values, strict=True)
            )
            means.append(f"{mean / graded:.1f}")
    return EqualityTables(breakdown.label, cases, grades, findings, means)
