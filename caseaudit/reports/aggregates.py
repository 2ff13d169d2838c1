"""The numbers behind every report, counted by the database.

Each function takes the programmes the reader may see (from `access.report_programmes`) and a
`ReportFilter`, and runs one or two GROUP BY queries: grades are a column of `Answer`, so the
heat map, the distributions and the trends are counts over (report key, agency, grade). Python
only folds the grouped rows — never one row per answer — into the tables the pages show.
Only submitted (or closed) returns count: a draft is not a judgement yet.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, GreaterThan

from caseaudit.accounts.models import Agency
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.report_keys import REPORT_KEYS, REPORT_KEYS_BY_KEY, ReportKey
from caseaudit.audit_tools.schema import AnswerType, Tool
from caseaudit.audits.models import Answer, CaseCategory, Programme, Return, ReturnStatus
from caseaudit.audits.models import Case as AuditCase
from caseaudit.meetings.models import Action, ActionStatus, ExternalAudit, Finding, Theme

SUBMITTED = (ReturnStatus.SUBMITTED, ReturnStatus.CLOSED)
NOT_RECORDED = "Not recorded"
NO_THEME = "Not coded to a theme"
CHOICES = (("yes", "Yes"), ("no", "No"), ("not_known", "Not known"))
DEFAULT_GRADES = ((1, "Outstanding"), (2, "Good"), (3, "Adequate"), (4, "Inadequate"))

# Age at the audit date, in bands that follow school phases: under 5 (early years), 5 to 9
# (primary), 10 to 15 (secondary), 16 and over (post-16 and care leavers).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0–4", 0, 4),
    ("5–9", 5, 9),
    ("10–15", 10, 15),
    ("16+", 16, None),
)

CHARACTERISTICS: dict[str, str] = {
    "ethnicity": "Ethnicity",
    "gender": "Gender",
    "age_band": "Age band",
    "language": "Language",
    "religion": "Religion",
    "category": "Category",
}


@dataclass(frozen=True)
class ReportFilter:
    """What the reader narrowed the report to. `agency_id` is also how an agency lead's slice
    is enforced: the view sets it to the lead's own agency whatever was asked."""

    date_from: date | None = None
    date_to: date | None = None
    category: str = ""
    agency_id: int | None = None
    tool_key: str = ""

    def programmes(self, programmes: QuerySet[Programme]) -> QuerySet[Programme]:
        if self.date_from:
            programmes = programmes.filter(audit_date__gte=self.date_from)
        if self.date_to:
            programmes = programmes.filter(audit_date__lte=self.date_to)
        return programmes


@cache
def parsed_tool(pk: int, content_hash: str) -> Tool:
    # Keyed by the content's hash too, so a changed draft is parsed again.
    return ToolVersion.objects.get(pk=pk).tool


def tools(versions: QuerySet[ToolVersion]) -> list[Tool]:
    """The tool documents of some versions, each parsed once per process."""
    return [parsed_tool(pk, digest) for pk, digest in versions.values_list("pk", "content_hash")]


def grade_scale() -> list[tuple[int, str]]:
    """The partnership's grade scale (the shipped full tool's), best first."""
    found = tools(
        ToolVersion.objects.published()
        .filter(tool_key="children_in_need_full")
        .order_by("-version")[:1]
    )
    if not found:
        return list(DEFAULT_GRADES)
    return [(grade.value, grade.label) for grade in found[0].grade_scale.grades]


# Querysets in scope ---------------------------------------------------------------------------


def returns_in(programmes: QuerySet[Programme], f: ReportFilter) -> QuerySet[Return]:
    returns = Return.objects.filter(case__programme__in=f.programmes(programmes))
    if f.category:
        returns = returns.filter(case__category=f.category)
    if f.agency_id:
        returns = returns.filter(agency_id=f.agency_id)
    if f.tool_key:
        returns = returns.filter(tool_version__tool_key=f.tool_key)
    return returns


def answers_in(programmes: QuerySet[Programme], f: ReportFilter) -> QuerySet[Answer]:
    """Answers of submitted returns in scope."""
    return Answer.objects.filter(
        ret__in=returns_in(programmes, f).filter(status__in=SUBMITTED).values("pk")
    )


def graded_answers(programmes: QuerySet[Programme], f: ReportFilter) -> QuerySet[Answer]:
    return (
        answers_in(programmes, f)
        .filter(grade__isnull=False, not_applicable=False)
        .exclude(report_key="")
    )


def cases_in(programmes: QuerySet[Programme], f: ReportFilter) -> QuerySet[AuditCase]:
    cases = AuditCase.objects.filter(programme__in=f.programmes(programmes))
    if f.category:
        cases = cases.filter(category=f.category)
    if f.agency_id or f.tool_key:
        cases = cases.filter(pk__in=returns_in(programmes, f).values("case"))
    return cases


def findings_in(programmes: QuerySet[Programme], f: ReportFilter) -> QuerySet[Finding]:
    findings = Finding.objects.filter(programme__in=f.programmes(programmes))
    if f.category:
        findings = findings.filter(case__category=f.category)
    if f.agency_id:
        findings = findings.filter(agencies=f.agency_id)
    return findings


def actions_in(programmes: QuerySet[Programme], f: ReportFilter) -> QuerySet[Action]:
    actions = Action.objects.filter(programme__in=f.programmes(programmes))
    if f.category:
        actions = actions.filter(case__category=f.category)
    if f.agency_id:
        actions = actions.filter(owner_agency_id=f.agency_id)
    return actions


# A table of counts ------------------------------------------------------------------------


@dataclass
class Matrix:
    """Counts by row and column, ready to be suppressed and shown with totals."""

    rows: list[str]
    columns: list[str]
    values: list[list[int]]
    row_keys: list[Any] = field(default_factory=list)
    column_keys: list[Any] = field(default_factory=list)

    def value(self, row_key: Any, column_key: Any) -> int:
        return self.values[self.row_keys.index(row_key)][self.column_keys.index(column_key)]


def _matrix(
    counts: dict[tuple[Any, Any], int],
    rows: Sequence[tuple[Any, str]],
    columns: Sequence[tuple[Any, str]],
) -> Matrix:
    return Matrix(
        rows=[label for _, label in rows],
        columns=[label for _, label in columns],
        values=[[counts.get((r, c), 0) for c, _ in columns] for r, _ in rows],
        row_keys=[key for key, _ in rows],
        column_keys=[key for key, _ in columns],
    )


def _agencies(ids: Iterable[int]) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=set(ids)).order_by("name"))


# Programme dashboard --------------------------------------------------------------------------


def completion(programmes: QuerySet[Programme], f: ReportFilter) -> Matrix:
    """Returns by agency and status."""
    counts = {
        (row["agency"], row["status"]): row["n"]
        for row in returns_in(programmes, f).values("agency", "status").annotate(n=Count("pk"))
    }
    agencies = _agencies(agency for agency, _ in counts)
    return _matrix(
        counts, [(a.pk, a.name) for a in agencies], [(s.value, s.label) for s in ReturnStatus]
    )


@dataclass(frozen=True)
class GradeSummary:
    """Grades given for one report key (by one agency, or all): count, mean and mode."""

    distribution: tuple[tuple[int, int], ...]  # (grade, how many), grades in scale order

    @property
    def count(self) -> int:
        return sum(n for _, n in self.distribution)

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return sum(grade * n for grade, n in self.distribution) / self.count

    @property
    def modes(self) -> tuple[int, ...]:
        """The most frequent grades (more than one when tied), best first."""
        top = max((n for _, n in self.distribution), default=0)
        return tuple(grade for grade, n in self.distribution if n == top and n > 0)

    @property
    def rounded_mean(self) -> int | None:
        """The grade nearest the mean, for the cell's colour."""
        mean = self.mean
        return None if mean is None else int(mean + 0.5)

    def mean_text(self) -> str:
        return "—" if self.mean is None else f"{self.mean:.1f}"

    def mode_text(self) -> str:
        return " and ".join(str(grade) for grade in self.modes) or "—"


def _summary(by_grade: dict[int, int], grades: Sequence[int]) -> GradeSummary:
    extra = sorted(set(by_grade) - set(grades))
    return GradeSummary(tuple((g, by_grade.get(g, 0)) for g in [*grades, *extra]))


@dataclass
class HeatMap:
    """Rows: report keys in the partnership's order; columns: agencies; and all agencies."""

    report_keys: list[ReportKey]
    agencies: list[Agency]
    cells: dict[tuple[str, int], GradeSummary]
    overall: dict[str, GradeSummary]
    grades: list[tuple[int, str]]

    def cell(self, report_key: str, agency_id: int) -> GradeSummary:
        return self.cells.get((report_key, agency_id), GradeSummary(()))

    def count_matrix(self) -> Matrix:
        """Counts of grades by report key and agency, for suppression."""
        return Matrix(
            rows=[rk.label for rk in self.report_keys],
            columns=[a.name for a in self.agencies],
            values=[
                [self.cell(rk.key, a.pk).count for a in self.agencies] for rk in self.report_keys
            ],
            row_keys=[rk.key for rk in self.report_keys],
            column_keys=[a.pk for a in self.agencies],
        )


def heat_map(programmes: QuerySet[Programme], f: ReportFilter) -> HeatMap:
    """One GROUP BY (report key, agency, grade); mean, mode and count come from its rows."""
    rows = (
        graded_answers(programmes, f)
        .values("report_key", "ret__agency", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_cell: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)
    by_key: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        grade = int(row["grade"] or 0)  # never null: graded answers only
        by_cell[(row["report_key"], row["ret__agency"])][grade] = row["n"]
        by_key[row["report_key"]][grade] += row["n"]
    scale = grade_scale()
    values = [g for g, _ in scale]
    keys = [rk for rk in REPORT_KEYS if rk.key in by_key]
    keys += [
        ReportKey(key, key, REPORT_KEYS[0].kind)
        for key in sorted(by_key)
        if key not in REPORT_KEYS_BY_KEY
    ]
    return HeatMap(
        report_keys=keys,
        agencies=_agencies(agency for _, agency in by_cell),
        cells={cell: _summary(counts, values) for cell, counts in by_cell.items()},
        overall={key: _summary(dict(counts), values) for key, counts in by_key.items()},
        grades=scale,
    )


def grade_distribution(heat: HeatMap) -> Matrix:
    """Grades given per report key (all agencies): rows report keys, columns grades."""
    return Matrix(
        rows=[rk.label for rk in heat.report_keys],
        columns=[f"{value} {label}" for value, label in heat.grades],
        values=[
            [dict(heat.overall[rk.key].distribution).get(value, 0) for value, _ in heat.grades]
            for rk in heat.report_keys
        ],
        row_keys=[rk.key for rk in heat.report_keys],
        column_keys=[value for value, _ in heat.grades],
    )


def not_applicable_counts(programmes: QuerySet[Programme], f: ReportFilter) -> dict[str, int]:
    rows = (
        answers_in(programmes, f)
        .filter(not_applicable=True)
        .exclude(report_key="")
        .values("report_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["report_key"]: row["n"] for row in rows}


def key_question_answers(programmes: QuerySet[Programme], f: ReportFilter) -> Matrix:
    """Yes / no / not known answers to each yes-or-no key question of the tools in use."""
    versions = ToolVersion.objects.filter(
        pk__in=returns_in(programmes, f).values("tool_version")
    ).order_by("tool_key", "-version")
    questions: dict[str, str] = {}
    for tool in tools(versions):
        for question in tool.key_questions.items:
            if question.answer == AnswerType.YES_NO_NOT_KNOWN:
                questions.setdefault(question.id, question.text)
    counts = {
        (row["item_key"], row["choice"]): row["n"]
        for row in answers_in(programmes, f)
        .filter(item_key__in=questions)
        .exclude(choice="")
        .values("item_key", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return _matrix(counts, list(questions.items()), CHOICES)


@dataclass
class ThemeFindings:
    theme: str
    theme_id: int | None
    strengths: list[Finding] = field(default_factory=list)
    improvements: list[Finding] = field(default_factory=list)


def findings_by_theme(
    programmes: QuerySet[Programme], f: ReportFilter, visible: QuerySet[Finding] | None = None
) -> list[ThemeFindings]:
    """Every finding (of those `visible` to the reader) under each theme it is coded to; a
    finding may sit under several."""
    findings = findings_in(programmes, f)
    if visible is not None:
        findings = findings.filter(pk__in=visible.values("pk"))
    findings = (
        findings.select_related("case", "programme")
        .prefetch_related("themes", "agencies")
        .distinct()
    )
    groups: dict[int | None, ThemeFindings] = {}
    for finding in findings:
        themes: list[Theme | None] = [*finding.themes.all()] or [None]
        for theme in themes:
            key = theme.pk if theme else None
            group = groups.setdefault(key, ThemeFindings(theme.name if theme else NO_THEME, key))
            if finding.kind == "strength":
                group.strengths.append(finding)
            else:
                group.improvements.append(finding)
    return sorted(groups.values(), key=lambda g: (g.theme_id is None, g.theme.lower()))


def theme_counts(programmes: QuerySet[Programme], f: ReportFilter) -> Matrix:
    """Strengths and areas for improvement by theme: counts only, for the board."""
    through = Finding.themes.through.objects.filter(
        finding__in=findings_in(programmes, f).values("pk")
    )
    counts: dict[tuple[Any, Any], int] = {
        (row["theme"], row["finding__kind"]): row["n"]
        for row in through.values("theme", "finding__kind")
        .annotate(n=Count("finding", distinct=True))
        .order_by()
    }
    uncoded = (
        findings_in(programmes, f)
        .filter(themes__isnull=True)
        .values("kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in uncoded:
        counts[(None, row["kind"])] = row["n"]
    themes = list(Theme.objects.filter(pk__in={t for t, _ in counts if t}).order_by("name"))
    rows: list[tuple[Any, str]] = [(t.pk, t.name) for t in themes]
    if any(t is None for t, _ in counts):
        rows.append((None, NO_THEME))
    return _matrix(
        counts, rows, [("strength", "Strengths"), ("improvement", "Areas for improvement")]
    )


ACTION_COLUMNS = (
    ("done", "Done"),
    ("in_progress", "In progress"),
    ("open", "Open"),
    ("overdue", "Overdue"),
)


def action_rates(programmes: QuerySet[Programme], f: ReportFilter, today: date) -> Matrix:
    """Actions by owner agency: done, in progress, open, and how many of those are overdue."""
    not_done = ~Q(status=ActionStatus.DONE)
    rows = (
        actions_in(programmes, f)
        .values("owner_agency")
        .annotate(
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            in_progress=Count("pk", filter=Q(status=ActionStatus.IN_PROGRESS)),
            open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
            overdue=Count("pk", filter=not_done & Q(due_date__lt=today)),
        )
        .order_by()
    )
    counts: dict[tuple[Any, Any], int] = {}
    for row in rows:
        for column in ("done", "in_progress", "open", "overdue"):
            counts[(row["owner_agency"], column)] = row[column]
    agencies = _agencies(agency for agency, _ in counts)
    return _matrix(
        counts,
        [(a.pk, a.name) for a in agencies],
        [
            ("done", "Done"),
            ("in_progress", "In progress"),
            ("open", "Open"),
            ("overdue", "Overdue"),
        ],
    )


def completion_rate(matrix: Matrix, row: int) -> int | None:
    """Per cent of an agency's actions that are done (overdue is a subset of the others)."""
    done, in_progress, open_ = matrix.values[row][:3]
    total = done + in_progress + open_
    return None if total == 0 else round(100 * done / total)


def open_actions(
    programmes: QuerySet[Programme], f: ReportFilter, visible: QuerySet[Action] | None = None
) -> QuerySet[Action]:
    actions = actions_in(programmes, f)
    if visible is not None:
        actions = actions.filter(pk__in=visible.values("pk"))
    return (
        actions.exclude(status=ActionStatus.DONE)
        .select_related("owner_agency", "programme")
        .order_by("due_date", "pk")
    )


# Across programmes ----------------------------------------------------------------------------


def _programme_columns(programmes: QuerySet[Programme], ids: Iterable[int]) -> list[Programme]:
    return list(programmes.filter(pk__in=set(ids)).order_by("audit_date", "pk"))


def theme_frequency(programmes: QuerySet[Programme], f: ReportFilter) -> Matrix:
    """Findings coded to each theme, programme by programme (oldest first)."""
    through = Finding.themes.through.objects.filter(
        finding__in=findings_in(programmes, f).values("pk")
    )
    counts = {
        (row["theme"], row["finding__programme"]): row["n"]
        for row in through.values("theme", "finding__programme")
        .annotate(n=Count("finding", distinct=True))
        .order_by()
    }
    themes = Theme.objects.filter(pk__in={t for t, _ in counts}).order_by("name")
    columns = _programme_columns(programmes, (p for _, p in counts))
    return _matrix(
        counts,
        [(t.pk, t.name) for t in themes],
        [(p.pk, f"{p.title} ({p.audit_date:%b %Y})") for p in columns],
    )


@dataclass
class Trend:
    """Mean grade (and how many grades) by row and programme, oldest programme first."""

    rows: list[tuple[Any, str]]
    programmes: list[Programme]
    cells: dict[tuple[Any, int], GradeSummary]

    def cell(self, row_key: Any, programme_id: int) -> GradeSummary:
        return self.cells.get((row_key, programme_id), GradeSummary(()))

    def count_matrix(self) -> Matrix:
        return Matrix(
            rows=[label for _, label in self.rows],
            columns=[p.title for p in self.programmes],
            values=[[self.cell(k, p.pk).count for p in self.programmes] for k, _ in self.rows],
            row_keys=[k for k, _ in self.rows],
            column_keys=[p.pk for p in self.programmes],
        )


def grade_trends(
    programmes: QuerySet[Programme], f: ReportFilter, report_key: str = ""
) -> tuple[Trend, Trend]:
    """The mean grade by report key, and by agency (over every graded item, or one report
    key), programme by programme. Both fold the same (report key, agency, programme, grade)
    counts, so the graded answers are read once: at scale that read is the page's cost."""
    rows = (
        graded_answers(programmes, f)
        .values("report_key", "ret__agency", "ret__case__programme", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_key: dict[tuple[Any, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[tuple[Any, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        programme, grade, n = row["ret__case__programme"], row["grade"] or 0, row["n"]
        by_key[(row["report_key"], programme)][grade] += n
        if not report_key or row["report_key"] == report_key:
            by_agency[(row["ret__agency"], programme)][grade] += n
    values = [g for g, _ in grade_scale()]
    columns = _programme_columns(programmes, (p for _, p in by_key))
    key_cells = {cell: _summary(dict(counts), values) for cell, counts in by_key.items()}
    keys = {k for k, _ in by_key}
    agency_cells = {cell: _summary(dict(counts), values) for cell, counts in by_agency.items()}
    agency_programmes = {p for _, p in by_agency}
    return (
        Trend([(rk.key, rk.label) for rk in REPORT_KEYS if rk.key in keys], columns, key_cells),
        Trend(
            [(a.pk, a.name) for a in _agencies(a for a, _ in by_agency)],
            [p for p in columns if p.pk in agency_programmes],
            agency_cells,
        ),
    )


def grade_trend_by_report_key(programmes: QuerySet[Programme], f: ReportFilter) -> Trend:
    return grade_trends(programmes, f)[0]


def grade_trend_by_agency(
    programmes: QuerySet[Programme], f: ReportFilter, report_key: str = ""
) -> Trend:
    """Mean of an agency's grades, for one report key or (blank) every graded item."""
    return grade_trends(programmes, f, report_key)[1]


@dataclass(frozen=True)
class RecurringTheme:
    theme: Theme
    programme_count: int
    external_count: int

    @property
    def audits(self) -> int:
        return self.programme_count + self.external_count


def recurring_themes(
    programmes: QuerySet[Programme], f: ReportFilter, *, minimum: int = 2
) -> list[RecurringTheme]:
    """Themes found in at least two audits: programmes in scope and audits held outside the
    system (within the date range)."""
    findings = findings_in(programmes, f).values("pk")
    external = ExternalAudit.objects.all()
    if f.date_from:
        external = external.filter(held_on__gte=f.date_from)
    if f.date_to:
        external = external.filter(held_on__lte=f.date_to)
    themes = (
        Theme.objects.filter(merged_into__isnull=True)
        .annotate(
            programme_count=Count(
                "findings__programme", filter=Q(findings__in=findings), distinct=True
            ),
            external_count=Count(
                "external_audits",
                filter=Q(external_audits__in=external.values("pk")),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    found = [
        RecurringTheme(theme, theme.programme_count, theme.external_count)  # type: ignore[attr-defined]
        for theme in themes
    ]
    return sorted(
        (t for t in found if t.audits >= minimum), key=lambda t: (-t.audits, t.theme.name)
    )


# Equality -------------------------------------------------------------------------------------


def age_at_audit(prefix: str = "") -> Coalesce:
    """The child's age in whole years at the programme's audit date, computed by the database
    from the date of birth (or the recorded age when there is none)."""
    born = F(f"{prefix}date_of_birth")
    audit = F(f"{prefix}programme__audit_date")
    birthday_to_come = GreaterThan(ExtractMonth(born), ExtractMonth(audit)) | (
        Exact(ExtractMonth(born), ExtractMonth(audit))
        & GreaterThan(ExtractDay(born), ExtractDay(audit))
    )
    years = (
        ExtractYear(audit)
        - ExtractYear(born)
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0))
    )
    return Coalesce(years, F(f"{prefix}age"), output_field=IntegerField())


def group_expression(characteristic: str, prefix: str = "") -> Any:
    """The group a case falls in for one characteristic, as a database expression."""
    if characteristic == "age_band":
        age = age_at_audit(prefix)
        whens = [
            When(GreaterThan(Value(low), age), then=Value(previous))
            for (previous, _, _), (_, low, _) in pairwise(AGE_BANDS)
        ]
        return Case(
            When(
                Q(**{f"{prefix}date_of_birth__isnull": True, f"{prefix}age__isnull": True}),
                then=Value(NOT_RECORDED),
            ),
            *whens,
            default=Value(AGE_BANDS[-1][0]),
        )
    if characteristic not in CHARACTERISTICS:
        raise ValueError(f"unknown characteristic {characteristic!r}")
    return Case(
        When(Q(**{f"{prefix}{characteristic}": ""}), then=Value(NOT_RECORDED)),
        default=F(f"{prefix}{characteristic}"),
    )


def _group_label(characteristic: str, value: str) -> str:
    if characteristic == "category" and value in CaseCategory.values:
        return str(CaseCategory(value).label)
    return value


def _group_order(characteristic: str, groups: Iterable[str]) -> list[str]:
    groups = set(groups)
    if characteristic == "age_band":
        order = [band for band, _, _ in AGE_BANDS] + [NOT_RECORDED]
    elif characteristic == "category":
        order = [*CaseCategory.values, NOT_RECORDED]
    else:
        order = [*sorted(g for g in groups if g != NOT_RECORDED), NOT_RECORDED]
    return [g for g in order if g in groups]


@dataclass
class EqualityBreakdown:
    characteristic: str
    label: str
    groups: list[str]
    cases: list[int]
    grades: Matrix
    findings: Matrix

    def small_groups(self, limit: int) -> list[int]:
        """Rows of groups with fewer children than the threshold (their every count is
        withheld for the board)."""
        return [i for i, n in enumerate(self.cases) if 0 < n < limit]


def equality(
    programmes: QuerySet[Programme],
    f: ReportFilter,
    characteristic: str,
    report_key: str = "overall",
) -> EqualityBreakdown:
    """Cases, agencies' grades for one report key and findings, by one characteristic."""
    case_rows = (
        cases_in(programmes, f)
        .annotate(group=group_expression(characteristic))
        .values("group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cases = {row["group"]: row["n"] for row in case_rows}
    grade_rows = (
        graded_answers(programmes, f)
        .filter(report_key=report_key)
        .annotate(group=group_expression(characteristic, "ret__case__"))
        .values("group", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grades = {(row["group"], row["grade"]): row["n"] for row in grade_rows}
    finding_rows = (
        findings_in(programmes, f)
        .filter(case__isnull=False)
        .annotate(group=group_expression(characteristic, "case__"))
        .values("group", "kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    findings = {(row["group"], row["kind"]): row["n"] for row in finding_rows}
    order = _group_order(
        characteristic, [*cases, *(g for g, _ in grades), *(g for g, _ in findings)]
    )
    rows = [(g, _group_label(characteristic, g)) for g in order]
    return EqualityBreakdown(
        characteristic=characteristic,
        label=CHARACTERISTICS[characteristic],
        groups=[label for _, label in rows],
        cases=[cases.get(g, 0) for g in order],
        grades=_matrix(grades, rows, [(v, f"{v} {label}") for v, label in grade_scale()]),
        findings=_matrix(
            findings, rows, [("strength", "Strengths"), ("improvement", "Areas for improvement")]
        ),
    )


# Learning summary facts ------------------------------------------------------------------------


@dataclass
class ProgrammeFacts:
    cases: int
    youngest: int | None
    oldest: int | None
    agencies: list[str]
    tools: list[str]


def programme_facts(programme: Programme) -> ProgrammeFacts:
    """How many cases and their age range, the agencies that completed returns, the tools."""
    ages = (
        AuditCase.objects.filter(programme=programme)
        .annotate(age_now=age_at_audit())
        .values_list("age_now", flat=True)
    )
    known = [age for age in ages if age is not None]
    returns = Return.objects.filter(case__programme=programme)
    agencies = Agency.objects.filter(pk__in=returns.values("agency")).order_by("name")
    tools = ToolVersion.objects.filter(pk__in=returns.values("tool_version")).order_by("title")
    return ProgrammeFacts(
        cases=len(ages),
        youngest=min(known) if known else None,
        oldest=max(known) if known else None,
        agencies=[a.name for a in agencies],
        tools=sorted({t.title for t in tools}),
    )
