"""Middleware of the service's own."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def no_store(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Every response to a signed-in person may hold case content, so no browser, proxy or
    back button keeps a copy: `Cache-Control: no-store` on all of them but static files."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
