"""The calibration report's numbers on known data (lower grades are better)."""

from datetime import date

import pytest

from caseaudit.audits.models import Programme, ReturnStatus
from caseaudit.audits.tests.factories import make_programme
from caseaudit.reports.aggregates import ReportFilter
from caseaudit.reports.calibration import by_report_key, calibration
from caseaudit.reports.tests.builders import agreed, cases, graded_return

pytestmark = pytest.mark.django_db


def test_agencies_grades_are_compared_with_the_agreed_ones(childrens_social_care, health) -> None:
    programme = make_programme(audit_date=date(2026, 3, 2))
    first, second, third = cases(programme, {}, {}, {})
    csc, hlth = childrens_social_care, health
    # Case 1: agreed planning 2, overall 3.
    graded_return(first, csc, {"planning": 1, "overall": 3})  # planning generous, overall same
    graded_return(first, hlth, {"planning": 3, "overall": 4})  # both harsh
    agreed(first, "planning", 2)
    agreed(first, "overall", 3)
    # Case 2: agreed planning 2; assessment agreed not applicable (never compared).
    graded_return(second, csc, {"planning": 2, "assessment": 2})  # same
    graded_return(second, hlth, {"planning": 4})  # harsh by 2
    agreed(second, "planning", 2)
    agreed(second, "assessment", None, not_applicable=True)
    # Case 3: no agreed grades; a draft with a grade that would differ.
    graded_return(third, csc, {"planning": 4})
    graded_return(third, hlth, {"planning": 1}, status=ReturnStatus.IN_PROGRESS)
    agreed(third, "review", 1)

    entries = calibration(Programme.objects.all(), ReportFilter())
    assert [e.agency.name for e in entries] == ["Children’s Social Care", "Health"]
    csc_entry, health_entry = entries

    assert (csc_entry.total.compared, csc_entry.total.same) == (3, 2)
    assert (csc_entry.total.generous, csc_entry.total.harsh) == (1, 0)
    assert csc_entry.total.direction == "Too generous"
    assert csc_entry.total.mean_generosity == pytest.approx(1 / 3)
    assert csc_entry.total.differing_percent == 33
    planning = csc_entry.by_report_key["planning"]
    assert (planning.compared, planning.generous, planning.same) == (2, 1, 1)
    assert "assessment" not in csc_entry.by_report_key

    assert (health_entry.total.compared, health_entry.total.harsh) == (3, 3)
    assert health_entry.total.generous == 0
    assert health_entry.total.direction == "Too harsh"
    assert health_entry.total.mean_generosity == pytest.approx(-4 / 3)  # -1, -1, -2
    assert [label for label, _ in health_entry.rows()] == [
        "Planning",
        "Overall: own agency's work",
    ]

    together = dict(by_report_key(entries))
    assert together["Planning"].compared == 4
    assert (together["Planning"].generous, together["Planning"].harsh) == (1, 2)
    assert together["Overall: own agency's work"].compared == 2
