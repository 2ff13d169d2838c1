"""The consolidated view's matrix and the agenda flags, on known data."""

from datetime import date

import pytest

from caseaudit.audits.models import Answer
from caseaudit.audits.tests.factories import make_case, make_programme
from caseaudit.meetings.consolidation import consolidate
from caseaudit.meetings.tests.builders import submitted_return
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return make_case(make_programme(audit_date=date(2026, 3, 2), review_threshold_months=6))


def run(case, returns):
    return consolidate(case, returns, Answer.objects.filter(ret__in=returns))


def flags_of(consolidated, kind):
    return [flag.message for flag in consolidated.flags if flag.kind == kind]


def test_grades_two_points_apart_are_flagged_and_one_point_is_not(
    case, health, health_auditor, childrens_social_care, youth_offending
) -> None:
    csc = submitted_return(
        case,
        childrens_social_care,
        make_user("c@x.org", childrens_social_care, is_auditor=True),
        grade=1,
    )
    health_return = submitted_return(case, health, health_auditor, grade=2)
    consolidated = run(case, [csc, health_return])
    assert flags_of(consolidated, "grade_gap") == []

    yos = submitted_return(
        case, youth_offending, make_user("y@x.org", youth_offending, is_auditor=True), grade=3
    )
    consolidated = run(case, [csc, health_return, yos])
    gaps = flags_of(consolidated, "grade_gap")
    assert (
        "Assessment: grades 2 points apart (Children’s Social Care 1 Outstanding, Health 2 Good, Youth Offending Service 3 Adequate)"
        in gaps
    )
    flagged = {flag.report_key for flag in consolidated.flags if flag.kind == "grade_gap"}
    # Only children's social care answers the referral questions: one grade, nothing to compare.
    assert flagged == {report_key.key for report_key, _ in consolidated.rows} - {
        "response_to_referral"
    }


def test_the_matrix_lines_agencies_up_by_report_key(
    case, health, health_auditor, childrens_social_care
) -> None:
    csc = submitted_return(
        case,
        childrens_social_care,
        make_user("c@x.org", childrens_social_care, is_auditor=True),
        grade=1,
    )
    health_return = submitted_return(case, health, health_auditor, grade=4)
    consolidated = run(case, [health_return, csc])
    assert [column.agency.name for column in consolidated.columns] == [
        "Children’s Social Care",
        "Health",
    ]
    rows = {
        report_key.key: [cell.text if cell else None for cell in cells]
        for report_key, cells in consolidated.rows
    }
    assert rows["planning"] == ["1 Outstanding", "4 Inadequate"]
    # Health is neither the referrer nor children's social care: no response-to-referral grade.
    assert rows["response_to_referral"] == ["1 Outstanding", None]
    assert rows["overall_partnership"] == ["1 Outstanding", "4 Inadequate"]


def test_different_answers_on_safety_and_unsafe_answers_are_flagged(
    case, health, health_auditor, childrens_social_care
) -> None:
    csc = submitted_return(
        case,
        childrens_social_care,
        make_user("c@x.org", childrens_social_care, is_auditor=True),
        child_safe="yes",
    )
    health_return = submitted_return(
        case, health, health_auditor, child_safe="not_known", actions_taken="no"
    )
    consolidated = run(case, [csc, health_return])
    assert flags_of(consolidated, "safety_disagreement") == [
        "Agencies answer “Is the child currently safe?” differently "
        "(Children’s Social Care: Yes, Health: Not known)"
    ]
    assert flags_of(consolidated, "safety_concern") == [
        "Health answers “Is the child currently safe?”: Not known",
        "Health answers “Have all actions been taken by agencies to make them safe?”: No",
    ]


def test_a_review_older_than_the_threshold_is_flagged(
    case, health, health_auditor, childrens_social_care
) -> None:
    csc = submitted_return(
        case,
        childrens_social_care,
        make_user("c@x.org", childrens_social_care, is_auditor=True),
        last_reviewed=date(2025, 9, 2),
    )
    health_return = submitted_return(case, health, health_auditor, last_reviewed=date(2025, 9, 1))
    consolidated = run(case, [csc, health_return])
    assert flags_of(consolidated, "review_overdue") == [
        "Health: case last reviewed 1 September 2025, more than 6 months before the audit date"
    ]
