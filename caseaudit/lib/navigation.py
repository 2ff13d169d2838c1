from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from caseaudit import access
from caseaudit.accounts import two_factor


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for the signed-in user's roles."""
    if not request.user.is_authenticated or two_factor.needs_code(request):
        return []
    user = request.user
    lead_or_auditor = user.is_auditor or user.is_agency_lead
    items = [
        ("Home", reverse("home"), True),
        ("My audits", reverse("audits:my-audits"), lead_or_auditor),
        ("Programmes", reverse("audits:programme-list"), access.can_manage_programmes(user)),
        ("Meetings", reverse("meetings:list"), access.can_run_meetings(user) or lead_or_auditor),
        (
            "Actions",
            reverse("meetings:action-list"),
            access.is_coordinator(user) or user.is_agency_lead,
        ),
        ("Themes", reverse("meetings:theme-list"), access.can_view_themes(user)),
        ("Reports", reverse("reports:index"), access.can_view_reports(user)),
        ("Escalations", reverse("audits:escalation-list"), access.is_coordinator(user)),
        ("Audit tools", reverse("audit_tools:list"), access.can_manage_tools(user)),
        ("Accounts", reverse("admin:index"), access.can_manage_accounts(user)),
        ("Access log", reverse("activity:access-log"), access.can_view_access_log(user)),
    ]
    return [
        {"text": text, "href": href, "current": _is_current(request.path, href)}
        for text, href, allowed in items
        if allowed
    ]


def _is_current(path: str, href: str) -> bool:
    return path == href if href == "/" else path.startswith(href)
