"""Test harness shared by every app: personas, a Chromium driven by Playwright, axe-core."""

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from caseaudit.accounts.models import Agency, AgencyKind, User

# A loaded CI machine can take longer than Playwright's 5-second default to render a page.
expect.set_options(timeout=20_000)

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only
AXE_SOURCE = Path(__file__).parent / "tests" / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Agencies -----------------------------------------------------------------------------------


@pytest.fixture
def business_unit(db: None) -> Agency:
    return Agency.objects.create(
        name="Partnership Business Unit", kind=AgencyKind.OTHER, is_business_unit=True
    )


@pytest.fixture
def health(db: None) -> Agency:
    return Agency.objects.create(name="Health", kind=AgencyKind.HEALTH)


@pytest.fixture
def childrens_social_care(db: None) -> Agency:
    return Agency.objects.create(
        name="Children’s Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )


@pytest.fixture
def youth_offending(db: None) -> Agency:
    return Agency.objects.create(name="Youth Offending Service", kind=AgencyKind.YOUTH_JUSTICE)


@pytest.fixture
def police(db: None) -> Agency:
    return Agency.objects.create(name="Police", kind=AgencyKind.POLICE)


def rendered_markup(source: str, **context) -> str:
    """A template string rendered, with the whitespace between and around tags taken out: for
    checking markup written out by hand against the GOV.UK Frontend macro it stands in for."""
    from django.template import engines

    html = re.sub(r"\s+", " ", engines["jinja2"].from_string(source).render(context))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


# Personas: one per role and agency ----------------------------------------------------------


def make_user(email: str, agency: Agency, **roles: bool) -> User:
    return User.objects.create_user(
        email,
        PASSWORD,
        full_name=email.split("@")[0].replace(".", " ").title(),
        agency=agency,
        **roles,
    )


@pytest.fixture
def coordinator(business_unit: Agency) -> User:
    return make_user("coordinator@example.org", business_unit, is_coordinator=True)


@pytest.fixture
def administrator(business_unit: Agency) -> User:
    return make_user("administrator@example.org", business_unit, is_administrator=True)


@pytest.fixture
def board_viewer(business_unit: Agency) -> User:
    return make_user("board@example.org", business_unit, is_board_viewer=True)


@pytest.fixture
def health_lead(health: Agency) -> User:
    return make_user("health.lead@example.org", health, is_agency_lead=True)


@pytest.fixture
def health_auditor(health: Agency) -> User:
    return make_user("health.auditor@example.org", health, is_auditor=True)


@pytest.fixture
def csc_lead(childrens_social_care: Agency) -> User:
    return make_user("csc.lead@example.org", childrens_social_care, is_agency_lead=True)


@pytest.fixture
def yos_lead(youth_offending: Agency) -> User:
    return make_user("yos.lead@example.org", youth_offending, is_agency_lead=True)


@pytest.fixture
def outsider(police: Agency) -> User:
    """An auditor of an agency that is on no case."""
    return make_user("police.auditor@example.org", police, is_auditor=True)


@pytest.fixture
def client_for():
    """A signed-in test client for a persona: client_for(coordinator)."""

    def signed_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return signed_in


# Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def axe_check():
    """axe_check(page) fails the test on any axe-core violation (WCAG 2.2 A and AA rules)."""
    source = AXE_SOURCE.read_text(encoding="utf-8")

    def run_axe(page) -> dict:
        # Evaluated, not added as a <script>: the site's CSP refuses injected script tags.
        page.evaluate(source)
        return page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag', values: [
                'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
        )

    def check(page) -> None:
        page.wait_for_load_state()
        try:
            result = run_axe(page)
        except PlaywrightError:
            # A click's navigation that lands while axe runs replaces the document under it.
            page.wait_for_load_state()
            result = run_axe(page)
        violations = [
            f"{violation['id']}: {violation['help']} — "
            + "; ".join(
                node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                for node in violation["nodes"][:5]
            )
            for violation in result["violations"]
        ]
        assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)

    return check


@pytest.fixture
def sign_in(live_server, page):
    """sign_in(user) signs in through the real sign-in page and returns the page."""

    def signed_in(user: User):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        return page

    return signed_in
