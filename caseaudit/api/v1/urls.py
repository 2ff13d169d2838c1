"""The API's addresses, under /api/v1/. Its endpoints take a bearer token instead of the
session, so the site-wide sign-in requirement does not apply to them; the docs page is for
signed-in people, and the OpenAPI document for them or a token."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from caseaudit.api.v1.api import api
from caseaudit.api.v1.auth import signed_in_or_token

SIGNED_IN_ONLY = {"openapi-view", "api-root"}


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    result: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in SIGNED_IN_ONLY:
            view = pattern.callback
            if pattern.name == "openapi-json":
                view = signed_in_or_token(view)
            pattern = URLPattern(pattern.pattern, login_not_required(view), name=pattern.name)
        result.append(pattern)
    return result


app_name = "api-v1"
urlpatterns = _patterns()
