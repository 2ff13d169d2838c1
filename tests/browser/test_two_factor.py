"""Two-factor sign-in in Chromium: a coordinator sets up an authenticator app, saves the
recovery codes, signs in again with a code, reads their sign-in history; then the idle-timeout
warning keeps them signed in without reloading, and after the session ends their typed text
survives signing in again in another tab. axe-core runs on every page and on the dialog."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from caseaudit.accounts import sessions
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_factor_required(settings):
    settings.REQUIRE_TWO_FACTOR = True


def current_code(key: bytes) -> str:
    TOTPDevice.objects.update(last_t=-1)  # each code works once; the tests reuse a time step
    return f"{totp(key):06d}"


def sign_in_with_password(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_coordinator_sets_up_two_factor_and_signs_in_with_a_code(
    live_server, page: Page, axe_check, two_factor_required, coordinator
) -> None:
    base = live_server.url
    sign_in_with_password(page, base, coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    axe_check(page)

    page.get_by_text("I cannot scan the QR code").click()
    key = b32decode(page.locator("#secret").inner_text().replace(" ", ""))
    axe_check(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not correct")
    axe_check(page)
    page.get_by_label("Security code").fill(current_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").locator("li")).to_have_count(10)
    axe_check(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Coordinator")

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, base, coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the security code from your authenticator app"
    )
    axe_check(page)
    page.goto(f"{base}/programmes/")  # nothing else is reachable yet
    expect(page).to_have_url(f"{base}/accounts/two-factor/")
    page.get_by_label("Enter the security code from your authenticator app").fill("111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not correct")
    axe_check(page)
    page.get_by_label("Enter the security code from your authenticator app").fill(current_code(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello, Coordinator")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("table")).to_contain_text("Code from authenticator app")
    expect(page.get_by_role("table")).to_contain_text("Failed")
    axe_check(page)


def test_the_timeout_warning_keeps_typed_text(
    live_server, page: Page, axe_check, settings, sign_in, coordinator
) -> None:
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 65
    settings.SESSION_IDLE_WARNING_SECONDS = 60  # the warning opens 5 seconds after a page loads
    base = live_server.url
    sign_in(coordinator)
    page.goto(f"{base}/programmes/new/")
    title = page.locator("#id_title")
    title.fill("Neglect audit, typed before the warning")

    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_visible(timeout=15_000)
    axe_check(page)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(title).to_have_value("Neglect audit, typed before the warning")

    # The session ends on the server (as if the computer had slept through the warning).
    from django.contrib.sessions.models import Session

    for stored in Session.objects.all():
        data = stored.get_decoded()
        data[sessions.LAST_ACTIVITY] = 0
        Session.objects.filter(pk=stored.pk).update(session_data=Session.objects.encode(data))
    ended = page.get_by_role("dialog", name="You have been signed out")
    expect(ended).to_be_visible(timeout=15_000)
    axe_check(page)
    title.evaluate("(input) => input.form.requestSubmit()")  # held back, not lost
    expect(page).to_have_url(f"{base}/programmes/new/")
    expect(title).to_have_value("Neglect audit, typed before the warning")

    with page.context.expect_page() as new_tab:
        ended.get_by_role("link", name="Sign in again (opens in a new tab)").click()
    other = new_tab.value
    other.get_by_label("Email address").fill(coordinator.email)
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("Hello")
    other.close()

    ended.get_by_role("button", name="Carry on").click()
    expect(ended).to_be_hidden()
    page.get_by_role("button", name="Create programme").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # the server had the form
    expect(page.locator("#id_title")).to_have_value("Neglect audit, typed before the warning")
