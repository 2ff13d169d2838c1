from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from caseaudit.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request past the sign-in check (LoginRequiredMiddleware), as views see it."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
