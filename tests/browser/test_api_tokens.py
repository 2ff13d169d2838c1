"""An auditor creates an API token from the home page, sees it once, uses it, then revokes it;
the API docs page runs under the site's Content-Security-Policy. axe-core checks the token
pages."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_creates_uses_and_revokes_a_token(
    live_server, page: Page, sign_in, axe_check, health_auditor
) -> None:
    sign_in(health_auditor)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    axe_check(page)

    page.get_by_role("button", name="Create a token").click()
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    axe_check(page)

    page.get_by_label("Name").fill("Nightly export")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API token created")
    secret = page.get_by_label("Your token").input_value()
    assert secret.startswith("caseaudit_")
    axe_check(page)

    response = Client().get("/api/v1/programmes", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200

    page.get_by_role("link", name="Back to your API tokens").click()
    expect(page.get_by_role("table")).to_contain_text("Nightly export")
    expect(page.get_by_text(secret)).to_have_count(0)
    page.get_by_role("link", name="Revoke Nightly export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the token “Nightly export”?")
    axe_check(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been revoked")
    axe_check(page)

    response = Client().get("/api/v1/programmes", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_api_docs_page_loads_under_the_content_security_policy(
    live_server, page: Page, sign_in, coordinator
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    sign_in(coordinator)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("Case Audit API").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("/api/v1/programmes/{programme_id}/cases/bulk")).to_be_visible()
    assert violations == []
    assert outside == []
