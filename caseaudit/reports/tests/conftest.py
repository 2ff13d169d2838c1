"""A reporting world: two programmes with graded returns, findings, themes and actions, and
case initials and identifiers distinctive enough to search every page and file for."""

from datetime import date

import pytest

from caseaudit.audits.models import CaseCategory, ProgrammeStatus, ReturnStatus
from caseaudit.audits.tests.factories import make_family_member, make_programme
from caseaudit.meetings.models import Theme
from caseaudit.reports.tests.builders import (
    action,
    agreed,
    cases,
    finding,
    graded_return,
)

# Initials and identifiers that cannot occur by chance in a page or a file.
CASE_WORDS = ("QX", "ZV", "KW", "904518", "904519", "904520", "XJ")


@pytest.fixture
def world(childrens_social_care, health, youth_offending, police):
    spring = make_programme(
        title="Neglect audit, spring 2026",
        audit_date=date(2026, 3, 2),
        meeting_date=date(2026, 4, 24),
        status=ProgrammeStatus.REPORTING,
        focus="How well agencies recognise and respond to neglect.",
    )
    autumn = make_programme(
        title="Children in need audit, autumn 2026",
        audit_date=date(2026, 10, 5),
        status=ProgrammeStatus.AUDITING,
    )
    first, second, third = cases(
        spring,
        {
            "case_identifier": "904518",
            "initials": "QX",
            "date_of_birth": date(2023, 5, 1),
            "ethnicity": "White British",
            "gender": "Female",
            "language": "English",
        },
        {
            "case_identifier": "904519",
            "initials": "ZV",
            "date_of_birth": date(2008, 1, 9),
            "ethnicity": "Pakistani",
            "gender": "Male",
            "category": CaseCategory.CARE_LEAVER,
            "language": "Urdu",
            "religion": "Muslim",
        },
        {
            "case_identifier": "904520",
            "initials": "KW",
            "date_of_birth": date(2015, 7, 7),
            "ethnicity": "White British",
            "gender": "Female",
        },
    )
    make_family_member(first, initials="XJ", relationship="mother", age=22)
    csc, hlth, yos = childrens_social_care, health, youth_offending
    graded_return(
        first,
        csc,
        {"planning": 2, "overall": 2, "assessment": 1},
        choices={"child_safe": "yes"},
        texts={"recommendations": '=HYPERLINK("x")'},
    )
    graded_return(first, hlth, {"planning": 3, "overall": 3}, choices={"child_safe": "yes"})
    graded_return(second, csc, {"planning": 2, "overall": 1}, choices={"child_safe": "no"})
    graded_return(second, yos, {"planning": 4, "overall": 4}, tool=None)
    graded_return(third, csc, {"planning": 1, "overall": 2})
    graded_return(third, hlth, {"planning": 2}, status=ReturnStatus.IN_PROGRESS)
    agreed(first, "planning", 2)
    agreed(first, "overall", 2)
    agreed(second, "overall", 2)
    timely = Theme.objects.create(name="Timely assessments")
    sharing = Theme.objects.create(name="Sharing information about risk")
    finding(spring, first, "strength", "QX was assessed within ten days.", [timely], [csc])
    finding(
        spring,
        second,
        "improvement",
        "Risk to ZV was not shared with health.",
        [sharing],
        [csc, yos],
    )
    late = action(
        spring,
        hlth,
        date(2026, 5, 1),
        "open",
        description="Health to share risk information with QX's school.",
    )
    action(spring, csc, date(2030, 1, 1), "done", description="Refresh the neglect toolkit.")
    (later,) = cases(autumn, {"case_identifier": "904521", "initials": "QX"})
    graded_return(later, csc, {"planning": 1})
    return {
        "spring": spring,
        "autumn": autumn,
        "cases": (first, second, third),
        "themes": (timely, sharing),
        "late_action": late,
    }
