"""A coordinator reads the programme dashboard, drafts, edits, previews and publishes the
learning summary; a board viewer reads the anonymised dashboard and the published edition.
axe-core runs on every page."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from caseaudit.audits.models import ProgrammeStatus
from caseaudit.audits.tests.factories import make_programme
from caseaudit.meetings.models import Theme
from caseaudit.reports.models import Resource
from caseaudit.reports.tests.builders import action, cases, finding, graded_return

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(childrens_social_care, health, youth_offending):
    programme = make_programme(
        title="Neglect audit, spring 2026",
        audit_date=date(2026, 3, 2),
        status=ProgrammeStatus.REPORTING,
        focus="How well agencies recognise neglect.",
    )
    first, second = cases(
        programme,
        {"case_identifier": "904518", "initials": "QX", "date_of_birth": date(2023, 5, 1)},
        {"case_identifier": "904519", "initials": "ZV", "date_of_birth": date(2008, 1, 9)},
    )
    graded_return(first, childrens_social_care, {"planning": 2, "overall": 2})
    graded_return(first, health, {"planning": 3, "overall": 3})
    graded_return(second, youth_offending, {"planning": 1, "overall": 2})
    timely = Theme.objects.create(name="Timely assessments")
    finding(programme, first, "strength", "Assessed within ten days.", [timely])
    action(programme, health, date(2026, 5, 1), description="Share risk information.")
    Resource.objects.create(
        title="Thresholds document", url="https://example.org/thresholds", position=1
    )
    return programme


def test_coordinator_reads_the_dashboard_and_publishes_the_learning_summary(
    live_server, page: Page, sign_in, axe_check, coordinator, programme
) -> None:
    sign_in(coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    axe_check(page)

    page.get_by_role("link", name=programme.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.title)
    heat_map = page.locator("#heat-map-table")
    expect(heat_map).to_contain_text("Planning")
    expect(heat_map).to_contain_text("mode 2")
    expect(page.locator("#themes")).to_be_visible()
    expect(page.get_by_text("Assessed within ten days.")).to_be_visible()
    axe_check(page)

    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Agency", exact=True).select_option(label="Health")
    page.get_by_role("button", name="Apply the filters").click()
    expect(page.locator("#heat-map-table thead")).not_to_contain_text("Youth Offending Service")
    axe_check(page)

    page.get_by_role("link", name="Draft the learning summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning summary")
    expect(page.get_by_label("When and how")).to_have_value(
        "In March 2026 the partnership audited 2 case files of children and young people "
        "aged 2 to 18. One audit tool was used: Children in Need — full. Each partner audited "
        "its own files, followed by a multi-agency meeting on 24 April 2026 to discuss the "
        "conclusions of the audits."
    )
    expect(page.get_by_label("Strengths")).to_have_value("Timely assessments")
    axe_check(page)

    page.get_by_label("Learning points for managers").fill(
        "Direction: ensure practitioners use the neglect tools\n"
        "Check: that minutes are shared with every agency"
    )
    page.get_by_label("Key messages for inter-agency learning").fill(
        "Embed a shared understanding of the neglect tool"
    )
    page.get_by_label("Marking of the practitioners’ and board edition").fill("")
    page.get_by_role("button", name="Save the learning summary").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the marking of this edition"
    )
    axe_check(page)
    page.get_by_label("Marking of the practitioners’ and board edition").fill("OFFICIAL")
    page.get_by_role("button", name="Save the learning summary").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been saved")

    page.get_by_role("link", name="Preview the practitioners’ and board edition").click()
    expect(page.get_by_text("Preview: not published")).to_be_visible()
    expect(
        page.get_by_role("img", name="Overall judgement of each agency’s own work")
    ).to_be_visible()
    axe_check(page)
    page.go_back()

    page.get_by_role("button", name="Publish both editions").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Edition 1 has been published"
    )
    expect(page.get_by_text("Direction:")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("904518")
    axe_check(page)

    page.goto(f"{live_server.url}/reports/resources/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reminders and resources for practitioners"
    )
    axe_check(page)


def test_board_viewer_reads_anonymised_reports(
    live_server, page: Page, sign_in, axe_check, board_viewer, programme
) -> None:
    sign_in(board_viewer)
    page.get_by_role("link", name="Read the anonymised reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    axe_check(page)
    page.get_by_role("link", name=programme.title, exact=True).click()
    expect(page.get_by_text("Small numbers are suppressed")).to_be_visible()
    expect(page.locator("#heat-map-table")).to_contain_text("fewer than 5")
    expect(page.locator("main")).not_to_contain_text("QX")
    axe_check(page)
    page.get_by_role("link", name="Equality analysis of this programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Equality analysis")
    axe_check(page)
    page.goto(f"{live_server.url}/reports/across-programmes/")
    axe_check(page)
    page.goto(f"{live_server.url}/reports/exports/")
    page.get_by_label("Report tables (Excel)").check()
    page.get_by_role("button", name="Prepare the file").click()
    expect(page.get_by_role("button", name="Download the file")).to_be_visible()
    axe_check(page)
