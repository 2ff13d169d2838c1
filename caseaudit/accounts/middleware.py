from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from caseaudit.accounts import sessions, two_factor

ENDED_MESSAGES = {
    "idle": "You were signed out because you did nothing for a while. Sign in again to carry on.",
    "absolute": "You were signed out because you had been signed in for a long time. "
    "Sign in again to carry on.",
    "unknown": "Your session has ended. Sign in again to carry on.",
}


def allowed_before_two_factor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that a signed-in session may reach before its second step is done."""
    view.allowed_before_two_factor = True  # type: ignore[attr-defined]
    return view


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT_SECONDS without a request, or
    SESSION_ABSOLUTE_TIMEOUT_SECONDS after signing in, whichever comes first. The page's
    warning asks the session-status view, which is not counted as activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = sessions.now_seconds()
            reason = sessions.end_reason(request.session, now)
            is_status_check = request.method == "GET" and request.path == reverse(
                "accounts:session"
            )
            if reason is not None:
                logout(request)
                if not is_status_check:
                    return self._ended(request, reason)
            elif not is_status_check:
                sessions.touch(request.session, now)
        return self.get_response(request)

    @staticmethod
    def _ended(request: HttpRequest, reason: sessions.EndReason) -> HttpResponse:
        if request.headers.get("HX-Request"):
            # An autosave: the page keeps its text and the warning says what happened.
            return HttpResponse("You have been signed out.", status=401)
        messages.info(request, ENDED_MESSAGES[reason])
        return redirect_to_login(request.get_full_path())


class TwoFactorMiddleware:
    """Until a signed-in session has passed its second step, it reaches only the views marked
    `allowed_before_two_factor` (sign-in, the two-factor pages, sign-out): default deny, so a
    new page, the admin included, is closed to it without anyone having to remember."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view, "allowed_before_two_factor", False) or not two_factor.needs_code(request):
            return None
        if request.headers.get("HX-Request"):
            return HttpResponse("Enter your security code first.", status=401)
        target = (
            "accounts:two-factor"
            if two_factor.authenticator(request.user) is not None  # type: ignore[arg-type]
            else "accounts:two-factor-set-up"
        )
        return redirect(target)
