"""A coordinator runs the meeting for one case: agreed grade, two coded findings and an action.
A lead of another participating agency reads the consolidated view; a lead of an agency not on
the case gets 404. axe-core runs on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from caseaudit.audits.models import ProgrammeStatus
from caseaudit.audits.tests.factories import make_case, make_programme
from caseaudit.meetings.models import Action, AgreedGrade, Finding
from caseaudit.meetings.tests.builders import submitted_return
from conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_runs_the_meeting_for_a_case(
    live_server,
    page: Page,
    sign_in,
    axe_check,
    coordinator,
    health,
    health_auditor,
    health_lead,
    childrens_social_care,
    yos_lead,
) -> None:
    programme = make_programme(status=ProgrammeStatus.MEETING)
    case = make_case(programme, identifier="204518")
    csc_auditor = make_user("csc.auditor@example.org", childrens_social_care, is_auditor=True)
    submitted_return(case, childrens_social_care, csc_auditor, grade=1)
    submitted_return(case, health, health_auditor, grade=3)

    sign_in(coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Multi-agency meetings")
    axe_check(page)
    page.get_by_role("link", name=programme.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.title)
    axe_check(page)
    page.get_by_role("button", name="Open case 204518 for the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 case opened")
    page.get_by_role("link", name="Case 204518").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case 204518: all agencies")
    expect(page.locator("#agenda + ol")).to_contain_text("Planning: grades 2 points apart")
    axe_check(page)

    page.get_by_role("link", name="Record the agreed grades").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreed grades")
    axe_check(page)
    page.get_by_label("Agreed grade: Planning").select_option("2")
    page.get_by_role("button", name="Save the agreed grades").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    axe_check(page)
    page.get_by_label("Reason: Planning").fill("The plan was clear but not reviewed on time.")
    page.get_by_role("button", name="Save the agreed grades").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "agreed grades have been saved"
    )

    for kind, text, theme in (
        ("Strength", "Assessment completed within ten working days.", "Timely assessments"),
        (
            "Area for improvement",
            "Risk information was not shared with health.",
            "Sharing information about risk",
        ),
    ):
        page.get_by_role("button", name="Add a finding").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a finding")
        axe_check(page)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Finding", exact=True).fill(text)
        page.get_by_label("Add a new theme (optional)").fill(theme)
        page.get_by_role("button", name="Save the finding").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("finding has been saved")

    page.get_by_role("link", name="Add an action for this finding").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    axe_check(page)
    page.get_by_label("What will be done").fill(
        "Share strategy meeting minutes with the GP and health visitor."
    )
    page.get_by_label("Owner agency").select_option(label="Health")
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add the action").click()
    expect(
        page.get_by_role("link", name=re.compile("Share strategy meeting minutes"))
    ).to_be_visible()
    axe_check(page)

    assert AgreedGrade.objects.get().grade == 2
    assert Finding.objects.count() == 2
    assert sorted(Finding.objects.values_list("themes__name", flat=True)) == [
        "Sharing information about risk",
        "Timely assessments",
    ]
    assert Action.objects.get().owner_agency == health

    page.context.clear_cookies()
    sign_in(health_lead)
    page.goto(f"{live_server.url}/meetings/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case 204518: all agencies")
    expect(page.locator("table.app-matrix")).to_contain_text("Children’s Social Care")
    axe_check(page)

    page.context.clear_cookies()
    sign_in(yos_lead)
    response = page.goto(f"{live_server.url}/meetings/cases/{case.pk}/")
    assert response is not None and response.status == 404
