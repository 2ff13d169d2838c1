"""Programmes through the API: created, changed and moved on as on the planning pages."""

import pytest

from caseaudit.audits.models import Programme, ProgrammeStatus
from caseaudit.audits.tests.factories import full_tool, make_case, make_programme, make_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def body(*agencies, **fields):
    return {
        "title": "Neglect audit",
        "audit_date": "2026-06-01",
        "return_deadline": "2026-07-01",
        "agency_ids": [agency.pk for agency in agencies],
        **fields,
    }


def test_coordinator_creates_a_programme_in_planning(coordinator_api, coordinator, health):
    response = coordinator_api.post("programmes", body(health, focus="Neglect"))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "planning"
    assert created["window_months_before_audit"] == 18
    assert [agency["name"] for agency in created["agencies"]] == ["Health"]
    assert Programme.objects.get(pk=created["id"]).created_by == coordinator


def test_invalid_programme_is_refused_field_by_field(coordinator_api, business_unit) -> None:
    response = coordinator_api.post(
        "programmes", body(business_unit, title=" ", return_deadline="2026-05-01")
    )
    assert response.status_code == 422
    errors = {error["pointer"]: error["message"] for error in response.json()["errors"]}
    assert errors == {
        "/title": "Enter a title for the programme",
        "/return_deadline": "The return deadline must be the same as or after the audit date",
        "/agency_ids": (
            f"Select a valid choice. {business_unit.pk} is not one of the available choices."
        ),
    }
    assert not Programme.objects.exists()


def test_changing_a_programme_keeps_what_is_not_sent(coordinator_api, health) -> None:
    programme = make_programme(focus="Information sharing")
    programme.agencies.set([health])
    response = coordinator_api.patch(f"programmes/{programme.pk}", {"title": "Renamed"})
    assert response.status_code == 200, response.content
    programme.refresh_from_db()
    assert (programme.title, programme.focus) == ("Renamed", "Information sharing")


def test_agency_with_assignments_cannot_leave(coordinator_api, health, police) -> None:
    programme = make_programme()
    programme.agencies.set([health, police])
    make_return(make_case(programme), health)
    response = coordinator_api.patch(f"programmes/{programme.pk}", {"agency_ids": [police.pk]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/agency_ids"


def test_closed_programme_cannot_change(coordinator_api) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    response = coordinator_api.patch(f"programmes/{programme.pk}", {"title": "Renamed"})
    assert response.status_code == 409


def test_status_moves_one_step_at_a_time(coordinator_api, health) -> None:
    programme = make_programme(status=ProgrammeStatus.PLANNING)
    response = coordinator_api.post(f"programmes/{programme.pk}/status", {"status": "auditing"})
    assert response.status_code == 409
    assert "Assign at least one agency" in response.json()["detail"]
    programme.agencies.set([health])
    make_return(make_case(programme), health)
    response = coordinator_api.post(f"programmes/{programme.pk}/status", {"status": "auditing"})
    assert response.json()["status"] == "auditing"
    response = coordinator_api.post(f"programmes/{programme.pk}/status", {"status": "closed"})
    assert response.status_code == 409


def test_programmes_are_filtered_by_status(coordinator_api) -> None:
    make_programme(status=ProgrammeStatus.PLANNING)
    make_programme(status=ProgrammeStatus.AUDITING)
    assert coordinator_api.get("programmes?status=planning").json()["count"] == 1


def test_assigning_an_agency_creates_its_return(coordinator_api, health, health_auditor):
    programme = make_programme()
    programme.agencies.set([health])
    case = make_case(programme)
    response = coordinator_api.post(
        f"cases/{case.pk}/assignments",
        {
            "agency_id": health.pk,
            "tool_version_id": full_tool().pk,
            "auditor_id": health_auditor.pk,
        },
    )
    assert response.status_code == 201, response.content
    assigned = response.json()
    assert assigned["status"] == "not_started"
    assert assigned["auditor"]["full_name"] == health_auditor.full_name
    again = coordinator_api.post(
        f"cases/{case.pk}/assignments", {"agency_id": health.pk, "tool_version_id": full_tool().pk}
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["pointer"] == "/agency_id"


def test_auditor_must_work_in_the_agency(coordinator_api, health, police, outsider) -> None:
    programme = make_programme()
    programme.agencies.set([health, police])
    case = make_case(programme)
    response = coordinator_api.post(
        f"cases/{case.pk}/assignments",
        {"agency_id": health.pk, "tool_version_id": full_tool().pk, "auditor_id": outsider.pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/auditor_id"


def test_started_assignment_cannot_be_removed(coordinator_api, health) -> None:
    ret = make_return(make_case(make_programme()), health, status="in_progress")
    response = coordinator_api.delete(f"assignments/{ret.pk}")
    assert response.status_code == 409
    ret.refresh_from_db()


def test_assignment_shows_its_progress(api_for, health_auditor, health) -> None:
    ret = make_return(make_case(make_programme()), health, health_auditor)
    body = api_for(health_auditor).get(f"assignments/{ret.pk}").json()
    assert body["progress"]["completed"] == 0
    assert body["progress"]["total"] > 0
    assert body["version"] == 1
