"""Findings through the API: recorded and changed as on the case page, with the finding form's
checks, and locked once the programme closes."""

import pytest

from caseaudit.activity.models import AccessEvent, Change
from caseaudit.audits.models import Programme, ProgrammeStatus
from caseaudit.meetings.models import Finding, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def errors_of(response) -> dict[str, str]:
    """Each pointer's messages, one line each."""
    found: dict[str, str] = {}
    for error in response.json()["errors"]:
        found[error["pointer"]] = "\n".join(
            filter(None, (found.get(error["pointer"]), error["message"]))
        )
    return found


def test_coordinator_records_a_finding(coordinator_api, meeting_world, coordinator, health) -> None:
    response = coordinator_api.post(
        meeting_world.path("cases/{case}/findings"),
        {
            "kind": "strength",
            "text": "The plan was clear.",
            "report_keys": ["planning"],
            "agency_ids": [health.pk],
            "theme_ids": [meeting_world.theme.pk],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["case_id"] == meeting_world.case.pk
    assert [theme["name"] for theme in created["themes"]] == ["Timely assessments"]
    assert [agency["name"] for agency in created["agencies"]] == ["Health"]
    finding = Finding.objects.get(pk=created["id"])
    assert finding.created_by == coordinator
    assert Change.objects.filter(object_id=finding.pk, field="finding").exists()


def test_a_new_theme_by_name_reuses_the_register_s_own(coordinator_api, meeting_world) -> None:
    themes = Theme.objects.count()
    response = coordinator_api.post(
        meeting_world.path("cases/{case}/findings"),
        {"kind": "strength", "text": "Seen quickly.", "new_theme": "timely ASSESSMENTS"},
    )
    assert response.status_code == 201, response.content
    assert [theme["id"] for theme in response.json()["themes"]] == [meeting_world.theme.pk]
    assert Theme.objects.count() == themes

    response = coordinator_api.post(
        meeting_world.path("cases/{case}/findings"),
        {"kind": "strength", "text": "The child was heard.", "new_theme": "Voice of the child"},
    )
    assert response.status_code == 201
    assert Theme.objects.filter(name="Voice of the child").exists()


def test_finding_form_checks_apply(coordinator_api, meeting_world, police) -> None:
    merged = Theme.objects.create(name="Old theme", merged_into=meeting_world.theme)
    response = coordinator_api.post(
        meeting_world.path("cases/{case}/findings"),
        {"kind": "strength", "text": " ", "agency_ids": [police.pk], "theme_ids": [merged.pk]},
    )
    assert response.status_code == 422
    errors = errors_of(response)
    assert errors["/text"] == "Enter the finding"
    # Police took no part in the case; a merged theme is no longer offered.
    assert "is not one of the available choices" in errors["/agency_ids"]
    assert "is not one of the available choices" in errors["/theme_ids"]
    assert Finding.objects.count() == 1


def test_a_finding_needs_a_theme(coordinator_api, meeting_world) -> None:
    response = coordinator_api.post(
        meeting_world.path("cases/{case}/findings"), {"kind": "strength", "text": "Good."}
    )
    assert response.status_code == 422
    assert errors_of(response) == {"/theme_ids": "Select at least one theme, or add a new one"}


def test_changing_a_finding_keeps_what_is_not_sent(coordinator_api, meeting_world) -> None:
    response = coordinator_api.patch(
        meeting_world.path("findings/{finding}"), {"theme_ids": [meeting_world.other_theme.pk]}
    )
    assert response.status_code == 200, response.content
    finding = meeting_world.finding
    finding.refresh_from_db()
    assert finding.text == "The assessment took too long."
    assert finding.report_keys == ["assessment"]
    assert [agency.name for agency in finding.agencies.all()] == ["Health"]
    assert [theme.name for theme in finding.themes.all()] == ["Sharing information"]


def test_findings_of_a_closed_programme_are_locked(coordinator_api, meeting_world) -> None:
    Programme.objects.filter(pk=meeting_world.programme.pk).update(status=ProgrammeStatus.CLOSED)
    change = coordinator_api.patch(meeting_world.path("findings/{finding}"), {"text": "Later."})
    add = coordinator_api.post(
        meeting_world.path("cases/{case}/findings"),
        {"kind": "strength", "text": "Late.", "theme_ids": [meeting_world.theme.pk]},
    )
    assert change.status_code == add.status_code == 409
    assert change.json()["type"] == "urn:caseaudit:problem:conflict"


def test_findings_are_filtered_and_their_reading_logged(
    api_for, meeting_world, coordinator, health_lead
) -> None:
    api = api_for(coordinator)
    for query, count in (
        ("", 1),
        (f"?theme_id={meeting_world.theme.pk}", 1),
        (f"?theme_id={meeting_world.other_theme.pk}", 0),
        ("?kind=strength", 0),
        (f"?case_id={meeting_world.other_case.pk}", 0),
        (f"?programme_id={meeting_world.programme.pk}", 1),
    ):
        assert api.get(f"findings{query}").json()["count"] == count, query
    body = api_for(health_lead).get("findings").json()
    assert body["items"][0]["text"] == "The assessment took too long."
    assert AccessEvent.objects.filter(user=health_lead, action="api list findings").exists()
