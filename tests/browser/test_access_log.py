"""An administrator searches the access log for one person's reads of a case, by keyboard-
reachable filters, and pages through the results. axe-core runs on every page."""

import pytest
from playwright.sync_api import Page, expect

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.tests.factories import make_case, make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_searches_the_access_log(
    live_server, page: Page, sign_in, axe_check, administrator, health_lead, coordinator
) -> None:
    case = make_case(make_programme(), identifier="551203")
    AccessEvent.objects.bulk_create(
        AccessEvent(user=health_lead, object_type="audits.case", object_id=case.pk, action="view")
        for _ in range(60)
    )
    AccessEvent.objects.create(
        user=coordinator, object_type="audits.return", object_id=9, action="view"
    )

    sign_in(administrator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Access log").click()
    expect(page.get_by_role("heading", name="Access log")).to_be_visible()
    axe_check(page)

    page.get_by_label("Person (name or email address)").fill("health.lead")
    page.get_by_label("Kind of record").select_option("audits.case")
    page.get_by_label("Record number").fill(str(case.pk))
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("60 records, page 1 of 2")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("60 records, page 2 of 2")).to_be_visible()
    expect(page.get_by_role("cell", name="coordinator@example.org")).to_have_count(0)
    axe_check(page)

    page.get_by_role("textbox", name="Day").first.fill("31")
    page.get_by_role("textbox", name="Month").first.fill("2")
    page.get_by_role("textbox", name="Year").first.fill("2026")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)
