"""The report numbers on known data: heat map, distributions, completion, key questions,
themes, actions, trends across programmes and the equality breakdown."""

from datetime import date

import pytest

from caseaudit.audits.models import CaseCategory, Programme, ReturnStatus
from caseaudit.audits.tests.factories import make_programme, short_tool
from caseaudit.meetings.models import ExternalAudit, Theme
from caseaudit.reports import aggregates
from caseaudit.reports.aggregates import ReportFilter
from caseaudit.reports.tests.builders import NA, action, cases, finding, graded_return

pytestmark = pytest.mark.django_db
ALL = ReportFilter()


@pytest.fixture
def world(childrens_social_care, health, youth_offending):
    """Spring: three cases. CSC grades planning 1, 2, 2 and overall 2, 2; Health planning 3, 3
    and overall 3 and not applicable; Health's third return is a draft (never counted)."""
    spring = make_programme(title="Spring", audit_date=date(2026, 3, 2))
    first, second, third = cases(
        spring,
        {"date_of_birth": date(2022, 1, 10), "ethnicity": "White British", "gender": "Female"},
        {
            "date_of_birth": date(2016, 3, 3),
            "ethnicity": "Pakistani",
            "gender": "Male",
            "category": CaseCategory.CHILD_PROTECTION,
        },
        {"date_of_birth": None, "age": 16, "ethnicity": "", "gender": "Female"},
    )
    csc, hlth, yos = childrens_social_care, health, youth_offending
    graded_return(
        first,
        csc,
        {"planning": 1, "overall": 2},
        choices={"child_safe": "yes", "actions_taken": "no"},
    )
    graded_return(
        first,
        hlth,
        {"planning": 3, "overall": 3},
        choices={"child_safe": "yes", "actions_taken": "yes"},
    )
    graded_return(second, csc, {"planning": 2, "overall": 2}, choices={"child_safe": "not_known"})
    graded_return(second, hlth, {"planning": 3, "overall": NA}, tool=short_tool())
    graded_return(third, csc, {"planning": 2})
    graded_return(third, hlth, {"planning": 1}, status=ReturnStatus.IN_PROGRESS)
    graded_return(third, yos, {}, status=ReturnStatus.NOT_STARTED)
    return {
        "spring": spring,
        "cases": (first, second, third),
        "csc": csc,
        "health": hlth,
        "yos": yos,
    }


def everything() -> "object":
    return Programme.objects.all()


def test_heat_map_has_mean_mode_and_count_per_report_key_and_agency(world) -> None:
    heat = aggregates.heat_map(everything(), ALL)
    assert [rk.key for rk in heat.report_keys] == ["planning", "overall"]
    assert [a.name for a in heat.agencies] == ["Children’s Social Care", "Health"]
    csc, health = world["csc"].pk, world["health"].pk
    planning_csc = heat.cell("planning", csc)
    assert planning_csc.count == 3
    assert planning_csc.mean == pytest.approx(5 / 3)
    assert planning_csc.modes == (2,)
    assert planning_csc.mean_text() == "1.7"
    assert heat.cell("planning", health).count == 2  # the draft's 1 is not counted
    assert heat.cell("planning", health).mean == 3
    assert heat.cell("overall", health).count == 1  # not applicable is not a grade
    assert heat.cell("overall", csc).distribution == ((1, 0), (2, 2), (3, 0), (4, 0))
    everyone = heat.overall["planning"]
    assert everyone.count == 5 and everyone.mean == pytest.approx(11 / 5)
    assert everyone.modes == (2, 3) and everyone.mode_text() == "2 and 3"
    assert heat.count_matrix().values == [[3, 2], [2, 1]]


def test_grade_distribution_per_report_key(world) -> None:
    heat = aggregates.heat_map(everything(), ALL)
    matrix = aggregates.grade_distribution(heat)
    assert matrix.columns == ["1 Outstanding", "2 Good", "3 Adequate", "4 Inadequate"]
    assert matrix.rows == ["Planning", "Overall: own agency's work"]
    assert matrix.values == [[1, 2, 2, 0], [0, 2, 1, 0]]
    assert aggregates.not_applicable_counts(everything(), ALL) == {"overall": 1}


def test_filters_narrow_every_count(world) -> None:
    by_agency = aggregates.heat_map(everything(), ReportFilter(agency_id=world["health"].pk))
    assert [a.name for a in by_agency.agencies] == ["Health"]
    by_category = aggregates.heat_map(
        everything(), ReportFilter(category=CaseCategory.CHILD_PROTECTION)
    )
    assert by_category.overall["planning"].count == 2
    by_tool = aggregates.heat_map(everything(), ReportFilter(tool_key="focused_support_short"))
    assert by_tool.overall["planning"].count == 1
    later = aggregates.heat_map(everything(), ReportFilter(date_from=date(2026, 4, 1)))
    assert later.report_keys == []


def test_completion_by_agency_and_status(world) -> None:
    matrix = aggregates.completion(everything(), ALL)
    assert matrix.rows == ["Children’s Social Care", "Health", "Youth Offending Service"]
    assert matrix.value(world["csc"].pk, "submitted") == 3
    assert matrix.value(world["health"].pk, "submitted") == 2
    assert matrix.value(world["health"].pk, "in_progress") == 1
    assert matrix.value(world["yos"].pk, "not_started") == 1
    assert sum(map(sum, matrix.values)) == 7


def test_key_question_answers(world) -> None:
    matrix = aggregates.key_question_answers(everything(), ALL)
    assert matrix.rows == [
        "Is the child currently safe?",
        "Have all actions been taken by agencies to make them safe?",
    ]
    assert matrix.columns == ["Yes", "No", "Not known"]
    assert matrix.values == [[2, 0, 1], [1, 1, 0]]


def test_findings_and_theme_counts(world) -> None:
    spring, (first, second, _) = world["spring"], world["cases"]
    timely = Theme.objects.create(name="Timely assessments")
    sharing = Theme.objects.create(name="Sharing information about risk")
    finding(spring, first, "strength", "Assessed in ten days.", [timely])
    finding(spring, second, "strength", "Assessed in a week.", [timely])
    finding(spring, second, "improvement", "Risk not shared.", [sharing, timely])
    finding(spring, None, "improvement", "Minutes late.")
    groups = aggregates.findings_by_theme(everything(), ALL)
    assert [(g.theme, len(g.strengths), len(g.improvements)) for g in groups] == [
        ("Sharing information about risk", 0, 1),
        ("Timely assessments", 2, 1),
        ("Not coded to a theme", 0, 1),
    ]
    counts = aggregates.theme_counts(everything(), ALL)
    assert counts.rows == [
        "Sharing information about risk",
        "Timely assessments",
        "Not coded to a theme",
    ]
    assert counts.values == [[0, 1], [2, 1], [0, 1]]


def test_actions_by_agency_with_overdue_and_completion_rate(world) -> None:
    spring, csc, health = world["spring"], world["csc"], world["health"]
    today = date(2026, 6, 1)
    action(spring, csc, date(2026, 5, 1), "done")
    action(spring, csc, date(2026, 5, 1), "open")  # overdue
    action(spring, csc, date(2026, 7, 1), "in_progress")
    action(spring, health, date(2026, 5, 31), "in_progress")  # overdue
    matrix = aggregates.action_rates(everything(), ALL, today)
    assert matrix.rows == ["Children’s Social Care", "Health"]
    assert matrix.columns == ["Done", "In progress", "Open", "Overdue"]
    assert matrix.values == [[1, 1, 1, 1], [0, 1, 0, 1]]
    assert aggregates.completion_rate(matrix, 0) == 33
    assert aggregates.completion_rate(matrix, 1) == 0
    assert aggregates.open_actions(everything(), ALL).count() == 3


def test_trends_and_recurring_themes_across_programmes(world) -> None:
    csc, health = world["csc"], world["health"]
    autumn = make_programme(title="Autumn", audit_date=date(2026, 10, 5))
    (later,) = cases(autumn, {"case_identifier": "600001"})
    graded_return(later, csc, {"planning": 1, "overall": 1})
    graded_return(later, health, {"planning": 2})
    neglect = Theme.objects.create(name="Neglect toolkit embedded")
    joint = Theme.objects.create(name="Joint planning")
    once = Theme.objects.create(name="Good recording")
    finding(world["spring"], world["cases"][0], "improvement", "Toolkit unused.", [neglect])
    finding(autumn, later, "improvement", "Toolkit unused again.", [neglect, once])
    finding(autumn, later, "improvement", "Plans made apart.", [joint])
    external = ExternalAudit.objects.create(
        title="Neglect single-agency audit", held_on=date(2025, 11, 1), source="single_agency"
    )
    external.themes.add(joint)

    by_key = aggregates.grade_trend_by_report_key(everything(), ALL)
    assert [p.title for p in by_key.programmes] == ["Spring", "Autumn"]
    assert by_key.rows == [("planning", "Planning"), ("overall", "Overall: own agency's work")]
    spring, autumn_id = world["spring"].pk, autumn.pk
    assert by_key.cell("planning", spring).mean == pytest.approx(11 / 5)
    assert by_key.cell("planning", autumn_id).mean == pytest.approx(1.5)
    assert by_key.cell("overall", autumn_id).count == 1

    by_agency = aggregates.grade_trend_by_agency(everything(), ALL)
    assert by_agency.cell(csc.pk, spring).mean == pytest.approx(9 / 5)  # 1,2,2 + 2,2
    assert by_agency.cell(health.pk, spring).mean == pytest.approx(3)
    assert by_agency.cell(csc.pk, autumn_id).mean == 1
    planning_only = aggregates.grade_trend_by_agency(everything(), ALL, "planning")
    assert planning_only.cell(csc.pk, spring).count == 3

    frequency = aggregates.theme_frequency(everything(), ALL)
    assert frequency.rows == ["Good recording", "Joint planning", "Neglect toolkit embedded"]
    assert frequency.values == [[0, 1], [0, 1], [1, 1]]

    recurring = aggregates.recurring_themes(everything(), ALL)
    assert [(t.theme.name, t.programme_count, t.external_count) for t in recurring] == [
        ("Joint planning", 1, 1),
        ("Neglect toolkit embedded", 2, 0),
    ]
    # Only audits within the date range count.
    since_2026 = aggregates.recurring_themes(everything(), ReportFilter(date_from=date(2026, 1, 1)))
    assert [t.theme.name for t in since_2026] == ["Neglect toolkit embedded"]


def test_age_at_audit_and_age_bands_are_computed_by_the_database(world) -> None:
    # Born 10 Jan 2022 → 4 at 2 Mar 2026; born 3 Mar 2016 → 9 (birthday the day after);
    # age recorded as 16.
    breakdown = aggregates.equality(everything(), ALL, "age_band")
    assert breakdown.groups == ["0–4", "5–9", "16+"]
    assert breakdown.cases == [1, 1, 1]
    facts = aggregates.programme_facts(world["spring"])
    assert (facts.cases, facts.youngest, facts.oldest) == (3, 4, 16)
    assert facts.agencies == ["Children’s Social Care", "Health", "Youth Offending Service"]
    assert facts.tools == ["Children in Need — full", "Focused support — short"]


def test_equality_breakdown_counts_cases_grades_and_findings_by_group(world) -> None:
    spring, (first, _, third) = world["spring"], world["cases"]
    finding(spring, first, "strength", "Good plan.")
    finding(spring, third, "improvement", "Late review.")
    finding(spring, third, "improvement", "No oversight.")
    by_ethnicity = aggregates.equality(everything(), ALL, "ethnicity", "overall")
    assert by_ethnicity.groups == ["Pakistani", "White British", "Not recorded"]
    assert by_ethnicity.cases == [1, 1, 1]
    # Overall grades: White British case 2 (CSC) and 3 (Health); Pakistani 2 (CSC).
    assert by_ethnicity.grades.values == [[0, 1, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0]]
    assert by_ethnicity.findings.values == [[0, 0], [1, 0], [0, 2]]
    by_category = aggregates.equality(everything(), ALL, "category", "planning")
    assert by_category.groups == ["Child in need", "Child protection"]
    assert by_category.cases == [2, 1]
    assert by_category.grades.values == [[1, 1, 1, 0], [0, 1, 1, 0]]
    by_gender = aggregates.equality(everything(), ALL, "gender")
    assert by_gender.groups == ["Female", "Male"] and by_gender.cases == [2, 1]
    assert by_gender.small_groups(5) == [0, 1]
