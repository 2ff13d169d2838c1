"""Changing a programme's status: one step forward, or from auditing back to planning."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits import planning
from caseaudit.audits.models import ProgrammeStatus, ReturnStatus
from caseaudit.audits.tests.factories import (
    make_case,
    make_planning_programme,
    make_programme,
    make_return,
)
from caseaudit.audits.tests.html import error_summary

pytestmark = pytest.mark.django_db

STEPS = [
    (ProgrammeStatus.PLANNING, [ProgrammeStatus.AUDITING]),
    (ProgrammeStatus.AUDITING, [ProgrammeStatus.MEETING, ProgrammeStatus.PLANNING]),
    (ProgrammeStatus.MEETING, [ProgrammeStatus.REPORTING]),
    (ProgrammeStatus.REPORTING, [ProgrammeStatus.CLOSED]),
    (ProgrammeStatus.CLOSED, []),
]


def url(programme) -> str:
    return f"/programmes/{programme.pk}/status/"


def test_anonymous_is_sent_to_sign_in(client) -> None:
    assert client.get(url(make_programme()))["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("persona", ["health_auditor", "health_lead", "board_viewer", "outsider"])
def test_other_roles_get_404(request, client_for, health, persona) -> None:
    programme = make_programme()
    make_return(make_case(programme), health)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(programme)).status_code == 404
    assert client.post(url(programme), {"status": "meeting"}).status_code == 404
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.AUDITING


@pytest.mark.parametrize(("status", "allowed"), STEPS)
def test_only_the_next_step_and_back_to_planning_are_offered(
    client_for, coordinator, status, allowed
) -> None:
    programme = make_programme(status=status)
    assert planning.next_statuses(programme) == tuple(allowed)
    if status == ProgrammeStatus.CLOSED:
        return
    html = client_for(coordinator).get(url(programme)).content.decode()
    for choice in ProgrammeStatus:
        assert (f'value="{choice.value}"' in html) is (choice in allowed)


def test_coordinator_starts_auditing_once_an_agency_is_assigned(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    html = client.post(url(programme), {"status": "auditing"}).content.decode()
    assert error_summary(html) == ["Assign at least one agency to a case before auditing starts"]

    make_return(make_case(programme), health)
    response = client.post(url(programme), {"status": "auditing"})
    assert response["Location"] == f"/programmes/{programme.pk}/"
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.AUDITING
    change = Change.objects.get(object_type="audits.programme", field="status")
    assert (change.old_value, change.new_value, change.actor) == (
        "planning",
        "auditing",
        coordinator,
    )


def test_the_coordinator_may_take_an_audit_back_to_planning(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.AUDITING)
    client_for(coordinator).post(url(programme), {"status": "planning"})
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PLANNING


def test_a_step_not_offered_is_refused(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.AUDITING)
    html = client_for(coordinator).post(url(programme), {"status": "closed"}).content.decode()
    assert error_summary(html) == ["Select one of the statuses listed"]
    html = client_for(coordinator).post(url(programme), {}).content.decode()
    assert error_summary(html) == ["Select the programme’s new status"]
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.AUDITING


def test_the_action_refuses_a_skipped_step(coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.PLANNING)
    with pytest.raises(planning.PlanningError, match="cannot move to meeting"):
        planning.change_programme_status(programme, "meeting", by=coordinator)


def test_closing_the_programme_closes_its_submitted_returns(coordinator, health, police) -> None:
    programme = make_programme(status=ProgrammeStatus.REPORTING)
    case = make_case(programme)
    submitted = make_return(case, health, status=ReturnStatus.SUBMITTED)
    draft = make_return(case, police, status=ReturnStatus.IN_PROGRESS)

    planning.change_programme_status(programme, "closed", by=coordinator)

    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, submitted.version) == (ReturnStatus.CLOSED, 2)
    assert draft.status == ReturnStatus.IN_PROGRESS
    assert Change.objects.filter(
        object_type="audits.return", object_id=submitted.pk, field="status", new_value="closed"
    ).exists()


def test_a_closed_programme_has_no_status_page(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    response = client_for(coordinator).get(url(programme))
    assert response["Location"] == f"/programmes/{programme.pk}/"
