"""Report data as JSON: a programme's grade heat map and distributions, the equality tables and
the calibration of agencies' grades. The numbers are the report pages' own (`reports.aggregates`
and `reports.tables`) under the same rules: a coordinator sees everything, an agency lead their
own agency's slice, and a board viewer only anonymised counts with small numbers suppressed.
Nothing here names a case or holds a finding's text."""

from datetime import date
from typing import Any, Literal

from django.forms import BaseForm
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from caseaudit import access
from caseaudit.accounts.models import User
from caseaudit.api.v1.common import (
    Id,
    Page,
    PageParams,
    PathId,
    Storable,
    errors,
    log_view,
    paginate,
    user_of,
)
from caseaudit.api.v1.forms import form_data
from caseaudit.api.v1.problems import ApiProblem
from caseaudit.api.v1.programmes import AgencyOut, agency_out
from caseaudit.audit_tools.report_keys import REPORT_KEYS, REPORT_KEYS_BY_KEY
from caseaudit.audits.models import CaseCategory, Programme, ProgrammeStatus
from caseaudit.reports import aggregates, calibration, tables
from caseaudit.reports.aggregates import GradeSummary, ReportFilter
from caseaudit.reports.forms import EqualityForm, ReportFilterForm
from caseaudit.reports.suppression import Count, Shown, threshold

router = Router(tags=["Reports"])

# The API names the reports' filters after what they hold; the forms after the object.
FORM_NAMES = {"agency": "agency_id", "tool": "tool_key", "programme": "programme_id"}
Characteristic = Literal["ethnicity", "gender", "age_band", "language", "religion", "category"]


# What the reports answer ----------------------------------------------------------------------


class CountOut(Schema):
    value: int | None = Field(description="The count, or null when it is hidden")
    state: Shown = Field(
        description="shown; small (1 to the threshold minus one); withheld (so that a small "
        "count cannot be worked out from the totals)"
    )
    text: str = Field(description="The count as the page shows it, e.g. “fewer than 5”")


class TableRowOut(Schema):
    label: str
    cells: list[CountOut]
    total: CountOut | None = Field(description="The row's total, if the table has row totals")


class CountTableOut(Schema):
    caption: str
    row_heading: str
    columns: list[str]
    rows: list[TableRowOut]
    column_totals: list[CountOut] | None = Field(description="If the table has column totals")
    grand_total: CountOut | None = Field(description="If it has both row and column totals")


class ReaderOut(Schema):
    suppressed: bool = Field(description="Whether small numbers are suppressed for you")
    threshold: int = Field(description="Counts from 1 to this minus one are small")
    agency_id: int | None = Field(
        description="The agency your figures are confined to (an agency lead's own), or null"
    )


class ReportProgrammeOut(Schema):
    id: int
    title: str
    audit_date: date
    status: ProgrammeStatus


class GradeOut(Schema):
    value: int
    label: str


class HeatCellOut(Schema):
    count: CountOut = Field(description="How many grades were given")
    mean: float | None = Field(description="Their mean, to one decimal place; null if hidden")
    modes: list[int] = Field(description="The most frequent grades; empty if hidden")


class HeatRowOut(Schema):
    report_key: str
    label: str
    cells: list[HeatCellOut] = Field(description="One per agency, in the agencies' order")
    all_agencies: HeatCellOut


class HeatMapOut(ReaderOut):
    programme_id: int
    grades: list[GradeOut] = Field(description="The grade scale, best first")
    agencies: list[AgencyOut]
    rows: list[HeatRowOut]


class NotApplicableOut(Schema):
    report_key: str
    count: int


class DistributionsOut(ReaderOut):
    programme_id: int
    completion: CountTableOut = Field(description="Returns by agency and status")
    grades: CountTableOut = Field(description="Grades given, by report key (all agencies)")
    not_applicable: list[NotApplicableOut] = Field(
        description="Items graded not applicable, by report key (empty when suppressed)"
    )
    key_questions: CountTableOut
    themes: CountTableOut = Field(description="Strengths and areas for improvement by theme")
    actions: CountTableOut = Field(description="Actions by owner agency and status")


class EqualityBreakdownOut(Schema):
    characteristic: Characteristic
    label: str
    cases: CountTableOut
    grades: CountTableOut
    findings: CountTableOut
    mean_grades: list[float | None] = Field(
        description="Each group's mean grade, to one decimal place; null if hidden or none"
    )


class EqualityOut(ReaderOut):
    report_key: str
    report_key_label: str
    breakdowns: list[EqualityBreakdownOut]


class ComparisonOut(Schema):
    compared: int
    same: int
    generous: int = Field(description="The agency's grade was better than the agreed one")
    harsh: int = Field(description="The agency's grade was worse than the agreed one")
    differing_percent: int | None
    mean_generosity: float | None = Field(
        description="Average points by which the agency's grade was better (+) or worse (-)"
    )
    direction: str


class KeyComparisonOut(Schema):
    report_key: str
    label: str
    comparison: ComparisonOut


class AgencyCalibrationOut(Schema):
    agency: AgencyOut
    total: ComparisonOut
    by_report_key: list[KeyComparisonOut]


class CalibrationOut(ReaderOut):
    agencies: list[AgencyCalibrationOut]
    by_report_key: list[KeyComparisonOut] = Field(description="Every agency together")


# What the reports take ------------------------------------------------------------------------


class ReportFilters(Schema):
    category: CaseCategory | None = None
    agency_id: Id | None = Field(
        None, description="One agency's returns (an agency lead always gets their own agency's)"
    )
    tool_key: Storable | None = Field(None, max_length=60, description="One audit tool's returns")


class DatedFilters(ReportFilters):
    date_from: date | None = Field(None, description="Programmes audited from this date")
    date_to: date | None = Field(None, description="Programmes audited up to this date")


class EqualityFilters(DatedFilters):
    programme_id: Id | None = Field(None, description="One programme (else every one you see)")
    characteristic: Characteristic | None = Field(None, description="Else every characteristic")
    report_key: Storable | None = Field(
        None, max_length=60, description="The grades to break down (default: overall)"
    )


# Helpers --------------------------------------------------------------------------------------


def _reader(user: User) -> dict[str, Any]:
    """Who is reading, as the report pages work it out; a problem for those who read none."""
    if not access.can_view_reports(user):
        raise ApiProblem("forbidden", "Your role does not give you the reports")
    return {
        "suppressed": access.reports_are_suppressed(user),
        "threshold": threshold(),
        "agency_id": access.report_agency_id(user),
    }


def _checked(form: BaseForm) -> BaseForm:
    """The filters checked as the report page checks them; a problem naming each one refused."""
    if not form.is_valid():
        found = [
            {"field": FORM_NAMES.get(name, name), "pointer": None, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        raise ApiProblem("validation-error", "Some filters are invalid", errors=found)
    return form


def _filter_values(filters: ReportFilters) -> dict[str, Any]:
    values = filters.model_dump(exclude_none=True)
    for form_name, name in FORM_NAMES.items():
        if name in values:
            values[form_name] = values.pop(name)
    return values


def _filter(filters: ReportFilters, reader: dict[str, Any], *, dates: bool) -> ReportFilter:
    form = ReportFilterForm(
        form_data(ReportFilterForm, _filter_values(filters)),
        dates=dates,
        agencies=reader["agency_id"] is None,
    )
    _checked(form)
    return form.report_filter(reader["agency_id"])


def _log(request: HttpRequest, reader: dict[str, Any], programme: Programme | None) -> None:
    # Whole, unsuppressed figures can describe a few children: their reading is logged.
    if not reader["suppressed"]:
        log_view(request, programme, "api view report")


def count_out(count: Count) -> dict[str, Any]:
    return {"value": count.shown_value, "state": count.state, "text": count.text}


def table_out(table: tables.CountTable) -> dict[str, Any]:
    """A count table with exactly the totals its page shows: a total it does not show was not
    protected by the suppression, so it must not be given either."""
    both = table.row_totals and table.column_totals
    return {
        "caption": table.caption,
        "row_heading": table.row_heading,
        "columns": table.columns,
        "rows": [
            {
                "label": label,
                "cells": [count_out(cell) for cell in cells],
                "total": count_out(total) if table.row_totals else None,
            }
            for label, cells, total in table.body()
        ],
        "column_totals": (
            [count_out(cell) for cell in table.table.column_totals] if table.column_totals else None
        ),
        "grand_total": count_out(table.table.grand_total) if both else None,
    }


def _one_decimal(value: float | None) -> float | None:
    # No more precise than the page: a mean with its count gives away the sum of the grades.
    return None if value is None else round(value, 1)


def _heat_cell(summary: GradeSummary, count: Count) -> dict[str, Any]:
    shown = not count.hidden and summary.count > 0
    return {
        "count": count_out(count),
        "mean": _one_decimal(summary.mean) if shown else None,
        "modes": list(summary.modes) if shown else [],
    }


# Endpoints ------------------------------------------------------------------------------------


@router.get("/reports/programmes", response={200: Page[ReportProgrammeOut], **errors()})
def list_report_programmes(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Programmes you may report on: every one for coordinators, those their agency has a
    return in for agency leads, and those that reached reporting for board viewers."""
    programmes = access.report_programmes(user_of(request)).order_by("-audit_date", "pk")
    return paginate(
        request,
        programmes,
        page,
        lambda p: {"id": p.pk, "title": p.title, "audit_date": p.audit_date, "status": p.status},
    )


@router.get("/reports/programmes/{programme_id}/heat-map", response={200: HeatMapOut, **errors()})
def get_heat_map(
    request: HttpRequest, programme_id: PathId, filters: Query[ReportFilters]
) -> dict[str, Any]:
    """The programme's grade heat map: for each report key and agency, how many grades, their
    mean and most frequent grade, and the same for all agencies together."""
    user = user_of(request)
    # Those who read no reports at all get 404 here, as for a programme they may not see.
    programme = access.get_report_programme(user, programme_id)
    reader = _reader(user)
    f = _filter(filters, reader, dates=False)
    programmes = access.report_programmes(user).filter(pk=programme.pk)
    heat = aggregates.heat_map(programmes, f)
    shown = tables.heat_table(heat, suppressed=reader["suppressed"])
    rows = []
    for (label, cells, overall), key in zip(shown.rows, heat.report_keys, strict=True):
        rows.append(
            {
                "report_key": key.key,
                "label": label,
                "cells": [
                    _heat_cell(heat.cell(key.key, agency.pk), cell.count)
                    for agency, cell in zip(heat.agencies, cells, strict=True)
                ],
                "all_agencies": _heat_cell(heat.overall[key.key], overall.count),
            }
        )
    _log(request, reader, programme)
    return {
        **reader,
        "programme_id": programme.pk,
        "grades": [{"value": value, "label": label} for value, label in heat.grades],
        "agencies": [agency_out(agency) for agency in heat.agencies],
        "rows": rows,
    }


@router.get(
    "/reports/programmes/{programme_id}/distributions",
    response={200: DistributionsOut, **errors()},
)
def get_distributions(
    request: HttpRequest, programme_id: PathId, filters: Query[ReportFilters]
) -> dict[str, Any]:
    """The programme dashboard's tables of counts: returns by status, grades by report key,
    answers to the key questions, findings by theme and actions by agency."""
    user = user_of(request)
    # Those who read no reports at all get 404 here, as for a programme they may not see.
    programme = access.get_report_programme(user, programme_id)
    reader = _reader(user)
    suppressed = reader["suppressed"]
    f = _filter(filters, reader, dates=False)
    programmes = access.report_programmes(user).filter(pk=programme.pk)
    heat = aggregates.heat_map(programmes, f)
    not_applicable = {} if suppressed else aggregates.not_applicable_counts(programmes, f)

    def shown(
        matrix: aggregates.Matrix,
        caption: str,
        row_heading: str,
        *,
        row_totals: bool = True,
        column_totals: bool = True,
    ) -> dict[str, Any]:
        return table_out(
            tables.count_table(
                matrix,
                caption=caption,
                row_heading=row_heading,
                suppressed=suppressed,
                row_totals=row_totals,
                column_totals=column_totals,
            )
        )

    _log(request, reader, programme)
    return {
        **reader,
        "programme_id": programme.pk,
        "completion": shown(
            aggregates.completion(programmes, f), "Returns by agency and status", "Agency"
        ),
        "grades": shown(
            aggregates.grade_distribution(heat),
            "Grades given, by report key (all agencies)",
            "Report key",
            column_totals=False,
        ),
        "not_applicable": [
            {"report_key": key, "count": count}
            for key, count in sorted(not_applicable.items(), key=lambda item: _order(item[0]))
        ],
        "key_questions": shown(
            aggregates.key_question_answers(programmes, f),
            "Key questions: agencies’ answers",
            "Question",
            column_totals=False,
        ),
        "themes": shown(
            aggregates.theme_counts(programmes, f),
            "Findings by theme",
            "Theme",
            column_totals=False,
        ),
        "actions": shown(
            aggregates.action_rates(programmes, f, timezone.localdate()),
            "Actions by owner agency",
            "Agency",
            row_totals=False,
        ),
    }


def _order(report_key: str) -> tuple[int, str]:
    keys = [rk.key for rk in REPORT_KEYS]
    return (keys.index(report_key), "") if report_key in keys else (len(keys), report_key)


@router.get("/reports/equality", response={200: EqualityOut, **errors()})
def get_equality(request: HttpRequest, filters: Query[EqualityFilters]) -> dict[str, Any]:
    """Cases, agencies' grades for one report key, and findings, by ethnicity, gender, age
    band, language, religion or category. For a board viewer, a group of fewer children than
    the threshold has every count of its row withheld."""
    user = user_of(request)
    reader = _reader(user)
    programmes = access.report_programmes(user)
    form = EqualityForm(
        form_data(EqualityForm, _filter_values(filters)),
        agencies=reader["agency_id"] is None,
        programmes=programmes,
    )
    _checked(form)
    f = form.report_filter(reader["agency_id"])
    data = form.cleaned_data
    programme_id = data.get("programme") or ""
    if programme_id.isdigit():
        programmes = programmes.filter(pk=int(programme_id))
    characteristics = (
        [data["characteristic"]] if data.get("characteristic") else list(aggregates.CHARACTERISTICS)
    )
    report_key = data.get("report_key") or "overall"
    label = REPORT_KEYS_BY_KEY[report_key].label
    breakdowns = []
    for characteristic in characteristics:
        shown = tables.equality_tables(
            aggregates.equality(programmes, f, characteristic, report_key),
            report_key_label=label,
            suppressed=reader["suppressed"],
        )
        breakdowns.append(
            {
                "characteristic": characteristic,
                "label": shown.label,
                "cases": table_out(shown.cases),
                "grades": table_out(shown.grades),
                "findings": table_out(shown.findings),
                "mean_grades": [None if mean == "—" else float(mean) for mean in shown.means],
            }
        )
    _log(request, reader, None)
    return {**reader, "report_key": report_key, "report_key_label": label, "breakdowns": breakdowns}


def _comparison(comparison: calibration.Comparison) -> dict[str, Any]:
    return {
        "compared": comparison.compared,
        "same": comparison.same,
        "generous": comparison.generous,
        "harsh": comparison.harsh,
        "differing_percent": comparison.differing_percent,
        "mean_generosity": comparison.mean_generosity,
        "direction": comparison.direction,
    }


def _by_key(comparisons: dict[str, calibration.Comparison]) -> list[dict[str, Any]]:
    return [
        {
            "report_key": key,
            "label": REPORT_KEYS_BY_KEY[key].label if key in REPORT_KEYS_BY_KEY else key,
            "comparison": _comparison(comparisons[key]),
        }
        for key in sorted(comparisons, key=_order)
    ]


@router.get("/reports/calibration", response={200: CalibrationOut, **errors()})
def get_calibration(request: HttpRequest, filters: Query[DatedFilters]) -> dict[str, Any]:
    """How often, and which way, each agency's grades differed from the grades the meeting
    agreed (coordinators, and agency leads for their own agency)."""
    user = user_of(request)
    reader = _reader(user)
    if not access.can_view_calibration(user):
        raise ApiProblem("forbidden", "Your role does not give you the calibration report")
    f = _filter(filters, reader, dates=True)
    entries = calibration.calibration(access.report_programmes(user), f)
    together: dict[str, calibration.Comparison] = {}
    for entry in entries:
        for key, comparison in entry.by_report_key.items():
            together.setdefault(key, calibration.Comparison()).add(comparison)
    _log(request, reader, None)
    return {
        **reader,
        "agencies": [
            {
                "agency": agency_out(entry.agency),
                "total": _comparison(entry.total),
                "by_report_key": _by_key(entry.by_report_key),
            }
            for entry in entries
        ],
        "by_report_key": _by_key(together),
    }
