"""An auditor completes and submits a full-tool return with the keyboard alone; the agency lead
returns it for amendment with a reason. axe-core runs on every page of the journey."""

import re

import pytest
from playwright.sync_api import Page, expect

from caseaudit.audits.models import Answer, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from conftest import PASSWORD
from tests.browser.keyboard import fill_form_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_by_keyboard(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/sign-in/")
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_auditor_submits_by_keyboard_and_lead_returns_it(
    live_server, page: Page, axe_check, health, health_auditor, health_lead
) -> None:
    case = make_case(make_programme(), identifier="204518")
    ret = make_return(case, health, auditor=health_auditor)
    base = live_server.url

    sign_in_by_keyboard(page, base, health_auditor.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    page.goto(f"{base}/my-audits/")
    axe_check(page)
    tab_to(page, f"a[href='/returns/{ret.pk}/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Health’s return")
    axe_check(page)

    tab_to(page, "a.govuk-task-list__link")  # the first part
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parts_done = 0
    while "/check/" not in page.url:
        expect(page.locator("#part-form")).to_be_visible()
        axe_check(page)
        # Key questions: "Yes" (the first radio) so the child is safe and nothing escalates.
        positions = {"child_safe-choice": 0, "actions_taken-choice": 0}
        fill_form_by_keyboard(page, "#part-form", positions)
        tab_to(page, "#part-form button.govuk-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        parts_done += 1
        assert parts_done < 20
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting"
    )
    axe_check(page)
    tab_to(page, "#id_password")  # the signature: the password again
    page.keyboard.type(PASSWORD)
    tab_to(page, "form button.govuk-button:not(.govuk-password-input__toggle)")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-panel__title")).to_have_text("Return submitted")
    axe_check(page)

    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    assert (
        parts_done == 11
    )  # 3 opening parts, 5 of the 7 sections, overall, recommendations, sign-off
    planning = Answer.objects.get(ret=ret, item_key="planning_judgement")
    assert planning.grade == 2 and planning.text == "Typed for planning_judgement"

    page.context.clear_cookies()
    sign_in_by_keyboard(page, base, health_lead.email)
    page.goto(f"{base}/returns/{ret.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Return for amendment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return for amendment")
    axe_check(page)
    page.get_by_role("button", name="Return for amendment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    axe_check(page)
    page.get_by_label("Why is this return being sent back?").fill("Add evidence to section 6.")
    page.get_by_label("Enter your password to send this return back").fill(PASSWORD)
    page.get_by_role("button", name="Return for amendment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent back to the auditor")
    expect(page.locator(".govuk-tag").first).to_have_text(re.compile("Returned for amendment"))
    axe_check(page)
    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("cell", name=re.compile("Add evidence to section 6."))).to_be_visible()
    axe_check(page)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED
