"""Every page's chrome writes some GOV.UK Frontend markup out itself, for speed: it must be the
markup the Frontend's own macros make."""

import pytest
from markupsafe import Markup

from conftest import rendered_markup

OUR_NAVIGATION = """{% from "includes/_service_navigation.html" import service_navigation %}
{{ service_navigation(navigation, navigation_end) }}"""

THEIR_NAVIGATION = """
{% from "govuk_frontend_jinja/components/service-navigation/macro.html" import govukServiceNavigation %}
{{ govukServiceNavigation({
  "serviceName": "Case Audit",
  "serviceUrl": url("home"),
  "navigation": navigation,
  "navigationLabel": "Main",
  "slots": {"navigationEnd": navigation_end}
}) }}"""

HOME = {"text": "Home", "href": "/", "current": False}
MY_AUDITS = {"text": "My audits", "href": "/my-audits/", "current": True}
REPORTS = {"text": "Reports & trends", "href": "/reports/", "current": False}
SIGN_OUT = '<li class="govuk-service-navigation__item"><button>Sign out</button></li>'


@pytest.mark.parametrize(
    ("navigation", "navigation_end"),
    [
        ([], ""),
        ([], SIGN_OUT),
        ([HOME], SIGN_OUT),
        ([HOME, MY_AUDITS, REPORTS], SIGN_OUT),
        ([HOME, MY_AUDITS], ""),
    ],
)
def test_the_service_navigation_is_govuk_frontends(navigation, navigation_end) -> None:
    context = {"navigation": navigation, "navigation_end": Markup(navigation_end)}  # noqa: S704 - constants above
    ours = rendered_markup(OUR_NAVIGATION, **context)
    assert ours == rendered_markup(THEIR_NAVIGATION, **context)
    if MY_AUDITS in navigation:
        assert (
            'aria-current="page"><strong class="govuk-service-navigation__active-fallback">' in ours
        )
    if REPORTS in navigation:
        assert "Reports &amp; trends" in ours
    assert ("Menu</button>" in ours) == (len(navigation) > 1)


@pytest.mark.parametrize(("text", "action"), [("Stay signed in", "stay"), ("Carry on", "carry-on")])
def test_the_timeout_dialogs_buttons_are_govuk_frontends(rf, coordinator, text, action) -> None:
    request = rf.get("/")
    request.user = coordinator
    dialog = rendered_markup(
        '{% include "includes/session_timeout.html" %}',
        request=request,
        csrf_token="token",
        session_idle_seconds=1800,
        session_warning_seconds=120,
    )
    button = rendered_markup(
        '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
        '{{ govukButton({"text": text, "type": "button", "attributes": {"data-timeout-action": action}}) }}',
        text=text,
        action=action,
    )
    assert button.startswith("<button") and button in dialog
