"""A coordinator signs in, finds the audit tools and previews the full tool; axe-core is
run on every page visited."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_previews_the_full_tool(
    live_server, page: Page, sign_in, axe_check, coordinator
) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    axe_check(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    expect(page).to_have_title("Error: Sign in – Case Audit – Safeguarding Children Partnership")
    axe_check(page)

    sign_in(coordinator)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Coordinator")
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit tools").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit tools")
    axe_check(page)

    page.get_by_role("link", name="Children in Need — full").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Multi agency audit tool – Children in Need"
    )
    expect(page.get_by_text("RESTRICTED WHEN COMPLETED")).to_be_visible()
    expect(page.locator(".app-marking")).to_contain_text("OFFICIAL-SENSITIVE")
    for title in ("Early Intervention work", "Referral", "Assessment", "Management Oversight"):
        expect(page.get_by_role("heading", name=title).first).to_be_visible()
    axe_check(page)


def test_skip_link_is_the_first_stop_for_keyboard_users(live_server, page: Page) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
