"""The action tracker through the API: filtered as on the tracker page, overdue derived, and
progress recorded only by coordinators and the lead of the agency that owns the action."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits.models import Programme, ProgrammeStatus
from caseaudit.meetings.models import ActionStatus, ActionUpdate

pytestmark = pytest.mark.django_db

PROGRESS = {"status": "in_progress", "note": "Training booked for May."}


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def descriptions(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [action["description"] for action in response.json()["items"]]


def test_actions_are_filtered_as_on_the_tracker(
    coordinator_api, meeting_world, health, childrens_social_care
) -> None:
    late = "Health to see the child within ten days."
    later = "Refresh the assessment guidance."
    assert descriptions(coordinator_api.get("actions")) == [late, later]
    for query, expected in (
        (f"agency_id={health.pk}", [late]),
        (f"agency_id={childrens_social_care.pk}", [later]),
        ("status=overdue", [late]),
        ("status=open", [late, later]),
        ("status=done", []),
        (f"theme_id={meeting_world.theme.pk}", [late]),
        (f"programme_id={meeting_world.programme.pk}", [late, later]),
        (f"programme_id={meeting_world.programme.pk + 1}", []),
    ):
        assert descriptions(coordinator_api.get(f"actions?{query}")) == expected, query


def test_overdue_is_derived_from_the_status_and_due_date(coordinator_api, meeting_world) -> None:
    action = coordinator_api.get(meeting_world.path("actions/{health_action}")).json()
    assert (action["status"], action["overdue"]) == ("open", True)
    done = coordinator_api.post(
        meeting_world.path("actions/{health_action}/progress"),
        {"status": "done", "note": "Seen.", "completion_evidence": "Visit record of 3 May"},
    )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["overdue"]) == ("done", False)


def test_only_the_owner_agency_s_lead_records_progress(api_for, meeting_world, health_lead) -> None:
    csc_lead = api_for(meeting_world.csc_lead)
    own = csc_lead.post(meeting_world.path("actions/{csc_action}/progress"), PROGRESS)
    assert own.status_code == 200, own.content
    assert (
        csc_lead.post(meeting_world.path("actions/{health_action}/progress"), PROGRESS).status_code
        == 404
    )
    health = api_for(health_lead)
    assert (
        health.post(meeting_world.path("actions/{csc_action}/progress"), PROGRESS).status_code
        == 404
    )
    (update,) = ActionUpdate.objects.all()
    assert (update.action, update.by, update.status) == (
        meeting_world.csc_action,
        meeting_world.csc_lead,
        ActionStatus.IN_PROGRESS,
    )
    assert Change.objects.filter(object_id=meeting_world.csc_action.pk, field="progress").exists()


def test_done_needs_its_evidence(coordinator_api, meeting_world) -> None:
    response = coordinator_api.post(
        meeting_world.path("actions/{health_action}/progress"), {"status": "done", "note": "Done"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "completion_evidence",
            "pointer": "/completion_evidence",
            "message": "Give the evidence that the action is done",
        }
    ]
    assert not ActionUpdate.objects.exists()


def test_progress_is_recorded_after_the_programme_closes(
    api_for, meeting_world, health_lead
) -> None:
    Programme.objects.filter(pk=meeting_world.programme.pk).update(status=ProgrammeStatus.CLOSED)
    api = api_for(health_lead)
    first = api.post(meeting_world.path("actions/{health_action}/progress"), PROGRESS)
    assert first.status_code == 200
    api.post(
        meeting_world.path("actions/{health_action}/progress"),
        {"status": "open", "note": "Trainer unwell: moved to June."},
    )
    updates = api.get(meeting_world.path("actions/{health_action}/updates")).json()
    assert updates["count"] == 2
    assert [update["note"] for update in updates["items"]] == [
        "Trainer unwell: moved to June.",
        "Training booked for May.",
    ]
    assert updates["items"][0]["by"]["full_name"] == health_lead.full_name
