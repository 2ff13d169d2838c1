"""Assigning agencies to a case: the coordinator chooses the agency, its published tool and,
optionally, a named auditor; the assignment is the return, not started."""

import pytest
from django.core import mail

from caseaudit.activity.models import Change
from caseaudit.audit_tools.actions import create_draft
from caseaudit.audit_tools.models import ToolSource
from caseaudit.audits.models import ProgrammeStatus, Return, ReturnStatus
from caseaudit.audits.tests.factories import (
    full_tool,
    make_case,
    make_planning_programme,
    make_programme,
    make_return,
    short_tool,
)
from caseaudit.audits.tests.html import error_summary, inputs

pytestmark = pytest.mark.django_db


def url(case) -> str:
    return f"/cases/{case.pk}/assignments/"


def options(html: str, name: str) -> list[str]:
    """The values offered by one select, in order."""
    offered, inside = [], False
    for field in inputs(html):
        if field["tag"] == "select":
            inside = field.get("name") == name
        elif field["tag"] == "option" and inside:
            offered.append(field.get("value"))
    return offered


@pytest.fixture
def case(health, police):
    return make_case(make_planning_programme(health, police), "CS-1")


def test_anonymous_is_sent_to_sign_in(client, case) -> None:
    assert client.get(url(case))["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator", "outsider"]
)
def test_other_roles_get_404(request, client_for, case, health, health_auditor, persona) -> None:
    ret = make_return(case, health, auditor=health_auditor)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(case)).status_code == 404
    data = {"agency": str(health.pk), "tool_version": str(full_tool().pk)}
    assert client.post(url(case), data).status_code == 404
    assert client.post(f"{url(case)}{ret.pk}/remove/").status_code == 404
    assert Return.objects.filter(pk=ret.pk).exists()


def test_coordinator_assigns_an_agency_with_its_tool_and_auditor(
    client_for, coordinator, case, health, health_auditor, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            url(case),
            {
                "agency": str(health.pk),
                "tool_version": str(short_tool().pk),
                "auditor": str(health_auditor.pk),
            },
        )
    assert response["Location"] == url(case)
    ret = Return.objects.get()
    assert (ret.case, ret.agency, ret.tool_version, ret.auditor, ret.status) == (
        case,
        health,
        short_tool(),
        health_auditor,
        ReturnStatus.NOT_STARTED,
    )
    history = {
        change.field: change.new_value
        for change in Change.objects.filter(object_type="audits.return", object_id=ret.pk)
    }
    assert history == {
        "agency": "Health",
        "tool_version": "Focused support — short, version 1",
        "auditor": "Health Auditor (Health)",
        "status": "not_started",
    }
    assert [message.to for message in mail.outbox] == [["health.auditor@example.org"]]


def test_the_form_offers_the_programmes_unassigned_agencies_and_published_tools_only(
    client_for, coordinator, case, health, police, youth_offending, health_auditor, outsider
) -> None:
    draft = create_draft(full_tool().tool, by=coordinator, source=ToolSource.IMPORTED)
    make_return(case, police)
    html = client_for(coordinator).get(url(case)).content.decode()
    assert options(html, "agency") == ["", str(health.pk)]
    tools = options(html, "tool_version")
    assert str(full_tool().pk) in tools and str(short_tool().pk) in tools
    assert str(draft.pk) not in tools
    assert options(html, "auditor") == ["", str(health_auditor.pk)]
    # The full tool is chosen unless the coordinator picks another.
    selected = [f["value"] for f in inputs(html) if f["tag"] == "option" and "selected" in f]
    assert selected == [str(full_tool().pk)]


def test_a_draft_tool_or_another_agencys_auditor_is_refused(
    client_for, coordinator, case, health, police, health_auditor, outsider
) -> None:
    draft = create_draft(full_tool().tool, by=coordinator, source=ToolSource.IMPORTED)
    client = client_for(coordinator)
    html = client.post(
        url(case), {"agency": str(health.pk), "tool_version": str(draft.pk)}
    ).content.decode()
    assert error_summary(html) == ["Select one of the published tools listed"]
    html = client.post(
        url(case),
        {
            "agency": str(police.pk),
            "tool_version": str(full_tool().pk),
            "auditor": str(health_auditor.pk),
        },
    ).content.decode()
    assert error_summary(html) == [
        "The auditor must work in Police: choose one of its auditors, or no auditor for the "
        "agency lead to choose"
    ]
    html = client.post(url(case), {"agency": "", "tool_version": ""}).content.decode()
    assert error_summary(html) == [
        "Select the agency to assign",
        "Select the audit tool the agency uses",
    ]
    assert not Return.objects.exists()


def test_an_agency_outside_the_programme_or_already_assigned_is_refused(
    client_for, coordinator, case, health, youth_offending
) -> None:
    make_return(case, health)
    client = client_for(coordinator)
    for agency in (health, youth_offending):
        html = client.post(
            url(case), {"agency": str(agency.pk), "tool_version": str(full_tool().pk)}
        ).content.decode()
        assert error_summary(html) == ["Select one of the agencies listed"]
    assert Return.objects.count() == 1


def test_an_assignment_is_removed_only_while_not_started(
    client_for, coordinator, case, health, police
) -> None:
    waiting = make_return(case, health)
    started = make_return(case, police, status=ReturnStatus.IN_PROGRESS)
    client = client_for(coordinator)
    html = client.get(url(case)).content.decode()
    assert f"{url(case)}{waiting.pk}/remove/" in html
    assert f"{url(case)}{started.pk}/remove/" not in html

    assert client.get(f"{url(case)}{waiting.pk}/remove/").status_code == 405
    response = client.post(f"{url(case)}{waiting.pk}/remove/", follow=True)
    assert "The assignment has been removed." in response.content.decode()
    assert not Return.objects.filter(pk=waiting.pk).exists()
    assert Change.objects.filter(
        object_type="audits.return", object_id=waiting.pk, field="removed"
    ).exists()

    response = client.post(f"{url(case)}{started.pk}/remove/", follow=True)
    assert (
        "Police’s return has started, so the assignment cannot be removed"
        in response.content.decode()
    )
    assert Return.objects.filter(pk=started.pk).exists()


def test_another_cases_assignment_cannot_be_removed_through_this_case(
    client_for, coordinator, case, health
) -> None:
    other = make_return(make_case(case.programme, "CS-2"), health)
    response = client_for(coordinator).post(f"{url(case)}{other.pk}/remove/")
    assert response.status_code == 404
    assert Return.objects.filter(pk=other.pk).exists()


def test_a_closed_programmes_assignments_cannot_change(client_for, coordinator, health) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    programme.agencies.set([health])
    case = make_case(programme)
    ret = make_return(case, health)
    client = client_for(coordinator)
    assert client.get(url(case))["Location"] == f"/programmes/{programme.pk}/"
    client.post(f"{url(case)}{ret.pk}/remove/")
    assert Return.objects.filter(pk=ret.pk).exists()
