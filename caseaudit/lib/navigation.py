from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from caseaudit import access
from caseaudit.accounts import two_factor
from caseaudit.accounts.models import User


def _lead_or_auditor(user: User) -> bool:
    return user.is_auditor or user.is_agency_lead


# (text, URL name, who sees it), in the order shown.
NAVIGATION: tuple[tuple[str, str, Callable[[User], bool]], ...] = (
    ("Home", "home", lambda user: True),
    ("My audits", "audits:my-audits", _lead_or_auditor),
    ("Programmes", "audits:programme-list", access.can_manage_programmes),
    ("Meetings", "meetings:list", lambda u: access.can_run_meetings(u) or _lead_or_auditor(u)),
    ("Actions", "meetings:action-list", lambda u: access.is_coordinator(u) or u.is_agency_lead),
    ("Themes", "meetings:theme-list", access.can_view_themes),
    ("Reports", "reports:index", access.can_view_reports),
    ("Escalations", "audits:escalation-list", access.is_coordinator),
    ("Audit tools", "audit_tools:list", access.can_manage_tools),
    ("Accounts", "admin:index", access.can_manage_accounts),
    ("Access log", "activity:access-log", access.can_view_access_log),
)


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for the signed-in user's roles."""
    if not request.user.is_authenticated or two_factor.needs_code(request):
        return []
    return [
        {"text": text, "href": href, "current": _is_current(request.path, href)}
        for (text, _, shown_to), href in zip(NAVIGATION, _hrefs(get_script_prefix()), strict=True)
        if shown_to(request.user)
    ]


@cache
def _hrefs(script_prefix: str) -> tuple[str, ...]:
    """The navigation's addresses, worked out once: every page asks for them."""
    return tuple(reverse(name) for _, name, _ in NAVIGATION)


def _is_current(path: str, href: str) -> bool:
    return path == href if href == "/" else path.startswith(href)
