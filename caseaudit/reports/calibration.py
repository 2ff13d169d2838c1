"""Moderation and calibration: how each agency's own grades compare with the grades the
meeting agreed, report key by report key.

An agency's grade *better* than the agreed one is "too generous", *worse* is "too harsh". On
the default scale lower is better (1 Outstanding … 4 Inadequate), so a grade of 2 where the
meeting agreed 3 is generous; a tool whose scale says higher is better is read the other way.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from caseaudit.accounts.models import Agency
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.report_keys import REPORT_KEYS, REPORT_KEYS_BY_KEY
from caseaudit.audits.models import Programme
from caseaudit.meetings.models import AgreedGrade
from caseaudit.reports.aggregates import ReportFilter, graded_answers, parsed_tool


@dataclass
class Comparison:
    """How often one agency's grades met, beat or fell short of the agreed ones."""

    compared: int = 0
    same: int = 0
    generous: int = 0
    harsh: int = 0
    # Sum of (agreed - own) on a lower-is-better scale: positive means generous on average.
    generosity: int = 0

    def add(self, other: "Comparison") -> None:
        self.compared += other.compared
        self.same += other.same
        self.generous += other.generous
        self.harsh += other.harsh
        self.generosity += other.generosity

    @property
    def differing_percent(self) -> int | None:
        if not self.compared:
            return None
        return round(100 * (self.generous + self.harsh) / self.compared)

    @property
    def mean_generosity(self) -> float | None:
        """Average points by which the agency's grade was better (+) or worse (-)."""
        return None if not self.compared else self.generosity / self.compared

    @property
    def direction(self) -> str:
        if not self.compared or self.generous == self.harsh:
            return "Balanced" if self.compared else "—"
        return "Too generous" if self.generous > self.harsh else "Too harsh"


@dataclass
class AgencyCalibration:
    agency: Agency
    total: Comparison = field(default_factory=Comparison)
    by_report_key: dict[str, Comparison] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, Comparison]]:
        known = [
            (rk.label, self.by_report_key[rk.key])
            for rk in REPORT_KEYS
            if rk.key in self.by_report_key
        ]
        others = [
            (key, comparison)
            for key, comparison in sorted(self.by_report_key.items())
            if key not in REPORT_KEYS_BY_KEY
        ]
        return known + others


def calibration(programmes: QuerySet[Programme], f: ReportFilter) -> list[AgencyCalibration]:
    """One GROUP BY (agency, report key, tool version) over the agencies' grades that have an
    agreed grade for the same case and report key."""
    agreed = AgreedGrade.objects.filter(
        case=OuterRef("ret__case"),
        report_key=OuterRef("report_key"),
        grade__isnull=False,
        not_applicable=False,
    ).values("grade")[:1]
    grouped = (
        graded_answers(programmes, f)
        .annotate(agreed=Subquery(agreed))
        .filter(agreed__isnull=False)
        .values("ret__agency", "report_key", "ret__tool_version")
        .annotate(
            compared=Count("pk"),
            lower=Count("pk", filter=Q(grade__lt=F("agreed"))),
            higher=Count("pk", filter=Q(grade__gt=F("agreed"))),
            difference=Sum(F("agreed") - F("grade")),
        )
        .order_by()
    )
    rows = list(grouped)
    versions = ToolVersion.objects.filter(pk__in={r["ret__tool_version"] for r in rows})
    lower_is_better = {
        pk: parsed_tool(pk, digest).grade_scale.lower_is_better
        for pk, digest in versions.values_list("pk", "content_hash")
    }
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={r["ret__agency"] for r in rows})}
    result: dict[int, AgencyCalibration] = {}
    for row in rows:
        better_is_lower = lower_is_better[row["ret__tool_version"]]
        sign = 1 if better_is_lower else -1
        comparison = Comparison(
            compared=row["compared"],
            same=row["compared"] - row["lower"] - row["higher"],
            generous=row["lower"] if better_is_lower else row["higher"],
            harsh=row["higher"] if better_is_lower else row["lower"],
            generosity=sign * (row["difference"] or 0),
        )
        entry = result.setdefault(
            row["ret__agency"], AgencyCalibration(agencies[row["ret__agency"]])
        )
        entry.total.add(comparison)
        entry.by_report_key.setdefault(row["report_key"], Comparison()).add(comparison)
    return sorted(result.values(), key=lambda entry: entry.agency.name)


def by_report_key(entries: list[AgencyCalibration]) -> list[tuple[str, Comparison]]:
    """Every agency together, report key by report key."""
    totals: dict[str, Comparison] = defaultdict(Comparison)
    for entry in entries:
        for key, comparison in entry.by_report_key.items():
            totals[key].add(comparison)
    return [(rk.label, totals[rk.key]) for rk in REPORT_KEYS if rk.key in totals]
