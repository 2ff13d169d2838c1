"""A coordinator sets up a programme with the keyboard: creates it, adds two cases (one with
its family), assigns two agencies to each with their tools and auditors, and starts auditing.
axe-core runs on every page visited."""

import re

import pytest
from playwright.sync_api import Page, expect

from caseaudit.audits.models import Case, Programme, ProgrammeStatus, ReturnStatus
from caseaudit.audits.tests.factories import full_tool, short_tool
from conftest import PASSWORD
from tests.browser.keyboard import choose_radio, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press_enter_and_wait(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def type_date(page: Page, name: str, day: str, month: str, year: str) -> None:
    for part, value in (("day", day), ("month", month), ("year", year)):
        type_into(page, f"[name='{name}-{part}']", value)


def choose_option(page: Page, selector: str, text: str) -> None:
    """Type-ahead in a focused select, as a keyboard user picks an option."""
    tab_to(page, selector)
    page.keyboard.type(text)
    expect(page.locator(selector).locator("option:checked")).to_contain_text(text)


def submit(
    page: Page, selector: str = "main form button.govuk-button:not(.govuk-button--secondary)"
) -> None:
    tab_to(page, selector)
    press_enter_and_wait(page)


def follow(page: Page, href: str) -> None:
    tab_to(page, f"a[href='{href}']")
    press_enter_and_wait(page)


def add_case(page: Page, axe_check, programme: Programme, identifier: str, initials: str) -> Case:
    follow(page, f"/programmes/{programme.pk}/cases/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a case")
    axe_check(page)
    type_into(page, "#id_case_identifier", identifier)
    type_into(page, "#id_initials", initials)
    if identifier.endswith("1"):
        type_date(page, "date_of_birth", "12", "3", "2014")
    else:
        type_into(page, "#id_age", "4")
    choose_radio(page, "category", 1)  # Child protection
    type_date(page, "referral_date", "20", "1", "2025")
    if identifier.endswith("1"):
        type_into(page, "#id_family-0-initials", "AB")
        type_into(page, "#id_family-0-relationship", "mother")
        type_into(page, "#id_family-0-age", "34")
        type_into(page, "#id_family-1-initials", "CD")
        type_into(page, "#id_family-1-relationship", "brother")
        # Two blank rows are not enough: ask for another, without JavaScript doing it.
        tab_to(page, "button[name='add_family_member']")
        press_enter_and_wait(page)
        expect(page.locator("#id_family-2-initials")).to_have_value("")
        expect(page.locator("#id_family-0-initials")).to_have_value("AB")
        axe_check(page)
        type_into(page, "#id_family-2-initials", "EF")
        type_into(page, "#id_family-2-relationship", "grandmother")
        submit(page)
    else:
        # Enter in a text box saves the case, as in any form: it does not add a family member.
        expect(page.locator("[name='referral_date-year']")).to_be_focused()
        press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {identifier}")
    expect(page.locator("#audit-window")).to_contain_text("Audit window: from")
    axe_check(page)
    return Case.objects.get(programme=programme, case_identifier=identifier)


def assign(page: Page, axe_check, agency: str, tool: str | None, auditor: str | None) -> None:
    choose_option(page, "#id_agency", agency)
    if tool:
        choose_option(page, "#id_tool_version", tool)
    if auditor:
        choose_option(page, "#id_auditor", auditor)
    submit(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{agency} has been assigned to this case."
    )
    axe_check(page)


def test_coordinator_sets_up_a_programme_with_the_keyboard(
    live_server, page: Page, axe_check, coordinator, health, police, health_auditor, outsider
) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/sign-in/")
    type_into(page, "#id_username", coordinator.email)
    type_into(page, "#id_password", PASSWORD)
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    axe_check(page)

    follow(page, "/programmes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit programmes")
    axe_check(page)
    follow(page, "/programmes/new/")
    axe_check(page)

    # A first try without dates shows the error summary.
    type_into(page, "#id_title", "Neglect audit, autumn 2026")
    submit(page)
    expect(page).to_have_title(re.compile("^Error: Create an audit programme"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the audit date")
    axe_check(page)

    type_into(page, "#id_focus", "Neglect")
    type_date(page, "audit_date", "29", "8", "2026")
    type_date(page, "return_deadline", "30", "9", "2026")
    type_date(page, "meeting_date", "14", "10", "2026")
    for agency in (health, police):
        tab_to(page, f"input[name='agencies'][value='{agency.pk}']")
        page.keyboard.press("Space")
    submit(page)
    programme = Programme.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neglect audit, autumn 2026")
    axe_check(page)

    first = add_case(page, axe_check, programme, "CS-1001", "JS")
    expect(page.locator("#audit-window")).to_contain_text(
        "Audit window: from 28 February 2025 to the audit date (29 August 2026)"
    )
    follow(page, f"/programmes/{programme.pk}/")
    second = add_case(page, axe_check, programme, "CS-1002", "KT")

    follow(page, f"/programmes/{programme.pk}/")
    follow(page, f"/cases/{first.pk}/assignments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign agencies to case CS-1001")
    axe_check(page)
    assign(page, axe_check, "Health", None, "Health Auditor")
    assign(page, axe_check, "Police", "Focused support", None)
    expect(page.get_by_text("Every participating agency is assigned to this case.")).to_be_visible()

    follow(page, f"/programmes/{programme.pk}/")
    follow(page, f"/cases/{second.pk}/assignments/")
    axe_check(page)
    assign(page, axe_check, "Police", None, "Police Auditor")
    assign(page, axe_check, "Health", "Focused support", None)

    follow(page, f"/programmes/{programme.pk}/")
    expect(page.locator("#progress")).to_contain_text("Not started: 4")
    axe_check(page)
    follow(page, f"/programmes/{programme.pk}/status/")
    axe_check(page)
    choose_radio(page, "status", 0)
    submit(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The programme’s status is now Auditing."
    )
    axe_check(page)

    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.AUDITING
    assert [str(member) for member in first.family_members.all()] == [
        "AB (mother, 34)",
        "CD (brother)",
        "EF (grandmother)",
    ]
    second.refresh_from_db()
    assert (second.age, second.date_of_birth) == (4, None)
    assignments = {
        (ret.case.case_identifier, ret.agency.name): (ret.tool_version, ret.auditor, ret.status)
        for ret in first.returns.all() | second.returns.all()
    }
    assert assignments == {
        ("CS-1001", "Health"): (full_tool(), health_auditor, ReturnStatus.NOT_STARTED),
        ("CS-1001", "Police"): (short_tool(), None, ReturnStatus.NOT_STARTED),
        ("CS-1002", "Police"): (full_tool(), outsider, ReturnStatus.NOT_STARTED),
        ("CS-1002", "Health"): (short_tool(), None, ReturnStatus.NOT_STARTED),
    }
