"""Security headers on every page, error reports without case text, a clean deploy check."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from tests.security.conftest import World
from tests.security.routes import all_routes, unknown_parameters

ROOT = Path(__file__).parents[2]
REQUIRED_CSP = (
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
CASE_TEXT = "The child disclosed that her stepfather hits her"


def test_every_route_parameter_is_known() -> None:
    assert not unknown_parameters(), "add these to tests/security/routes.py PARAMETERS"


def test_deploy_check_is_clean_with_production_settings() -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "CASEAUDIT_ENVIRONMENT",
            "SECRET_KEY",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(
        CASEAUDIT_ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="audit.example.org",
        CSRF_TRUSTED_ORIGINS="https://audit.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _assert_headers(response: HttpResponse, where: str, *, signed_in: bool) -> list[str]:
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    is_page = response.status_code == 200 and response["Content-Type"].startswith("text/html")
    for directive in REQUIRED_CSP:
        if directive not in csp:
            problems.append(f"{where}: CSP lacks {directive!r} ({response.status_code})")
    if is_page and "'nonce-" not in csp:
        problems.append(f"{where}: a page's scripts are not allowed by nonce")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{where}: CSP allows unsafe script or style")
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"{where}: no Cache-Control: no-store ({response.status_code})")
    if is_page and response.headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{where}: X-Frame-Options is not DENY")
    if response.headers.get("Referrer-Policy") != "same-origin":
        problems.append(f"{where}: Referrer-Policy is not same-origin")
    return problems


def test_every_page_has_the_policy_and_is_never_stored(world: World) -> None:
    """Every GET route, as a coordinator with the demo data, and as an agency lead."""
    problems: list[str] = []
    for persona in ("coordinator", "health.lead"):
        client = world.client(persona)
        for route in all_routes():
            url = route.url(world.values(route, world.own, "own"))
            response = client.get(url)
            assert response.status_code < 500, f"{url} as {persona}: {response.status_code}"
            problems += _assert_headers(response, f"{url} as {persona}", signed_in=True)
    assert not problems, "\n".join(problems)


def test_the_sign_in_page_and_errors_carry_the_policy(db: None) -> None:
    client = Client()
    for url in ("/accounts/sign-in/", "/static/caseaudit/app.css"):
        response = client.get(url)
        assert not _assert_headers(response, url, signed_in=False)


def test_static_files_may_be_cached(client_for, coordinator) -> None:
    response = client_for(coordinator).get("/static/caseaudit/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


# Error reports -------------------------------------------------------------------------------


def failing_view(request: HttpRequest) -> HttpResponse:
    answer = request.POST["answer"]  # a local variable holding case text
    raise RuntimeError(f"failed after reading {len(answer)} characters")


urlpatterns = [path("fail/", failing_view)]


@override_settings(
    ROOT_URLCONF=__name__,
    DEBUG=False,
    ADMINS=["support@example.org"],
    LOGIN_REQUIRED_REDIRECT_FIELD_NAME="next",
)
def test_an_error_report_and_its_log_line_carry_no_request_body(
    client_for, coordinator, caplog
) -> None:
    client = client_for(coordinator)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post("/fail/", {"answer": CASE_TEXT})
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.content.decode()
    assert caplog.records, "the error is logged"
    for record in caplog.records:
        assert CASE_TEXT not in record.getMessage()
    assert len(mail.outbox) == 1
    report = mail.outbox[0].body + "".join(
        str(content) for content, _type in getattr(mail.outbox[0], "alternatives", [])
    )
    assert "answer" in report, "the field's name is kept, to help diagnosis"
    assert CASE_TEXT not in report
    assert CASE_TEXT[:20] not in report


@pytest.mark.parametrize("logger", ["django.request", "django.security.csrf", "root"])
def test_log_records_lose_their_request(logger, rf) -> None:
    from caseaudit.lib.reporting import DropRequest

    record = logging.LogRecord(logger, logging.ERROR, __file__, 1, "Oops", (), None)
    record.request = rf.post("/x/", {"answer": CASE_TEXT})
    assert DropRequest().filter(record)
    assert record.request is None
