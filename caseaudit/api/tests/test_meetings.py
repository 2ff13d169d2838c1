"""Meeting records and the consolidated case view through the API: what the minutes and the
case page show, to those the pages show it to."""

import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.models import ReturnStatus
from caseaudit.audits.tests.factories import make_programme, make_return

pytestmark = pytest.mark.django_db


def test_meeting_record_has_attendees_decisions_and_each_opened_case(
    api_for, meeting_world, coordinator
) -> None:
    response = api_for(coordinator).get(meeting_world.path("programmes/{programme}/meeting"))
    assert response.status_code == 200, response.content
    meeting = response.json()
    assert meeting["held_on"] == "2026-04-24"
    assert meeting["decisions"] == "Share risk sooner."
    assert [(a["name"], a["agency"]["name"], a["role"]) for a in meeting["attendees"]] == [
        ("Dr A Patel", "Health", "Named nurse")
    ]
    # Only the case opened for the meeting is in its record.
    (case,) = meeting["cases"]
    assert (case["id"], case["case_identifier"], case["initials"]) == (
        meeting_world.case.pk,
        "904518",
        "QX",
    )
    assert case["discussion"] == {
        "notes": "Agencies disagreed on planning.",
        "decisions": "Review plan.",
    }
    assert case["agreed_grades"] == [
        {"report_key": "overall", "grade": 2, "not_applicable": False, "reason": "Agreed"}
    ]
    assert AccessEvent.objects.filter(
        user=coordinator, action="api view", object_id=meeting_world.meeting.pk
    ).exists()


def test_lead_of_an_agency_that_did_not_attend_gets_404(api_for, meeting_world) -> None:
    # Children's Social Care took part in the case but sent nobody to the meeting.
    response = api_for(meeting_world.csc_lead).get(
        meeting_world.path("programmes/{programme}/meeting")
    )
    assert response.status_code == 404


def test_meeting_not_recorded_yet_answers_404(api_for, coordinator) -> None:
    programme = make_programme()
    response = api_for(coordinator).get(f"programmes/{programme.pk}/meeting")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_consolidated_view_lines_up_grades_by_report_key_and_agency(
    api_for, meeting_world, coordinator
) -> None:
    response = api_for(coordinator).get(meeting_world.path("cases/{case}/consolidated"))
    assert response.status_code == 200, response.content
    view = response.json()
    agencies = [column["agency"]["name"] for column in view["columns"]]
    assert agencies == ["Children’s Social Care", "Health"]
    rows = {row["report_key"]: row for row in view["rows"]}
    assert [cell["grade"] for cell in rows["planning"]["cells"]] == [1, 3]
    assert rows["planning"]["label"] == "Planning"
    assert rows["planning"]["cells"][1]["label"] == "Adequate"
    # Planning is two grades apart: the agenda flags it.
    assert {"kind": "grade_gap", "report_key": "planning"}.items() <= view["flags"][0].items()
    assert view["agreed_grades"][0]["grade"] == 2
    assert view["discussion"]["decisions"] == "Review plan."
    assert AccessEvent.objects.filter(
        user=coordinator, action="api view consolidated", object_id=meeting_world.case.pk
    ).exists()


def test_consolidated_view_holds_only_submitted_returns(
    api_for, meeting_world, health_auditor, police
) -> None:
    make_return(meeting_world.case, police, status=ReturnStatus.IN_PROGRESS)
    response = api_for(health_auditor).get(meeting_world.path("cases/{case}/consolidated"))
    assert response.status_code == 200
    assert "Police" not in {column["agency"]["name"] for column in response.json()["columns"]}
    assert len(response.json()["columns"]) == 2
